#!/usr/bin/env bash
# Fuzzes sptfy-dev's HTTP surface with libFuzzer: generated requests (method, path, query, headers, JSON /
# multipart / urlencoded bodies, tokens) go through the in-process router with the sptfy.in schema, hooks and
# named fixtures. A trap, an ASan report, a hang (> 2 s) or a 5xx PocketBase would not send is a finding.
#   scripts/fuzz-http.sh [SECONDS]   (default 600)
# Builds into .build-fuzz (git-ignored), starts from Fuzz/corpus/http (committed, merged with -merge=1),
# Fuzz/seeds/http (hand-written) and Fuzz/regressions/http (every finding so far), grows the first, writes findings
# to Fuzz/crashes/. Turn each finding into a regression: copy it to Fuzz/regressions/http/ (also replayed by
# `swift test`). Before committing a grown corpus, minimise it:
#   .build-fuzz/debug/HTTPFuzz -merge=1 NEW_DIR Fuzz/corpus/http   (then replace Fuzz/corpus/http with NEW_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-600}"
SPTFY_FUZZ=1 swift build --scratch-path .build-fuzz --product HTTPFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
mkdir -p Fuzz/corpus/http Fuzz/crashes
# ASan: leaks are not findings here (the harness keeps one server alive for the whole run).
ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" .build-fuzz/debug/HTTPFuzz Fuzz/corpus/http Fuzz/seeds/http Fuzz/regressions/http \
    -max_total_time="$SECONDS_TO_RUN" -max_len=16384 -timeout=2 -rss_limit_mb=4096 \
    -artifact_prefix=Fuzz/crashes/http- -print_final_stats=1 -dict=Fuzz/http.dict
