// biocorpus-query: serves the corpus read-only, in one of two modes:
// secondary (a RocksDB secondary instance following the ingest service's
// primary on the same machine) or snapshot (the newest snapshot the ingest
// service published, restored to local disk and swapped for each newer one).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "corpus/rpc/server_flags.h"
#include "corpus/rpc/server_runner.h"
#include "query_service/server/query_service_impl.h"
#include "query_service/snapshot/snapshot_follower.h"
#include "query_service/store/corpus_reader.h"
#include "spdlog/spdlog.h"

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
ABSL_FLAG(int, catch_up_interval_ms, 100,
          "secondary mode: how often to catch up with the primary, in milliseconds");

namespace {

constexpr char kServiceName[] = "biocorpus.v1.QueryService";

// Opens the reader, retrying until the primary has created the database or
// `stop` is set.
void OpenWhenReady(const biocorpus::CorpusReaderOptions& options,
                   biocorpus::QueryServiceImpl* service,
                   biocorpus::ServerRunner* server, const std::atomic<bool>* stop) {
  bool warned = false;
  while (!stop->load()) {
    absl::StatusOr<std::unique_ptr<biocorpus::CorpusReader>> reader =
        biocorpus::CorpusReader::Open(options);
    if (reader.ok()) {
      absl::StatusOr<uint64_t> count = (*reader)->DocumentCount();
      spdlog::info("opened {} as a secondary (secondary dir {}, {} documents)",
                   options.data_dir, options.secondary_dir,
                   count.ok() ? *count : 0);
      service->SetReader(std::shared_ptr<biocorpus::CorpusReader>(std::move(*reader)));
      server->SetServing("", true);
      server->SetServing(kServiceName, true);
      return;
    }
    if (!warned) {
      spdlog::warn("{}; NOT_SERVING until it can be opened",
                   reader.status().ToString());
      warned = true;
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(options.catch_up_interval_ms));
  }
}

}  // namespace

int main(int argc, char** argv) {
  biocorpus::ServerRunner::BlockShutdownSignals();
  absl::SetProgramUsageMessage(
      "Serves the corpus read-only over gRPC.\n"
      "Usage: biocorpus-query --data_dir=DIR [--listen=HOST:PORT]");
  absl::ParseCommandLine(argc, argv);
  biocorpus::InitLoggingFromFlags("biocorpus-query");

  const std::string mode = absl::GetFlag(FLAGS_mode);
  const bool snapshot_mode = mode == "snapshot";
  if (!snapshot_mode && mode != "secondary") {
    spdlog::error("--mode must be secondary or snapshot, not '{}'", mode);
    return EXIT_FAILURE;
  }
  biocorpus::CorpusReaderOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  biocorpus::SnapshotFollowerOptions snapshot_options;
  snapshot_options.snapshot_dir = absl::GetFlag(FLAGS_snapshot_dir);
  snapshot_options.poll_interval_ms = absl::GetFlag(FLAGS_snapshot_poll_ms);
  if (snapshot_mode ? snapshot_options.snapshot_dir.empty() : options.data_dir.empty()) {
    spdlog::error(snapshot_mode ? "--snapshot_dir is required in snapshot mode"
                                : "--data_dir is required in secondary mode");
    return EXIT_FAILURE;
  }
  options.catch_up_interval_ms = absl::GetFlag(FLAGS_catch_up_interval_ms);
  if (options.catch_up_interval_ms <= 0 || snapshot_options.poll_interval_ms <= 0) {
    spdlog::error("--catch_up_interval_ms and --snapshot_poll_ms must be positive");
    return EXIT_FAILURE;
  }
  // The secondary's (or the restored snapshots') own directory.
  std::string& own_dir = snapshot_mode ? snapshot_options.restore_dir : options.secondary_dir;
  own_dir = absl::GetFlag(snapshot_mode ? FLAGS_restore_dir : FLAGS_secondary_dir);
  bool remove_own_dir = false;
  if (own_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "biocorpus-query-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      spdlog::error("cannot create a directory under {}",
                    std::filesystem::temp_directory_path().string());
      return EXIT_FAILURE;
    }
    own_dir = pattern;
    remove_own_dir = true;
  }

  biocorpus::QueryServiceImpl service;
  biocorpus::ServerRunnerOptions server_options;
  server_options.listen = absl::GetFlag(FLAGS_listen);
  biocorpus::Metrics metrics;
  // The follower is created after the server starts; the collector reads it
  // through this pointer, cleared before it goes.
  std::atomic<biocorpus::SnapshotFollower*> follower_for_metrics{nullptr};
  metrics.AddCollector([&service, &follower_for_metrics](std::string* out) {
    service.AppendMetrics(out);
    if (biocorpus::SnapshotFollower* f = follower_for_metrics.load()) f->AppendMetrics(out);
  });
  server_options.metrics = &metrics;
  if (absl::Status applied = biocorpus::ApplyServerFlags("biocorpus-query", "", &server_options);
      !applied.ok()) {
    spdlog::error("{}", applied.ToString());
    return EXIT_FAILURE;
  }
  server_options.max_receive_message_bytes = 4 << 20;
  absl::StatusOr<std::unique_ptr<biocorpus::ServerRunner>> server =
      biocorpus::ServerRunner::Start(server_options, {&service});
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return EXIT_FAILURE;
  }
  (*server)->SetServing("", false);
  (*server)->SetServing(kServiceName, false);

  std::atomic<bool> stop{false};
  std::thread opener;
  std::unique_ptr<biocorpus::SnapshotFollower> follower;
  if (snapshot_mode) {
    biocorpus::ServerRunner* runner = server->get();
    absl::StatusOr<std::unique_ptr<biocorpus::SnapshotFollower>> created =
        biocorpus::SnapshotFollower::Create(
            snapshot_options,
            [&service, runner](std::shared_ptr<biocorpus::CorpusReader> reader, uint32_t) {
              service.SetReader(std::move(reader));
              runner->SetServing("", true);
              runner->SetServing(kServiceName, true);
            });
    if (!created.ok()) {
      spdlog::error("{}", created.status().ToString());
      return EXIT_FAILURE;
    }
    follower = std::move(*created);
    follower_for_metrics = follower.get();
    spdlog::info("snapshot mode: following {} (restoring into {}); NOT_SERVING until one is restored",
                 snapshot_options.snapshot_dir, snapshot_options.restore_dir);
    follower->Start();
  } else {
    opener = std::thread(OpenWhenReady, options, &service, server->get(), &stop);
  }
  (*server)->WaitForShutdownSignal();
  stop = true;
  if (opener.joinable()) opener.join();
  follower_for_metrics = nullptr;
  follower.reset();
  service.SetReader(nullptr);
  if (remove_own_dir) {
    std::error_code ignored;
    std::filesystem::remove_all(own_dir, ignored);
  }
  spdlog::info("closed {}", snapshot_mode ? snapshot_options.snapshot_dir : options.data_dir);
  return EXIT_SUCCESS;
}
