#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
# Exits non-zero when any test fails.
#
# Usage: scripts/test.sh [--sanitize] [ctest arguments]
#   --sanitize  build into build-sanitize/ with AddressSanitizer and
#               UndefinedBehaviorSanitizer and run the tests there; any report
#               fails the run (the servers the tests start are built the same
#               way and inherit the options).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=false
if [ "${1:-}" = "--sanitize" ]; then sanitize=true; shift; fi
scripts/install-deps.sh
if $sanitize; then
  export BUILD_DIR=${BUILD_DIR:-build-sanitize}
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  scripts/build.sh -DBIOCORPUS_BUILD_TESTS=ON -DBIOCORPUS_SANITIZE=ON
else
  scripts/build.sh -DBIOCORPUS_BUILD_TESTS=ON
fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "${JOBS:-2}" "$@"
