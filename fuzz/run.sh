#!/usr/bin/env bash
# Runs one fuzz target on one core: ./run.sh TARGET SECONDS
# New inputs go to corpus/TARGET (not committed); seeds/TARGET is read too.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
mkdir -p "corpus/$target" logs
exec cargo +nightly fuzz run --debug-assertions "$target" "corpus/$target" "seeds/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1
