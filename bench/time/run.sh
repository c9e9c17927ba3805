#!/usr/bin/env bash
# Peer benchmark for the time extractor: annals against Python dateparser's search_dates
# (languages en, vi, ru), on the same reference corpus, scored by the same scorer on the
# dev gold. Installs dateparser into a virtual environment under target/ on first use.
#   bench/time/run.sh [--corpus DIR] [--gold DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "dateparser==1.2.*"
fi
cargo build --release --quiet --bin annals --example time_throughput
"$venv/bin/python" bench/time/peer.py --annals target/release/annals "$@"
