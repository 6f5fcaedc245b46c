#!/usr/bin/env bash
# Soak: both services under mixed load for a given time, on loopback only,
# bounded and self-stopping. The ingest service publishes snapshots; one
# query service follows it as a secondary and two more serve its snapshots
# (swapping as they come). biocorpus-bench soak seeds half of a generated
# corpus, measures the highest rate of a mix of every query method and
# drives it at half that rate while streams, updates, deletes and snapshot
# publications run. It reports calls and failures by method and code, p99
# over time, and RSS and open files of every server over time, and exits
# non-zero when a call failed or memory or open files kept growing. Not part
# of CI; docs/durability.md has a 10-minute run.
#
# Usage: scripts/soak.sh [--seconds S] [--report S] [--documents N]
#   --seconds S    how long the load runs (600)
#   --report S     the reporting interval (30)
#   --documents N  the generated corpus, half seeded and half churned (4000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=600
report=30
documents=4000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    --documents) documents=$2; shift 2 ;;
    *) echo "soak: unknown argument $1" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh --bench
export BUILD_DIR=build-release BUILD_TYPE=Release
scripts/build.sh -DBIOCORPUS_BUILD_TESTS=OFF -DBIOCORPUS_BUILD_BENCH=ON
bin=$root/build-release
bench=$bin/bench/biocorpus-bench

work=$(mktemp -d /tmp/biocorpus-soak-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM INT
# However the load ends, nothing outlives its time by more than a minute.
( sleep $((seconds + 300)); echo "soak: over time, stopping" >&2; kill -TERM $$ ) &
watchdog=$!

# shellcheck source=scripts/start_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/start_server.sh"

export BIOCORPUS_INGEST_TOKEN
BIOCORPUS_INGEST_TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
echo "$BIOCORPUS_INGEST_TOKEN" > "$work/token"

echo "== generating $documents documents"
"$bench" generate "$documents" "$work/corpus" 7 >/dev/null
start ingest ingest "$bin/ingest_service/biocorpus-ingest" --listen=127.0.0.1:0 \
  --data_dir="$work/db" --auth_token_file="$work/token" --snapshot_dir="$work/snapshots" \
  --snapshot_interval_s=3600 --snapshot_keep=3 --log_level=warn
start secondary secondary "$bin/query_service/biocorpus-query" --listen=127.0.0.1:0 \
  --data_dir="$work/db" --secondary_dir="$work/secondary" --log_level=warn
start replica1 replica1 "$bin/query_service/biocorpus-query" --listen=127.0.0.1:0 \
  --mode=snapshot --snapshot_dir="$work/snapshots" --restore_dir="$work/restore1" \
  --snapshot_poll_ms=1000 --log_level=warn
start replica2 replica2 "$bin/query_service/biocorpus-query" --listen=127.0.0.1:0 \
  --mode=snapshot --snapshot_dir="$work/snapshots" --restore_dir="$work/restore2" \
  --snapshot_poll_ms=1000 --log_level=warn

echo "== soak for ${seconds}s (report every ${report}s)"
status=0
"$bench" soak "$ingest" "$secondary,$replica1,$replica2" "$work/corpus" "$seconds" "$report" \
  "ingest=$ingest_pid,secondary=$secondary_pid,replica1=$replica1_pid,replica2=$replica2_pid" \
  || status=$?
for name in ingest secondary replica1 replica2; do
  if grep -qiE 'error|assert|sanitizer' "$work/$name.log"; then
    echo "-- $name log (errors):"; grep -iE 'error|assert|sanitizer' "$work/$name.log" | head -20
  fi
done
kill "$watchdog" 2>/dev/null || true
exit $status
