#!/usr/bin/env bash
# recast's benchmark suite: generates corpora, times recast and its peers on the same
# input in one run (hyperfine medians, /usr/bin/time -v peak RSS), checks every output
# and prints a table with the ratios and the targets of docs/performance.md.
#
#   bash bench/run.sh                     # N=20000, then recast alone at LARGE_N=100000
#   N=2000 LARGE_N=0 bash bench/run.sh    # a quick look
#   JOBS=md-json,yaml-jsonl bash bench/run.sh
#
# Settings (environment):
#   N          records in the main corpus (default 20000)
#   LARGE_N    records in the large corpus, run with recast and floors only, for memory
#              flatness (default 100000; 0 skips it)
#   RUNS       hyperfine runs of fast commands (default 5); RUNS_SLOW for the slow
#              peers (default 3); RUNS_LARGE at LARGE_N (default 3)
#   BUDGET     seconds of timed runs per command at most (default 60: slow peers run fewer times)
#   JOBS       comma-separated jobs, run in that order: md-json jsonl-csv csv-json
#              csv-mlr-json jsonl-xlsx xlsx-json md-rss rss-json yaml-jsonl md-migrate-jq
#              (default: all, in that order; the xlsx jobs skip, saying why, while
#              recast cannot write xlsx)
#   PEERS=0    recast and the floors only
#   INSTALL=0  do not install or build anything (use what is there)
#   SEED       generator seed (default 1)
#   OUT        results and corpora (default bench/out)
#   INPLACE_DIR  where md-migrate-jq rewrites its copies of the corpus (default: OUT's
#              folder for N). A folder on tmpfs (/dev/shm/recast-bench) times the tools
#              rather than the disk: on a disk where creating a file is slow, 20,000 new
#              files cost seconds whatever writes them (docs/performance.md).
#   RECAST     the recast binary to measure (default target/release/recast)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
LARGE_N=${LARGE_N:-100000}
SEED=${SEED:-1}
OUT=${OUT:-bench/out}
RECAST=${RECAST:-$PWD/target/release/recast}
FLOOR=$PWD/bench/parse-floor/target/release/parse-floor
FEEDRS=$PWD/bench/feedrs-peer/target/release/feedrs-peer

if [ "${INSTALL:-1}" != 0 ]; then
    bash bench/lib/setup.sh
fi
mkdir -p "$OUT"
bash bench/lib/corpus.sh "$N" "$OUT/corpus-$N" "$SEED" "$RECAST"
large=()
if [ "$LARGE_N" != 0 ]; then
    bash bench/lib/corpus.sh "$LARGE_N" "$OUT/corpus-$LARGE_N" "$SEED" "$RECAST"
    large=(--large-corpus "$PWD/$OUT/corpus-$LARGE_N" --large-n "$LARGE_N")
fi
peers=()
[ "${PEERS:-1}" != 0 ] || peers=(--no-peers)

echo "bench: $(nproc) cores, $(git rev-parse --short HEAD 2> /dev/null || echo '?'), $(date -u +%FT%TZ)" >&2
python3 bench/lib/suite.py --corpus "$PWD/$OUT/corpus-$N" --n "$N" "${large[@]}" --out "$OUT" \
    --recast "$RECAST" --floor "$FLOOR" --feedrs "$FEEDRS" --python "$PWD/bench/.venv/bin/python" \
    --runs "${RUNS:-5}" --runs-slow "${RUNS_SLOW:-3}" --runs-large "${RUNS_LARGE:-3}" \
    --budget "${BUDGET:-60}" --jobs "${JOBS:-}" --in-place-dir "${INPLACE_DIR:-}" "${peers[@]}"
