#!/usr/bin/env bash
# Generates the corpus of N records into DIR (kept between runs; regenerated when N or
# the seed changes):
#   archive/        a folder of N Markdown files with YAML front matter, plus _index.md
#   archive.jsonl   the same records as JSON Lines (also the truth output checks use)
#   archive.yaml    the same records as one multi-document YAML stream
#   archive.json    the same records as one JSON array
#   archive-mlr.csv Miller's CSV of them (mlr flatten then unsparsify; when mlr is there)
#   archive.csv     recast's CSV of them (the input of CSV -> JSON; remade every run)
#   archive.rss     recast's RSS of them (the input of RSS -> JSON; remade every run)
#   archive.xlsx    recast's xlsx workbook of them (the input of xlsx -> JSON; remade
#                   every run; missing while recast cannot write xlsx)
# usage: corpus.sh N DIR [SEED] [RECAST]
set -euo pipefail
n=$1 dir=$2 seed=${3:-1} recast=${4:-target/release/recast}
gen=bench/gen_archive.py
stamp="count=$n seed=$seed generator=$(sha256sum "$gen" | cut -c1-16)"
if [ "$(cat "$dir/.stamp" 2> /dev/null)" != "$stamp" ]; then
    echo "corpus: generating $n records into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$gen" --count "$n" --seed "$seed" --form jsonl "$dir/archive.jsonl" &
    python3 "$gen" --count "$n" --seed "$seed" --form yaml "$dir/archive.yaml" &
    python3 "$gen" --count "$n" --seed "$seed" --form json "$dir/archive.json" &
    python3 "$gen" --count "$n" --seed "$seed" --form md "$dir/archive"
    wait
    cat > "$dir/archive/_index.md" << INDEX
---
title: Benchmark archive
link: https://example.org/
description: $n generated articles (gen_archive.py --count $n --seed $seed)
language: en
---
INDEX
    echo "$stamp" > "$dir/.stamp"
fi
# Miller's CSV of the records (the input of CSV flattened by Miller -> JSON), once.
if [ ! -s "$dir/archive-mlr.csv" ] && command -v mlr > /dev/null; then
    mlr --ijsonl --ocsv flatten then unsparsify "$dir/archive.jsonl" > "$dir/archive-mlr.csv"
fi
# Inputs made by recast itself: remade each run, since recast changes.
rm -f "$dir/archive.csv" "$dir/archive.rss" "$dir/archive.xlsx"
"$recast" -q convert "$dir/archive.jsonl" --to csv -o "$dir/archive.csv" 2> "$dir/archive.csv.err" ||
    echo "corpus: recast cannot write CSV yet ($(tail -n 1 "$dir/archive.csv.err")); CSV -> JSON is skipped" >&2
"$recast" -q convert "$dir/archive" --to rss -o "$dir/archive.rss" 2> "$dir/archive.rss.err" ||
    echo "corpus: recast cannot write RSS yet ($(tail -n 1 "$dir/archive.rss.err")); RSS -> JSON is skipped" >&2
"$recast" -q convert "$dir/archive.jsonl" -o "$dir/archive.xlsx" 2> "$dir/archive.xlsx.err" || {
    rm -f "$dir/archive.xlsx"
    echo "corpus: recast cannot write xlsx yet ($(tail -n 1 "$dir/archive.xlsx.err")); xlsx -> JSON is skipped" >&2
}
exit 0
