#!/usr/bin/env bash
# The main job on one machine: installs what is missing, builds, starts both
# services on loopback with a fresh data directory, ingests the sample corpus,
# prints what the query service returns, and prints grpcurl commands to try.
# The services stop when the script exits, unless --keep is given.
#
# Usage: scripts/demo.sh [--keep] [PATH...]   (default PATH: samples/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

keep=false
paths=()
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) paths+=("$arg") ;;
  esac
done
[ ${#paths[@]} -gt 0 ] || paths=("$root/samples")

scripts/install-deps.sh
echo "== building (first build takes a few minutes on two cores)"
scripts/build.sh
bin="$root/${BUILD_DIR:-build}"
cli="$bin/cli/biocorpus"

work=$(mktemp -d "${TMPDIR:-/tmp}/biocorpus-demo.XXXXXX")
pids=()
cleanup() {
  if $keep; then
    echo
    echo "Services left running (--keep): pids ${pids[*]}; data in $work/data"
    echo "The ingest token is in $work/ingest.token (export BIOCORPUS_INGEST_TOKEN=\$(cat $work/ingest.token))"
    echo "Stop them with: kill ${pids[*]}"
    return
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start VAR NAME BINARY ARGS... (not in a subshell, so that cleanup knows
# the pid).
# shellcheck source=scripts/start_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/start_server.sh"

echo "== starting the services (data directory $work/data)"
# Only holders of this token may write; the client reads it from the
# environment.
token_file="$work/ingest.token"
(umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$token_file")
export BIOCORPUS_INGEST_TOKEN
BIOCORPUS_INGEST_TOKEN=$(cat "$token_file")
start ingest ingest "$bin/ingest_service/biocorpus-ingest" \
  --listen=127.0.0.1:0 --data_dir="$work/data" --auth_token_file="$token_file" \
  --metrics_listen=127.0.0.1:0
start query query "$bin/query_service/biocorpus-query" \
  --listen=127.0.0.1:0 --data_dir="$work/data" --metrics_listen=127.0.0.1:0
ingest_metrics=$(awk '/ metrics on /{print $4; exit}' "$work/ingest.out")
query_metrics=$(awk '/ metrics on /{print $4; exit}' "$work/query.out")
echo "biocorpus-ingest on $ingest (metrics http://$ingest_metrics/metrics)"
echo "biocorpus-query  on $query (metrics http://$query_metrics/metrics)"

echo
echo "== ingesting ${paths[*]} through the ingest service"
"$cli" ingest --target="$ingest" "${paths[@]}" || true


echo
echo "== documents, as the query service serves them"
# The query service opens the database in the background (reading the
# recorded vocabulary) and then follows the primary on a 100 ms timer: wait
# for it; until it is open it answers UNAVAILABLE.
listed=""
for _ in $(seq 1 100); do
  listed=$("$cli" documents --target="$query" 2>/dev/null) || listed=""
  count=$(printf '%s\n' "$listed" | grep -c '^documents/' || true)
  [ "$count" -ge "$(find "${paths[@]}" -type f ! -name '.*' | wc -l)" ] && break
  sleep 0.1
done
printf '%s\n' "$listed"
echo
for format in CITATION_RECORD MIRRORED_ARTICLE PLAIN_ABSTRACT; do
  n=$(printf '%s\n' "$listed" | grep -c "  $format  " || true)
  echo "$format: $n documents"
done

for format in CITATION_RECORD MIRRORED_ARTICLE PLAIN_ABSTRACT; do
  name=$(printf '%s\n' "$listed" | awk -v f="$format" '$2 == f {print $1; exit}')
  [ -n "$name" ] || continue
  echo
  echo "== passages of $name ($format)"
  "$cli" passages --target="$query" "$name"
done

echo
echo "== what the corpus holds"
"$cli" summary --target="$query" --top=12
echo
echo "== passages tagged with China's 2020 Biosecurity Law or any biosafety topic (first 5)"
"$cli" search --target="$query" --concepts=law/cn-biosecurity-law-2020,topic/biosafety \
  --descendants --page_size=5 --all_pages=false

echo
echo "== full-text search, ranked by BM25, matches in [brackets]: laboratory oversight"
"$cli" search --target="$query" --query='laborator* (oversight OR "risk assessment")' \
  --page_size=3 --all_pages=false --facets=5
echo
echo "== full-text search in Chinese: 安全法 finds 生物安全法"
"$cli" search --target="$query" --query='安全法' --page_size=3 --all_pages=false --facets=3

echo
echo "== analytics: passages and documents per year, topics with the places named beside them"
"$cli" counts --target="$query" --by=year
"$cli" cooccur --target="$query" --row_category=topic --column_category=location \
  --order=npmi --page_size=6 --plot="$work/cooccurrence.svg"
"$cli" trends --target="$query" --concepts=topic/laboratory-biosafety,topic/biosecurity \
  --plot="$work/trends.svg"
"$cli" export --target="$query" --output="$work/corpus.bioc.json"
echo "(the heatmap, the chart and the BioC file are in $work: scripts/demo.sh --keep keeps them)"

echo
echo "== a citation looked up by its DOI, spelled another way, in APA and BibTeX"
"$cli" cite --target="$query" --doi=DOI:10.5555/JBPS.2023.1042 --formats=apa,bibtex
echo "== the passages that cite https://doi.org/10.5555/origins.2022.77"
"$cli" citing --target="$query" --url=http://dx.doi.org/10.5555/origins.2022.77

echo
echo "== Prometheus metrics: some lines of http://$query_metrics/metrics and http://$ingest_metrics/metrics"
curl -s "http://$query_metrics/metrics" |
  grep -E '^biocorpus_(documents|passages|annotations)_stored|^biocorpus_query_catch_up|^biocorpus_grpc_requests_total\{method="/biocorpus' | head -12 || true
curl -s "http://$ingest_metrics/metrics" |
  grep -E '^biocorpus_ingested_(bytes|documents)_total' | head -6 || true

first=$(printf '%s\n' "$listed" | awk '/^documents\//{print $1; exit}')
cat <<EOT

== try it with grpcurl (no proto files needed: both servers serve reflection)
grpcurl -plaintext $query list
grpcurl -plaintext $query describe biocorpus.v1.QueryService
grpcurl -plaintext -d '{"page_size": 5}' $query biocorpus.v1.QueryService/ListDocuments
grpcurl -plaintext -d '{"name": "$first"}' $query biocorpus.v1.QueryService/GetDocument
grpcurl -plaintext -d '{"parent": "$first", "page_size": 3}' $query biocorpus.v1.QueryService/ListPassages
grpcurl -plaintext -d '{"concepts": ["topic/biotechnology"], "include_descendants": true, "page_size": 5}' $query biocorpus.v1.QueryService/SearchPassages
grpcurl -plaintext -d '{"query": "biosafety -\"gain of function\"", "facet_size": 5, "page_size": 3}' $query biocorpus.v1.QueryService/SearchPassages
grpcurl -plaintext -d '{"category": "LEGISLATION", "omit_unused": true}' $query biocorpus.v1.QueryService/ListTags
grpcurl -plaintext -d '{"title": "gain of function oversight", "formats": ["APA", "RIS"]}' $query biocorpus.v1.QueryService/LookupCitation
grpcurl -plaintext -d '{"parent": "$first"}' $query biocorpus.v1.QueryService/ListReferences
grpcurl -plaintext -H "authorization: Bearer \$(cat $token_file)" -d '{"content": "'\$(base64 -w0 samples/plain_abstracts/one-health-surveillance.txt)'"}' $ingest biocorpus.v1.IngestService/IngestDocument
grpcurl -plaintext -d '{"service": "biocorpus.v1.QueryService"}' $query grpc.health.v1.Health/Check
or with the bundled client:
$cli documents --target=$query
$cli passages --target=$query $first
$cli tags --target=$query --top=20
$cli search --target=$query --concepts=topic/gene-editing --descendants
EOT
if ! $keep; then
  echo "(the services stop when this script exits: run scripts/demo.sh --keep to try these)"
fi
