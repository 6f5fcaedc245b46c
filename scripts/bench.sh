#!/usr/bin/env bash
# Benchmarks biocorpus on this machine, in one run, against its floors and
# against PostgreSQL, and writes a Markdown report and a CSV under
# bench/results/ (ignored by git). Not part of CI: it takes several minutes.
#
# Usage: scripts/bench.sh [--documents N] [--scale-base N] [--seconds S]
#                         [--concurrency C] [--skip-scale] [--skip-postgres]
#                         [--text-large N] [--skip-text] [--profile]
#   --documents N    corpus size for the ingest, query and peer runs (20000)
#   --scale-base N   the small corpus of the scale run: N, 10N and 100N (1000)
#   --seconds S      length of each load run (10)
#   --concurrency C  concurrent connections for h2load and pgbench (16)
#   --text-large N   the larger corpus of the full-text comparison (100000)
#   --skip-text      no full-text search comparison (SQLite FTS5, PostgreSQL)
#   --profile        sample the query service with perf during each method's
#                    run and add where its CPU goes to the report
set -eu  # no pipefail: `grep ... | head -1` ends grep early on purpose
cd "$(dirname "$0")/.."
root=$(pwd)

documents=20000
scale_base=1000
seconds=10
concurrency=16
skip_scale=false
skip_postgres=false
skip_text=false
profile=false
text_large=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --documents) documents=$2; shift 2 ;;
    --scale-base) scale_base=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --skip-scale) skip_scale=true; shift ;;
    --skip-postgres) skip_postgres=true; shift ;;
    --skip-text) skip_text=true; shift ;;
    --profile) profile=true; shift ;;
    --text-large) text_large=$2; shift 2 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh --bench
