#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs (as root) to build, run and test the project:
# the test cluster's Debian packages, Chromium + code-server for the UI tests and the demo, and npm ci.
# Idempotent: what is already there is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "setup: run as root (the test cluster needs network namespaces)"; exit 1; }
bash test/cluster/cluster.sh install
bash scripts/install-ui-tools.sh
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
