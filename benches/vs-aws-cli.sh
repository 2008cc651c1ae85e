#!/usr/bin/env bash
# `crossconnect snapshot` against the AWS CLI, one command per call, on one account's estate in
# moto plus the DX/Resolver fixture server; median of 3. Needs `aws` on PATH and the moto venv
# that ./.ci/run creates (.ci/.venv). Exit 1 when the snapshot is less than 40x faster.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .ci/.venv/bin/python ] || { echo "run ./.ci/run once first (it makes .ci/.venv with moto)"; exit 2; }
command -v aws >/dev/null || { echo "the AWS CLI (aws) is not on PATH"; exit 2; }
cargo build --release --quiet
exec .ci/.venv/bin/python benches/vs_aws_cli.py
