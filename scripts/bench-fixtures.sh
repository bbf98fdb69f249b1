#!/usr/bin/env bash
# Fixture benchmark: generate + load the world at SCALE (200 ≈ 1,000,000 analytics rows; goal ≤ 10 s).
#   scripts/bench-fixtures.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sptfy-dev
.build/release/sptfy-dev bench-fixtures --scale "${1:-200}"
