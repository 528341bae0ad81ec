#!/usr/bin/env bash
# Re-runs a target on its artifacts and seeds only (no fuzzing): ./iterate.sh TARGET
set -uo pipefail
cd "$(dirname "$0")"
cargo +nightly fuzz run --debug-assertions "$1" "artifacts/$1" -- -runs=0 2>&1 | grep -v "^ *#\|^ *at \|^   [0-9]*:" | grep -A12 "panicked\|Done\|ERROR" | head -40
