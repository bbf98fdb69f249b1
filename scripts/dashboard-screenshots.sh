#!/usr/bin/env bash
# Regenerates docs/dashboard/*.png: runs the dashboard's browser tests (headless Chromium against a live sptfy-dev)
# with SPTFY_SCREENSHOTS_DIR set, so every page they visit is captured at 1280 px and 390 px wide.
# Look at each image before committing it.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
OUT="${1:-$REPO/docs/dashboard}"
mkdir -p "$OUT"
SPTFY_SCREENSHOTS_DIR="$OUT" swift test --filter DashboardBrowserTests
ls -1 "$OUT"/*.png | wc -l | xargs echo "screenshots in $OUT:"
