#!/usr/bin/env bash
# Instruction counts of recast's main jobs, with valgrind's callgrind: repeatable on a
# busy machine, where wall-clock timings are not (docs/performance.md, "Where the time
# goes"). One thread, the 2,000-record corpus of bench/gen_archive.py.
#
#   bash bench/instructions.sh                  # builds release, prints a table
#   RECAST=path/to/recast bash bench/instructions.sh
#   N=500 bash bench/instructions.sh            # a smaller corpus
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
OUT=${OUT:-bench/out/instructions-$N}
if [ -z "${RECAST:-}" ]; then
  cargo build --release --quiet
  RECAST=target/release/recast
fi
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

mkdir -p "$OUT"
if [ ! -d "$OUT/md" ]; then
  python3 bench/gen_archive.py --count "$N" --form md "$OUT/md" >/dev/null
  python3 bench/gen_archive.py --count "$N" --form jsonl "$OUT/archive.jsonl" >/dev/null
  python3 bench/gen_archive.py --count "$N" --form yaml "$OUT/archive.yaml" >/dev/null
  "$RECAST" --quiet convert "$OUT/archive.jsonl" -o "$OUT/archive.csv"
  "$RECAST" --quiet convert "$OUT/md" --to rss -o "$OUT/archive.rss" --drafts --future \
    --feed-title Bench --feed-link https://example.org/ --feed-description "Generated archive"
fi
# The same records as Miller flattens them (`topics.1`, `related.1.title`: numbered from
# 1, no type hints), the CSV a user of Miller brings: read through other paths than
# recast's own sheet.
if [ ! -f "$OUT/archive-mlr.csv" ] && command -v mlr >/dev/null; then
  mlr --ijsonl --ocsv flatten then unsparsify "$OUT/archive.jsonl" > "$OUT/archive-mlr.csv"
fi

# Every record goes into the feed (the generated archive has drafts), so the figures
# stay comparable with runs from before drafts were left out of feeds.
FEED=(--feed-title Bench --feed-link https://example.org/ --feed-description "Generated archive" --drafts --future)

# The count of one run: callgrind's "Collected" total, in millions.
count() {
  local log
  log=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$RECAST" --quiet --threads 1 "$@" \
    >/dev/null 2>"$log"
  awk '/Collected/ { printf "%.0f", $NF / 1e6 }' "$log"
  rm -f "$log"
}

printf '| job | instructions (M) |\n|---|---:|\n'
printf '| md → JSON | %s |\n' "$(count convert "$OUT/md" --to json)"
printf '| YAML stream → JSONL | %s |\n' "$(count convert "$OUT/archive.yaml" --to jsonl)"
printf '| JSONL → CSV | %s |\n' "$(count convert "$OUT/archive.jsonl" --to csv)"
printf '| CSV → JSON | %s |\n' "$(count convert "$OUT/archive.csv" --to json)"
if [ -f "$OUT/archive-mlr.csv" ]; then
  printf '| CSV (Miller-flattened) → JSON | %s |\n' "$(count convert "$OUT/archive-mlr.csv" --to json)"
else
  printf '| CSV (Miller-flattened) → JSON | — (mlr not installed) |\n'
fi
printf '| RSS → JSON | %s |\n' "$(count convert "$OUT/archive.rss" --to json)"
printf '| md → RSS | %s |\n' "$(count convert "$OUT/md" --to rss "${FEED[@]}")"