export BUILD_DIR=build-release BUILD_TYPE=Release
scripts/build.sh -DBIOCORPUS_BUILD_TESTS=OFF -DBIOCORPUS_BUILD_BENCH=ON
bin=$root/build-release
bench=$bin/bench/biocorpus-bench
cli=$bin/cli/biocorpus

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
csv=$root/bench/results/bench-$stamp.csv
report=$root/bench/results/bench-$stamp.md
echo "section,metric,value" > "$csv"
work=$(mktemp -d /tmp/biocorpus-bench-XXXXXX)
chmod 755 "$work"
pids=()
pg_data=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_data" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# record SECTION METRIC VALUE: one CSV row, and a shell variable
# SECTION__METRIC for the report.
record() {
  echo "$1,$2,$3" >> "$csv"
  printf -v "v_${1}__${2}" '%s' "$3"
}
# collect SECTION < key=value lines (not in a pipeline: the variables must
# reach this shell)
collect() {
  local key value
  while IFS='=' read -r key value; do
    [ -n "$key" ] && record "$1" "$key" "$value"
  done
}
v() { local name="v_${1}__${2}"; printf '%s' "${!name:-n/a}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b }'; }

# shellcheck source=scripts/start_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/start_server.sh"
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
rss_mib() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

export BIOCORPUS_INGEST_TOKEN
BIOCORPUS_INGEST_TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
echo "$BIOCORPUS_INGEST_TOKEN" > "$work/token"

# start_pair DATA_DIR: fresh ingest and query services on DATA_DIR.
start_pair() {
  start ingest "ingest-$(basename "$1")" "$bin/ingest_service/biocorpus-ingest" \
    --listen=127.0.0.1:0 --data_dir="$1" --auth_token_file="$work/token" --log_level=warn
  # The benchmark build of the query service: the same server plus the
  # canned-response floor (biocorpus.canned.v1.CannedService).
  start query "query-$(basename "$1")" "$bin/bench/biocorpus-query-bench" \
    --listen=127.0.0.1:0 --data_dir="$1" --log_level=warn
}

# percentiles NAME: reads sorted latencies (microseconds, third column) and
# prints NAME_p50_ms, NAME_p99_ms and NAME_p999_ms.
percentiles() {
  awk -v n="$1" '
    function at(p,  i) { i = int(NR * p) + 1; if (i > NR) i = NR; return v[i] / 1000 }
    { v[NR] = $3 }
    END {
      if (NR == 0) exit
      printf "%s_p50_ms=%.3f\n%s_p99_ms=%.3f\n%s_p999_ms=%.3f\n", n, at(0.5), n, at(0.99), n, at(0.999)
    }'
}

# h2load_run SECTION NAME METHOD JSON [RPS_PER_CLIENT]: drives METHOD on the
# query service; records req/s and p50/p99/p99.9 (ms) from h2load's
# per-request log. grpc-status is checked once before, by a real call.
h2load_run() {
  local section=$1 name=$2 method=$3 json=$4 rps=${5:-}
  "$bench" payload "$method" "$json" "$work/$name.bin"
  "$bench" check "$query" "$method" "$json" >/dev/null
  local log="$work/$name-$section.log"
  local extra=()
  [ -n "$rps" ] && extra=(--rps="$rps")
  local perf_pid=""
  if $profile && [ "$section" = query ]; then
    # After h2load's warm-up second, for the rest of the run.
    (sleep 1; exec perf record -q -F 999 -g -p "$query_pid" -o "$work/perf-$name.data" \
      -- sleep "$((seconds - 1))") >/dev/null 2>&1 &
    perf_pid=$!
  fi
  h2load -D "$seconds" --warm-up-time=1 -c "$concurrency" -m 1 -t 1 "${extra[@]}" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/$name.bin" \
    --log-file="$log" "http://$query$method" > "$work/$name-$section.out" 2>&1
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    profile_summary "$name" > "$work/profile-$name.md"
  fi
  local rate failed
  rate=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' "$work/$name-$section.out")
  failed=$(awk '/^requests:/ {print $(NF-5)}' "$work/$name-$section.out")
  record "$section" "${name}_req_per_s" "$rate"
  record "$section" "${name}_failed" "${failed:-0}"
  collect "$section" < <(sort -n -k3,3 "$log" | percentiles "$name")
}

# profile_summary NAME: where the query service's CPU went during NAME's
# run: by shared object, then the functions with the most samples of their
# own, and the callers most of the samples pass through (children included).
profile_summary() {
  local data="$work/perf-$1.data"
  [ -s "$data" ] || { echo "(no samples)"; return; }
  echo '```'
  echo "by object (self):"
  perf report -i "$data" --no-children --sort dso --stdio 2>/dev/null \
    | awk '/^ *[0-9.]+%/ {print "  " $0}' | head -8
  echo "by function (self):"
  perf report -i "$data" --no-children --sort symbol --stdio -g none 2>/dev/null \
    | awk '/^ *[0-9.]+%/ {print "  " $0}' | head -15
  echo "by function (with callees):"
  perf report -i "$data" --children --sort symbol --stdio -g none 2>/dev/null \
    | awk '/^ *[0-9.]+%/ {print "  " $0}' | grep -i "biocorpus\|rocksdb\|protobuf\|grpc" | head -15
  echo '```'
}

echo "== generating $documents documents"
collect corpus < <("$bench" generate "$documents" "$work/corpus" 1)
doi=$(grep -rhoE 'DOI=10\.7777/bench\.[0-9]+' "$work/corpus/citation_records" | head -1 | cut -d= -f2)
cited=$(grep -rhoE 'https://doi\.org/10\.7777/bench\.[0-9]+' "$work/corpus" | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}' | sed 's#https://doi.org/##')
concept=topic/laboratory-biosafety

echo "== in-process floors (parse, tag, serialize; the writer's RocksDB batches alone)"
collect ingest < <("$bench" floor "$work/corpus" "$work/floor-db")

echo "== IngestDocuments over gRPC into an empty database"
start_pair "$work/db-main"
if $profile; then
  perf record -q -F 999 -g -p "$ingest_pid" -o "$work/perf-ingest.data" >/dev/null 2>&1 &
  ingest_perf_pid=$!
fi
collect ingest < <("$bench" ingest "$ingest" "$work/corpus")
if $profile; then
  kill -INT "$ingest_perf_pid" 2>/dev/null || true
  wait "$ingest_perf_pid" 2>/dev/null || true
  profile_summary ingest > "$work/profile-ingest.md"
fi
sleep 1
name=$("$cli" documents --target="$query" --page_size=1 --all_pages=false | awk '{print $1; exit}')

echo "== query throughput and latency (h2load, $concurrency connections, ${seconds}s each)"
declare -A methods=(
  [trivial]="/grpc.health.v1.Health/Check|{}"
  [get_document]="/biocorpus.v1.QueryService/GetDocument|{\"name\": \"$name\"}"
  [search_passages]="/biocorpus.v1.QueryService/SearchPassages|{\"concepts\": [\"$concept\"], \"pageSize\": 20}"
  [lookup_citation]="/biocorpus.v1.QueryService/LookupCitation|{\"doi\": \"$doi\"}"
  [citing_passages]="/biocorpus.v1.QueryService/ListCitingPassages|{\"doi\": \"$cited\", \"pageSize\": 20}"
)
order=(trivial get_document search_passages lookup_citation citing_passages)
for m in "${order[@]}"; do
  h2load_run query "$m" "${methods[$m]%%|*}" "${methods[$m]#*|}"
done
# The canned-response floor of each page method: the same server answering
# with prebuilt bytes of that method's response size.
for m in search_passages citing_passages; do
  size=$("$bench" check "$query" "${methods[$m]%%|*}" "${methods[$m]#*|}" | sed -n 's/.*response_bytes=\([0-9]*\).*/\1/p')
  record query "${m}_response_bytes" "$size"
  h2load_run query "canned_$m" /biocorpus.canned.v1.CannedService/GetCanned "{\"size\": $size}"
done
echo "== the same at half the measured maximum throughput"
for m in "${order[@]}"; do
  max=$(v query "${m}_req_per_s")
  per_client=$(awk -v r="$max" -v c="$concurrency" 'BEGIN { x = int(r / 2 / c); print (x < 1 ? 1 : x) }')
  h2load_run half "$m" "${methods[$m]%%|*}" "${methods[$m]#*|}" "$per_client"
done
record query query_rss_mib "$(rss_mib "$query_pid")"

echo "== freshness: acknowledgement to served (secondary mode)"
collect freshness < <("$bench" freshness "$ingest" "$query" 300)
if ! $skip_text; then
  echo "== full-text queries over gRPC ($concurrency at once, ${seconds}s)"
  "$bench" text-queries "$work/corpus" "$work/text-queries.tsv" 60 >/dev/null
  collect text < <("$bench" text-grpc "$query" "$work/text-queries.tsv" "$seconds" "$concurrency")
  record text text_data_mib "$(du -sm "$work/db-main" | cut -f1)"
fi
stop_all

if ! $skip_postgres; then
  echo "== PostgreSQL with the same documents (pgbench, $concurrency connections)"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  # PostgreSQL will not run as root: its files belong to the postgres user.
  mkdir -p "$work/pg"
  chown postgres "$work/pg"
  pg_data=$work/pg/data
  pg_port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=100" start >/dev/null
  psql=(psql -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q)
  "$bench" pg-export "$work/corpus" "$work/pgcopy" >/dev/null
  chmod -R a+r "$work/pgcopy"
  "${psql[@]}" <<SQL
CREATE TABLE documents (n bigint, id text PRIMARY KEY, doi text, body jsonb);
CREATE TABLE passages (doc_id text, ordinal int, body jsonb, PRIMARY KEY (doc_id, ordinal));
CREATE TABLE tags (concept text, doc_id text, ordinal int);
CREATE TABLE citations (key text, doc_id text, ordinal int);
\copy documents FROM '$work/pgcopy/documents.tsv'
\copy passages FROM '$work/pgcopy/passages.tsv'
\copy tags FROM '$work/pgcopy/tags.tsv'
\copy citations FROM '$work/pgcopy/citations.tsv'
CREATE INDEX documents_doi ON documents (lower(doi));
CREATE INDEX tags_concept ON tags (concept, doc_id, ordinal);
CREATE INDEX citations_key ON citations (key, doc_id, ordinal);
ANALYZE;
SQL
  pg_query() {
    case "$1" in
      get_document) echo "SELECT body FROM documents WHERE id = '$name';" ;;
      search_passages) echo "SELECT p.body FROM tags t JOIN passages p USING (doc_id, ordinal) WHERE t.concept = '$concept' ORDER BY t.doc_id, t.ordinal LIMIT 20;" ;;
      lookup_citation) echo "SELECT body FROM documents WHERE lower(doi) = lower('$doi');" ;;
      citing_passages) echo "SELECT p.body FROM citations c JOIN passages p USING (doc_id, ordinal) WHERE c.key = 'doi:$cited' ORDER BY c.doc_id, c.ordinal LIMIT 20;" ;;
    esac
  }
  for m in get_document search_passages lookup_citation citing_passages; do
    pg_query "$m" > "$work/pg-$m.sql"
    rm -f "$work"/pgbench_log.*
    (cd "$work" && pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$concurrency" -j 2 \
      -T "$seconds" -f "$work/pg-$m.sql" --log --log-prefix="$work/pgbench_log" postgres \
      > "$work/pg-$m.out" 2>&1)
    record postgres "${m}_tps" "$(awk '/^tps/ {print $3; exit}' "$work/pg-$m.out")"
    collect postgres < <(cat "$work"/pgbench_log.* | sort -n -k3,3 | percentiles "$m")
  done
  if ! $skip_text; then
    echo "== PostgreSQL full text (tsvector, GIN, ts_rank) with the same queries"
    awk -F'\t' '{ gsub(/\\/, "\\\\", $2); print NR "\t" $1 "\t" $2 }' "$work/text-queries.tsv" > "$work/pg-text-queries.tsv"
    chmod a+r "$work/pg-text-queries.tsv"
    "${psql[@]}" <<SQL
ALTER TABLE passages ADD COLUMN tsv tsvector;
UPDATE passages SET tsv = to_tsvector('english', body->>'text');
CREATE INDEX passages_tsv ON passages USING gin (tsv);
CREATE TABLE raw_queries (id int, concept text, query text);
\copy raw_queries FROM '$work/pg-text-queries.tsv'
CREATE TABLE text_queries AS SELECT id, concept, websearch_to_tsquery('english', query) AS q FROM raw_queries;
ANALYZE;
SQL
    record postgres text_index_bytes "$("${psql[@]}" -At -c "SELECT pg_relation_size('passages_tsv')")"
    nq=$(wc -l < "$work/text-queries.tsv")
    cat > "$work/pg-text.sql" <<SQL
\set i random(1, $nq)
SELECT p.doc_id, p.ordinal, p.body->>'text', ts_rank(p.tsv, q.q) AS r FROM passages p, text_queries q WHERE q.id = :i AND p.tsv @@ q.q AND (q.concept = '-' OR EXISTS (SELECT 1 FROM tags t WHERE t.concept = q.concept AND t.doc_id = p.doc_id AND t.ordinal = p.ordinal)) ORDER BY r DESC LIMIT 20;
SQL
    rm -f "$work"/pgbench_log.*
    (cd "$work" && pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$concurrency" -j 2 \
      -T "$seconds" -f "$work/pg-text.sql" --log --log-prefix="$work/pgbench_log" postgres \
      > "$work/pg-text.out" 2>&1)
    record postgres text_tps "$(awk '/^tps/ {print $3; exit}' "$work/pg-text.out")"
    collect postgres < <(cat "$work"/pgbench_log.* | sort -n -k3,3 | percentiles text)
  fi
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  pg_data=""
fi

if ! $skip_text; then
  echo "== full-text search in-process: the search core and SQLite FTS5, $documents documents"
  collect text$documents < <("$bench" text-core "$work/corpus" "$work/text-queries.tsv" "$work/text-core")
  collect text$documents < <("$bench" text-sqlite "$work/corpus" "$work/text-queries.tsv" "$work/text-sqlite")
  rm -rf "$work/text-core" "$work/text-sqlite"
  echo "== the same with $text_large documents"
  "$bench" generate "$text_large" "$work/text-large" 7 >/dev/null
  collect text$text_large < <("$bench" text-core "$work/text-large" "$work/text-queries.tsv" "$work/text-core")
  collect text$text_large < <("$bench" text-sqlite "$work/text-large" "$work/text-queries.tsv" "$work/text-sqlite")
  rm -rf "$work/text-core" "$work/text-sqlite" "$work/text-large"
fi

if ! $skip_scale; then
  for k in 1 10 100; do
    n=$((scale_base * k))
    echo "== scale: $n documents"
    "$bench" generate "$n" "$work/scale-$n" 7 >/dev/null
    start_pair "$work/db-scale-$n"
    "$bench" ingest "$ingest" "$work/scale-$n" > "$work/scale-$n-ingest.out"
    sleep 1
    name=$("$cli" documents --target="$query" --page_size=1 --all_pages=false | awk '{print $1; exit}')
    doi=$(grep -rhoE 'DOI=10\.7777/bench\.[0-9]+' "$work/scale-$n/citation_records" | head -1 | cut -d= -f2)
    cited=$(grep -rhoE 'https://doi\.org/10\.7777/bench\.[0-9]+' "$work/scale-$n" | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}' | sed 's#https://doi.org/##')
    methods[get_document]="/biocorpus.v1.QueryService/GetDocument|{\"name\": \"$name\"}"
    methods[lookup_citation]="/biocorpus.v1.QueryService/LookupCitation|{\"doi\": \"$doi\"}"
    methods[citing_passages]="/biocorpus.v1.QueryService/ListCitingPassages|{\"doi\": \"$cited\", \"pageSize\": 20}"
    for m in get_document search_passages lookup_citation citing_passages; do
      h2load_run "scale$n" "$m" "${methods[$m]%%|*}" "${methods[$m]#*|}"
    done
    record "scale$n" query_rss_mib "$(rss_mib "$query_pid")"
    record "scale$n" data_mib "$(du -sm "$work/db-scale-$n" | cut -f1)"
    stop_all
    rm -rf "$work/scale-$n" "$work/db-scale-$n"
  done
fi

# ---- the report ----
pass() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { if (a == "n/a" || b == "n/a") { print "n/a"; exit }
  ok = (op == ">=") ? (a + 0 >= b + 0) : (a + 0 < b + 0); print ok ? "met" : "missed" }'; }
{
  echo "# biocorpus benchmark, $stamp"
  echo
  echo "- Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "- Commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
  echo "- Settings: $documents documents ($(v corpus generated_bytes) bytes), Release build, h2load and pgbench at $concurrency connections for ${seconds}s per run, ingest with --sync_writes (one fsync per group commit), PostgreSQL with its defaults plus shared_buffers=512MB (synchronous_commit on)"
  echo
  echo "## Ingest"
  echo
  echo "| path | documents/s | MB/s |"
  echo "|---|---|---|"
  echo "| IngestDocuments over gRPC into an empty database | $(v ingest ingest_docs_per_s) | $(v ingest ingest_mb_per_s) |"
  echo "| floor: parse + tag + serialize in-process, $(v ingest floor_parse_threads) threads | $(v ingest floor_parse_docs_per_s) | $(v ingest floor_parse_mb_per_s) |"
  echo "| floor: the writer's RocksDB group commits alone (64 documents, one fsync each) | $(v ingest floor_write_docs_per_s) | $(v ingest floor_write_mb_per_s) |"
  echo "| combined floor: $(v ingest floor_cores) cores ÷ (parse $(v ingest floor_parse_cpu_ms_per_doc) + write $(v ingest floor_write_cpu_ms_per_doc) ms of CPU per document) | $(v ingest floor_combined_docs_per_s) | |"
  echo "| in-process unary ingests from 16 callers, one commit each (2,000 documents) | $(v ingest unary_single_docs_per_s) | |"
  echo "| in-process unary ingests from 16 callers, group commits | $(v ingest unary_grouped_docs_per_s) | |"
  echo
  echo "ours ÷ combined floor: $(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_combined_docs_per_s)") (target ≥ 0.85: $(pass "$(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_combined_docs_per_s)")" ">=" 0.85)); ours ÷ parse floor: $(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_parse_docs_per_s)"); ours ÷ writer floor: $(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_write_docs_per_s)"); unary group commits ÷ one commit each: $(ratio "$(v ingest unary_grouped_docs_per_s)" "$(v ingest unary_single_docs_per_s)")"
  echo
  echo "## Query (h2load; latencies in ms)"
  echo
  echo "| method | req/s | p50 | p99 | p99.9 | failed | ÷ trivial | p99 at half max | PostgreSQL tps | ÷ PostgreSQL |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for m in "${order[@]}"; do
    echo "| $m | $(v query "${m}_req_per_s") | $(v query "${m}_p50_ms") | $(v query "${m}_p99_ms") | $(v query "${m}_p999_ms") | $(v query "${m}_failed") | $(ratio "$(v query "${m}_req_per_s")" "$(v query trivial_req_per_s)") | $(v half "${m}_p99_ms") | $(v postgres "${m}_tps") | $(ratio "$(v query "${m}_req_per_s")" "$(v postgres "${m}_tps")") |"
  done
  echo
  echo "PostgreSQL latencies (ms): $(for m in get_document search_passages lookup_citation citing_passages; do printf '%s p50 %s p99 %s; ' "$m" "$(v postgres "${m}_p50_ms")" "$(v postgres "${m}_p99_ms")"; done)"
  echo
  echo "Canned-response floor (the same server answering GetCanned with prebuilt bytes of the page's size):"
  echo
  echo "| method | response bytes | canned req/s | canned p99 | ours ÷ canned (target ≥ 0.70) |"
  echo "|---|---|---|---|---|"
  for m in search_passages citing_passages; do
    echo "| $m | $(v query "${m}_response_bytes") | $(v query "canned_${m}_req_per_s") | $(v query "canned_${m}_p99_ms") | $(ratio "$(v query "${m}_req_per_s")" "$(v query "canned_${m}_req_per_s")") ($(pass "$(ratio "$(v query "${m}_req_per_s")" "$(v query "canned_${m}_req_per_s")")" ">=" 0.7)) |"
  done
  echo
  echo "Query service peak RSS: $(v query query_rss_mib) MiB"
  echo
  if $profile; then
    echo "## Where the services' CPU goes (perf, --profile)"
    echo
    echo "The ingest service during IngestDocuments, then the query service during each method's run."
    echo
    if [ -f "$work/profile-ingest.md" ]; then
      echo "### ingest"
      echo
      cat "$work/profile-ingest.md"
      echo
    fi
    for m in "${order[@]}" canned_search_passages canned_citing_passages; do
      [ -f "$work/profile-$m.md" ] || continue
      echo "### $m"
      echo
      cat "$work/profile-$m.md"
      echo
    done
  fi
  echo "## Scale (h2load p50 / p99 in ms)"
  echo
  echo "| documents | get_document | search_passages | lookup_citation | citing_passages | query RSS MiB | data MiB |"
  echo "|---|---|---|---|---|---|---|"
  for k in 1 10 100; do
    n=$((scale_base * k)); s="scale$n"
    echo "| $n | $(v "$s" get_document_p50_ms) / $(v "$s" get_document_p99_ms) | $(v "$s" search_passages_p50_ms) / $(v "$s" search_passages_p99_ms) | $(v "$s" lookup_citation_p50_ms) / $(v "$s" lookup_citation_p99_ms) | $(v "$s" citing_passages_p50_ms) / $(v "$s" citing_passages_p99_ms) | $(v "$s" query_rss_mib) | $(v "$s" data_mib) |"
  done
  echo
  if ! $skip_text; then
    small="text$documents"; large="text$text_large"
    echo "## Full-text search (top 20 by relevance; latencies in ms)"
    echo
    echo "$(wc -l < "$work/text-queries.tsv") queries drawn from the generated documents (listed below), each run on two threads in-process and at $concurrency connections over the protocols."
    echo
    echo "| documents | search core q/s | p50 | p99 | SQLite FTS5 q/s | p50 | p99 | core ÷ FTS5 | text index MiB | FTS5 file MiB | index ÷ FTS5 |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for s in "$small" "$large"; do
      echo "| $(v "$s" core_documents) | $(v "$s" core_qps) | $(v "$s" core_p50_ms) | $(v "$s" core_p99_ms) | $(v "$s" sqlite_qps) | $(v "$s" sqlite_p50_ms) | $(v "$s" sqlite_p99_ms) | $(ratio "$(v "$s" core_qps)" "$(v "$s" sqlite_qps)") | $(awk -v b="$(v "$s" text_index_bytes)" 'BEGIN{printf "%.1f", b/1048576}') | $(awk -v b="$(v "$s" sqlite_file_bytes)" 'BEGIN{printf "%.1f", b/1048576}') | $(ratio "$(v "$s" text_index_bytes)" "$(v "$s" sqlite_file_bytes)") |"
    done
    echo
    echo "Over the protocols, $documents documents: biocorpus SearchPassages over gRPC $(v text grpc_qps) q/s (p50 $(v text grpc_p50_ms), p99 $(v text grpc_p99_ms), failed $(v text grpc_failed)); PostgreSQL tsvector + GIN + ts_rank $(v postgres text_tps) tps (p50 $(v postgres text_p50_ms), p99 $(v postgres text_p99_ms)); GIN index $(awk -v b="$(v postgres text_index_bytes)" 'BEGIN{printf "%.1f", b/1048576}') MiB."
    echo
    echo "Writing with and without the text index (in-process writer, group commits of 64, fsync each): $(v "$small" write_text_docs_per_s) vs $(v "$small" write_plain_docs_per_s) documents/s at $documents documents, $(v "$large" write_text_docs_per_s) vs $(v "$large" write_plain_docs_per_s) at $text_large; mean result set $(v "$small" core_mean_total_size) passages at $documents."
    echo
    echo "Targets:"
    echo "- search core ÷ SQLite FTS5 at $text_large documents: $(ratio "$(v "$large" core_qps)" "$(v "$large" sqlite_qps)") (≥ 2: $(pass "$(ratio "$(v "$large" core_qps)" "$(v "$large" sqlite_qps)")" ">=" 2))"
    echo "- over gRPC ÷ PostgreSQL: $(ratio "$(v text grpc_qps)" "$(v postgres text_tps)") (≥ 5: $(pass "$(ratio "$(v text grpc_qps)" "$(v postgres text_tps)")" ">=" 5))"
    echo "- text index ÷ FTS5 size at $text_large documents: $(ratio "$(v "$large" text_index_bytes)" "$(v "$large" sqlite_file_bytes)") (≤ 1.5: $(pass "$(ratio "$(v "$large" text_index_bytes)" "$(v "$large" sqlite_file_bytes)")" "<" 1.5001))"
    echo "- core p50 at $text_large ÷ at $documents: $(ratio "$(v "$large" core_p50_ms)" "$(v "$small" core_p50_ms)") (≤ 1.5: $(pass "$(ratio "$(v "$large" core_p50_ms)" "$(v "$small" core_p50_ms)")" "<" 1.5001))"
    echo "- writing with the index ÷ without, $documents documents: $(ratio "$(v "$small" write_text_docs_per_s)" "$(v "$small" write_plain_docs_per_s)") (≥ 0.80: $(pass "$(ratio "$(v "$small" write_text_docs_per_s)" "$(v "$small" write_plain_docs_per_s)")" ">=" 0.8))"
    echo
    echo "The queries (concept filter, query):"
    echo
    echo '```'
    cat "$work/text-queries.tsv"
    echo '```'
    echo
  fi
  echo "## Freshness (secondary mode)"
  echo
  echo "Acknowledgement to served, $(v freshness freshness_probes) probes: p50 $(v freshness freshness_p50_ms) ms, p99 $(v freshness freshness_p99_ms) ms (target p99 < 200 ms: $(pass "$(v freshness freshness_p99_ms)" "<" 200))."
  echo
  echo "## Targets"
  echo
  # The targets of each method: the floor it is measured against (the
  # trivial RPC for point lookups, the canned response for pages), its
  # share of it, and its multiple of PostgreSQL's throughput.
  declare -A floor_of=([get_document]=trivial [lookup_citation]=trivial
    [search_passages]=canned_search_passages [citing_passages]=canned_citing_passages)
  declare -A share_of=([get_document]=0.90 [lookup_citation]=0.80 [search_passages]=0.70
    [citing_passages]=0.70)
  declare -A pg_of=([get_document]=1.5 [lookup_citation]=1.2)
  echo "- ingest: ÷ combined floor $(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_combined_docs_per_s)") (≥ 0.85: $(pass "$(ratio "$(v ingest ingest_docs_per_s)" "$(v ingest floor_combined_docs_per_s)")" ">=" 0.85))"
  for m in get_document search_passages lookup_citation citing_passages; do
    f=${floor_of[$m]}
    share=$(ratio "$(v query "${m}_req_per_s")" "$(v query "${f}_req_per_s")")
    line="- $m: throughput ÷ ${f/canned_*/canned floor} $share (≥ ${share_of[$m]}: $(pass "$share" ">=" "${share_of[$m]}"))"
    if [ -n "${pg_of[$m]:-}" ]; then
      pg=$(ratio "$(v query "${m}_req_per_s")" "$(v postgres "${m}_tps")")
      line+="; ÷ PostgreSQL $pg (≥ ${pg_of[$m]}: $(pass "$pg" ">=" "${pg_of[$m]}"))"
    fi
    line+="; p99 at half max $(v half "${m}_p99_ms") ms (< 2: $(pass "$(v half "${m}_p99_ms")" "<" 2))"
    line+="; p50 at $((scale_base * 100)) ÷ at $scale_base: $(ratio "$(v "scale$((scale_base * 100))" "${m}_p50_ms")" "$(v "scale$scale_base" "${m}_p50_ms")") (≤ 1.5: $(pass "$(ratio "$(v "scale$((scale_base * 100))" "${m}_p50_ms")" "$(v "scale$scale_base" "${m}_p50_ms")")" "<" 1.5001))"
    echo "$line"
  done
} > "$report"

echo
cat "$report"
echo
echo "report: $report"
echo "csv:    $csv"
