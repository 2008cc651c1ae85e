#!/usr/bin/env bash
# `snapshot --org-role` of 1, 50 and 500 accounts x 1 and 4 regions at 60 ms a call, against
# the replay server (benches/replay); median of 3. Needs the moto venv that ./.ci/run creates.
#   benches/org-latency.sh [SIZES...]    LATENCY_MS=60 REGIONS="1 4" RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .ci/.venv/bin/python ] || { echo "run ./.ci/run once first (it makes .ci/.venv with moto)"; exit 2; }
cargo build --release --quiet
cargo build --release --quiet --manifest-path benches/replay/Cargo.toml --target-dir target/replay
exec .ci/.venv/bin/python benches/org_latency.py "$@"
