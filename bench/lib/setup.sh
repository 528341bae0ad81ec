#!/usr/bin/env bash
# Installs what the benchmark suite needs, skipping what is already there:
# Debian packages (hyperfine, Miller, jq, gojq, Hugo, GNU time), a venv with the
# Python peers (bench/.venv), and the release builds of recast, parse-floor and the
# feed-rs peer. Run from the repository root; bench/run.sh calls it.
set -euo pipefail

need_apt=()
for pair in hyperfine:hyperfine mlr:miller jq:jq gojq:gojq hugo:hugo; do
    command -v "${pair%%:*}" > /dev/null || need_apt+=("${pair#*:}")
done
[ -x /usr/bin/time ] || need_apt+=(time)
python3 -c 'import venv, ensurepip' 2> /dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: apt-get install ${need_apt[*]}" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" > /dev/null
fi

if [ ! -x bench/.venv/bin/python ]; then
    echo "setup: python3 -m venv bench/.venv" >&2
    python3 -m venv bench/.venv
fi
if ! bench/.venv/bin/python -c 'import yaml, pandas, openpyxl, feedgen, feedparser, pyspark, frontmatter' 2> /dev/null; then
    echo "setup: pip install -r bench/requirements.txt" >&2
    bench/.venv/bin/pip install -q --upgrade pip
    bench/.venv/bin/pip install -q -r bench/requirements.txt
fi
bench/.venv/bin/python -c 'import yaml; assert yaml.__with_libyaml__, "PyYAML without libyaml"'

echo "setup: cargo build --release (recast, parse-floor, feedrs-peer)" >&2
cargo build --release --quiet --bin recast
cargo build --release --quiet --manifest-path bench/parse-floor/Cargo.toml
cargo build --release --quiet --manifest-path bench/feedrs-peer/Cargo.toml
