#!/usr/bin/env bash
# One `snapshot --org-role` of an organisation of 1, 10 and 50 accounts in moto; median of 3.
# Needs the moto venv that ./.ci/run creates (.ci/.venv). Exit 1 when 50 accounts take more than 3x one.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .ci/.venv/bin/python ] || { echo "run ./.ci/run once first (it makes .ci/.venv with moto)"; exit 2; }
cargo build --release --quiet
exec .ci/.venv/bin/python benches/org_scale.py "$@"
