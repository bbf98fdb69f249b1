#!/usr/bin/env bash
# Filter engine benchmark: parse + resolve of the frontend's typical filters vs running the SQL they produce.
#   scripts/bench-filter.sh [LINKS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sptfy-dev
.build/release/sptfy-dev bench-filter --links "${1:-20000}" --iterations "${2:-2000}"
