// biocorpus-query: serves the corpus read-only, in one of two modes:
// secondary (a RocksDB secondary instance following the ingest service's
// primary on the same machine) or snapshot (the newest snapshot the ingest
// service published, restored to local disk and swapped for each newer one).

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/rpc/server_flags.h"
#include "corpus/rpc/server_runner.h"
#include "query_service/server/query_server.h"
#include "spdlog/spdlog.h"

#ifdef BIOCORPUS_CANNED_FLOOR
#include "bench/canned_service.h"
#endif

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "HOST:PORT to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, mode, "secondary",
          "secondary: follow the primary in --data_dir on this machine; "
          "snapshot: serve the newest snapshot published in --snapshot_dir");
ABSL_FLAG(std::string, data_dir, "",
          "secondary mode: the ingest service's RocksDB data directory");
ABSL_FLAG(std::string, snapshot_dir, "",
          "snapshot mode: the directory the ingest service publishes to");
ABSL_FLAG(std::string, restore_dir, "",
          "snapshot mode: local directory to restore snapshots into (emptied "
          "at start); default: a new directory under the system temp directory");
ABSL_FLAG(int, snapshot_poll_ms, 5000,
          "snapshot mode: how often to look for a newer snapshot");
ABSL_FLAG(std::string, secondary_dir, "",
          "a directory of this process's own for the secondary instance; "
          "default: a new directory under the system temp directory");
ABSL_FLAG(int, secondary_reopen_s, 300,
          "secondary mode: open the secondary anew this often (seconds; 0: never), letting go "
          "of the files the ingest service deleted");
ABSL_FLAG(int, catch_up_interval_ms, 100,
          "secondary mode: how often to catch up with the primary, in milliseconds");
ABSL_FLAG(int, serving_threads, 0,
          "threads answering the query methods from completion queues, one queue each "
          "(0: one per core)");

int main(int argc, char** argv) {
  biocorpus::ServerRunner::BlockShutdownSignals();
  absl::SetProgramUsageMessage(
      "Serves the corpus read-only over gRPC.\n"
      "Usage: biocorpus-query --data_dir=DIR [--listen=HOST:PORT]");
  absl::ParseCommandLine(argc, argv);
  biocorpus::InitLoggingFromFlags("biocorpus-query");

  biocorpus::QueryServerOptions options;
  options.mode = absl::GetFlag(FLAGS_mode);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.snapshot_dir = absl::GetFlag(FLAGS_snapshot_dir);
  options.restore_dir = absl::GetFlag(FLAGS_restore_dir);
  options.snapshot_poll_ms = absl::GetFlag(FLAGS_snapshot_poll_ms);
  options.secondary_dir = absl::GetFlag(FLAGS_secondary_dir);
  options.catch_up_interval_ms = absl::GetFlag(FLAGS_catch_up_interval_ms);
  options.secondary_reopen_s = absl::GetFlag(FLAGS_secondary_reopen_s);
  options.serving_threads = absl::GetFlag(FLAGS_serving_threads);
  options.server.listen = absl::GetFlag(FLAGS_listen);
#ifdef BIOCORPUS_CANNED_FLOOR
  // biocorpus-query-bench: the canned-response floor beside the query service.
  static biocorpus::bench::CannedService canned;
  options.extra_services.push_back(&canned);
  options.extra_async_methods.push_back(
      [](biocorpus::CompletionQueueServing* queues) { canned.ServeFrom(queues); });
#endif
  absl::Status status = biocorpus::ApplyServerFlags("biocorpus-query", "", &options.server);
  absl::StatusOr<std::unique_ptr<biocorpus::QueryServer>> server =
      status.ok() ? biocorpus::QueryServer::Start(std::move(options))
                  : absl::StatusOr<std::unique_ptr<biocorpus::QueryServer>>(status);
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return EXIT_FAILURE;
  }
  (*server)->WaitForShutdown();
  return EXIT_SUCCESS;
}
