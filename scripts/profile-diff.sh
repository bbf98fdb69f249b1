#!/usr/bin/env bash
# Regenerates the README's production-vs-guide table from the real diff (`sptfy-dev schema diff --markdown
# profile:production profile:guide`: the bundled schemas and the profiles' hooks). `swift test` fails while the
# README's copy is stale (ProfileDiffTests).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
BIN="${SPTFY_DEV_BIN:-.build/debug/sptfy-dev}"
[ -x "$BIN" ] || swift build --product sptfy-dev
TABLE="$(mktemp)"
"$BIN" schema diff --markdown profile:production profile:guide > "$TABLE"
python3 - "$TABLE" <<'PY'
import re, sys
table = open(sys.argv[1], encoding="utf-8").read()
readme = open("README.md", encoding="utf-8").read()
start, end = "<!-- profile-diff:start -->\n", "<!-- profile-diff:end -->"
i, j = readme.index(start) + len(start), readme.index(end)
open("README.md", "w", encoding="utf-8").write(readme[:i] + table + readme[j:])
print(f"README.md: {table.count(chr(10)) - 2} differences")
PY
