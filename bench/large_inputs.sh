#!/usr/bin/env bash
# Legitimately large input works, in flat memory (docs/security.md, "Large input"):
#   1. a 1 GB JSON Lines file → JSON Lines and → JSON, streamed: peak RSS stays flat;
#   2. a folder of 200,000 Markdown files → JSON Lines: no file-descriptor exhaustion
#      (files are opened one at a time), no quadratic behaviour.
# Needs ~2.5 GB of disk under OUT (default bench/out/large) and GNU time (/usr/bin/time).
#
#   bench/large_inputs.sh            # both
#   GB=0.25 FILES=20000 bench/large_inputs.sh   # smaller
# Figures from one run are in docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/out/large}
GB=${GB:-1}
FILES=${FILES:-200000}
mkdir -p "$OUT"
# RECAST=path/to/recast skips the build.
if [ -z "${RECAST:-}" ]; then
  cargo build --release --quiet
fi
recast=${RECAST:-target/release/recast}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

measure() { # label, command...: prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "$label: %e s, peak RSS %M KB, exit %x" "$@" >/dev/null 2>"$OUT/time.txt" || true
  tail -1 "$OUT/time.txt"
}

# 1. One 1 GB JSON Lines file: 10,000 generated records, repeated.
big="$OUT/big.jsonl"
target_bytes=$(python3 -c "print(int($GB * 1024**3))")
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt "$target_bytes" ]; then
  python3 bench/gen_archive.py --count 10000 --form jsonl "$OUT/seed.jsonl"
  : >"$big"
  while [ "$(stat -c %s "$big")" -lt "$target_bytes" ]; do cat "$OUT/seed.jsonl" >>"$big"; done
fi
echo "input: $(stat -c %s "$big") bytes, $(wc -l <"$big") records"
measure "jsonl → jsonl" "$recast" convert "$big" -o "$OUT/big.out.jsonl"
measure "jsonl → json " "$recast" convert "$big" -o "$OUT/big.out.json"
measure "jsonl → yaml " "$recast" convert "$big" -o "$OUT/big.out.yaml"
rm -f "$OUT"/big.out.*

# 2. A folder of FILES Markdown files, read with at most 1024 open files.
folder="$OUT/folder-$FILES"
if [ ! -d "$folder" ]; then
  python3 bench/gen_archive.py --count "$FILES" --form md "$folder"
fi
echo "folder: $(find "$folder" -name '*.md' | wc -l) files"
(ulimit -n 1024; measure "folder → jsonl" "$recast" convert "$folder" -o "$OUT/folder.out.jsonl")
rm -f "$OUT/folder.out.jsonl"
