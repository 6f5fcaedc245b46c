// biocorpus-query: serves the corpus from a RocksDB secondary instance that
// follows the ingest service's primary.

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
#include "corpus/rpc/logging.h"
#include "corpus/rpc/tls.h"
#include "corpus/rpc/server_runner.h"
#include "query_service/server/query_service_impl.h"
#include "query_service/store/corpus_reader.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "HOST:PORT to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "",
          "the ingest service's RocksDB data directory (required)");
ABSL_FLAG(std::string, secondary_dir, "",
          "a directory of this process's own for the secondary instance; "
          "default: a new directory under the system temp directory");
ABSL_FLAG(int, catch_up_interval_ms, 100,
          "how often to catch up with the primary, in milliseconds");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate (chain) to serve TLS with");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(int, drain_ms, 0,
          "on SIGTERM, keep serving this long after health checks turn "
          "NOT_SERVING (set it to the load balancer's check interval)");
ABSL_FLAG(std::string, log_level, "info",
          "log verbosity: trace, debug, info, warn, error, off");

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
  biocorpus::InitLogging("biocorpus-query", absl::GetFlag(FLAGS_log_level));

  biocorpus::CorpusReaderOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  if (options.data_dir.empty()) {
    spdlog::error("--data_dir is required");
    return EXIT_FAILURE;
  }
  options.catch_up_interval_ms = absl::GetFlag(FLAGS_catch_up_interval_ms);
  if (options.catch_up_interval_ms <= 0) {
    spdlog::error("--catch_up_interval_ms must be positive");
    return EXIT_FAILURE;
  }
  options.secondary_dir = absl::GetFlag(FLAGS_secondary_dir);
  bool remove_secondary_dir = false;
  if (options.secondary_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "biocorpus-query-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      spdlog::error("cannot create a secondary directory under {}",
                    std::filesystem::temp_directory_path().string());
      return EXIT_FAILURE;
    }
    options.secondary_dir = pattern;
    remove_secondary_dir = true;
  }

  biocorpus::QueryServiceImpl service;
  biocorpus::ServerRunnerOptions server_options;
  server_options.program = "biocorpus-query";
  server_options.listen = absl::GetFlag(FLAGS_listen);
  server_options.drain_ms = absl::GetFlag(FLAGS_drain_ms);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      biocorpus::ServerCredentialsFromFiles(absl::GetFlag(FLAGS_tls_cert_file),
                                            absl::GetFlag(FLAGS_tls_key_file), "");
  if (!credentials.ok()) {
    spdlog::error("{}", credentials.status().ToString());
    return EXIT_FAILURE;
  }
  server_options.credentials = *credentials;
  spdlog::info("serving {}", absl::GetFlag(FLAGS_tls_cert_file).empty()
                                 ? "plaintext"
                                 : "TLS");
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
  std::thread opener(OpenWhenReady, options, &service, server->get(), &stop);
  (*server)->WaitForShutdownSignal();
  stop = true;
  opener.join();
  service.SetReader(nullptr);
  if (remove_secondary_dir) {
    std::error_code ignored;
    std::filesystem::remove_all(options.secondary_dir, ignored);
  }
  spdlog::info("closed {}", options.data_dir);
  return EXIT_SUCCESS;
}
