#!/usr/bin/env bash
# Fuzzes the filter parser + resolver with libFuzzer.
#   scripts/fuzz-filter.sh [SECONDS]   (default 600)
# Builds into .build-fuzz (git-ignored), grows Fuzz/corpus/filter (committed), writes crashes to Fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-600}"
SPTFY_FUZZ=1 swift build --scratch-path .build-fuzz --product FilterFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
mkdir -p Fuzz/corpus/filter Fuzz/crashes
.build-fuzz/debug/FilterFuzz Fuzz/corpus/filter -max_total_time="$SECONDS_TO_RUN" -max_len=4096 \
    -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 -dict=Fuzz/filter.dict
