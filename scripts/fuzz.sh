#!/usr/bin/env bash
# Builds the parser fuzzers with clang (libFuzzer + AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 60), seeded
# with the samples and test fixtures. Exits non-zero when any fuzzer finds a
# crash, leak or sanitizer report; crash inputs are kept in build-fuzz/findings.
#
# Usage: scripts/fuzz.sh [SECONDS] [FUZZER...]
#        FUZZ_RUNS=N scripts/fuzz.sh 0 [FUZZER...]   (N executions each, no time limit;
#                                                   the long runs of docs/durability.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
limit=(-max_total_time="$seconds")
if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(citation_record_fuzzer mirrored_article_fuzzer
                                     plain_abstract_fuzzer document_parser_fuzzer
                                     concept_matcher_fuzzer)

scripts/install-deps.sh --fuzz
build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBIOCORPUS_FUZZ=ON -DBIOCORPUS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target "${fuzzers[@]}"

seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds" "$build/findings"
find samples tests/fixtures -type f -exec cp {} "$seeds/" \;

status=0
for fuzzer in "${fuzzers[@]}"; do
  corpus="$build/corpus/$fuzzer"
  mkdir -p "$corpus"
  echo "== $fuzzer ${limit[*]}"
  started=$(date +%s)
  if "$build/tests/fuzz/$fuzzer" "$corpus" "$seeds" "${limit[@]}" \
       -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$build/findings/$fuzzer-" >"$build/$fuzzer.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$fuzzer.log" | awk '{print $2}')
    echo "$fuzzer: clean, ${runs:-?} executions in $(( $(date +%s) - started )) s"
  else
    status=1
    echo "$fuzzer: FOUND A PROBLEM; see $build/$fuzzer.log and $build/findings/"
    tail -30 "$build/$fuzzer.log"
  fi
done
exit $status
