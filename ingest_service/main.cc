// biocorpus-ingest: parses documents and writes them to the RocksDB primary.

#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/server_flags.h"
#include "corpus/rpc/server_runner.h"
#include "ingest_service/server/ingest_server.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "", "RocksDB data directory (required)");
ABSL_FLAG(int64_t, max_document_bytes, 16 << 20,
          "largest document accepted, in bytes");
ABSL_FLAG(int, max_html_depth, 1000,
          "deepest HTML element nesting accepted in an article body");
ABSL_FLAG(bool, sync_writes, true,
          "fsync the write-ahead log before acknowledging a write");
ABSL_FLAG(int64_t, min_free_disk_mb, 256,
          "refuse writes (RESOURCE_EXHAUSTED) while the disk holding --data_dir has less "
          "free space, in MiB; they resume once it has; 0: never refuse");
ABSL_FLAG(std::string, vocabulary, "",
          "vocabulary YAML file to tag with; default: the one built in");
ABSL_FLAG(bool, retag_on_start, true,
          "re-tag stored documents in the background when they were tagged "
          "with another vocabulary version");
ABSL_FLAG(std::string, auth_token_file, "",
          "file whose first line is the bearer token ingest calls must carry; "
          "default: $BIOCORPUS_INGEST_TOKEN");
ABSL_FLAG(bool, allow_unauthenticated, false,
          "serve ingest without a token (local development only)");
ABSL_FLAG(int, max_concurrent_ingests, 4,
          "documents parsed and written at once; more wait their turn");
ABSL_FLAG(int, max_queued_ingests, 64,
          "documents that may wait for a turn; beyond them RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA: require client certificates it signed (mutual TLS)");
ABSL_FLAG(std::string, snapshot_dir, "",
          "shared directory to publish snapshots to for query replicas in "
          "snapshot mode; default: none published");
ABSL_FLAG(int, snapshot_interval_s, 60,
          "with --snapshot_dir: publish this often when something was "
          "written (and after every bulk load)");
ABSL_FLAG(int, snapshot_keep, 4, "with --snapshot_dir: snapshots kept");

int main(int argc, char** argv) {
  biocorpus::ServerRunner::BlockShutdownSignals();
  absl::SetProgramUsageMessage(
      "Parses documents and stores them in RocksDB.\n"
      "Usage: biocorpus-ingest --data_dir=DIR [--listen=HOST:PORT]");
  absl::ParseCommandLine(argc, argv);
  biocorpus::InitLoggingFromFlags("biocorpus-ingest");

  biocorpus::IngestServerOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  options.min_free_disk_bytes = static_cast<uint64_t>(
      std::max<int64_t>(absl::GetFlag(FLAGS_min_free_disk_mb), 0)) << 20;
  options.vocabulary = absl::GetFlag(FLAGS_vocabulary);
  options.retag_on_start = absl::GetFlag(FLAGS_retag_on_start);
  options.allow_unauthenticated = absl::GetFlag(FLAGS_allow_unauthenticated);
  options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  options.max_html_depth = absl::GetFlag(FLAGS_max_html_depth);
  options.max_concurrent_ingests = absl::GetFlag(FLAGS_max_concurrent_ingests);
  options.max_queued_ingests = absl::GetFlag(FLAGS_max_queued_ingests);
  options.snapshot_dir = absl::GetFlag(FLAGS_snapshot_dir);
  options.snapshot_interval_s = absl::GetFlag(FLAGS_snapshot_interval_s);
  options.snapshot_keep = absl::GetFlag(FLAGS_snapshot_keep);
  options.server.listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<std::string> token =
      biocorpus::LoadIngestToken(absl::GetFlag(FLAGS_auth_token_file));
  absl::Status status = token.status();
  if (status.ok()) {
    options.token = *token;
    status = biocorpus::ApplyServerFlags(
        "biocorpus-ingest", absl::GetFlag(FLAGS_tls_client_ca_file), &options.server);
  }
  absl::StatusOr<std::unique_ptr<biocorpus::IngestServer>> server =
      status.ok() ? biocorpus::IngestServer::Start(std::move(options))
                  : absl::StatusOr<std::unique_ptr<biocorpus::IngestServer>>(status);
  if (server.ok()) status = (*server)->WaitForShutdown();
  if (!server.ok()) status = server.status();
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
