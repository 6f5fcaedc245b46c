// biocorpus-ingest: parses documents and writes them to the RocksDB primary.

#include <atomic>
#include <cstdlib>
#include <thread>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/server_flags.h"
#include "corpus/rpc/server_runner.h"
#include "ingest_service/parsers/document_parser.h"
#include "ingest_service/server/ingest_service_impl.h"
#include "ingest_service/snapshot/snapshot_publisher.h"
#include "ingest_service/tagging/concept_matcher.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "ingest_service/writer/document_writer.h"
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

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) {
    spdlog::error("--data_dir is required");
    return EXIT_FAILURE;
  }
  const int64_t max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  if (max_document_bytes <= 0) {
    spdlog::error("--max_document_bytes must be positive");
    return EXIT_FAILURE;
  }

  absl::StatusOr<std::string> token =
      biocorpus::LoadIngestToken(absl::GetFlag(FLAGS_auth_token_file));
  if (!token.ok()) {
    spdlog::error("{}", token.status().ToString());
    return EXIT_FAILURE;
  }
  if (token->empty()) {
    if (!absl::GetFlag(FLAGS_allow_unauthenticated)) {
      spdlog::error("no ingest token: give --auth_token_file or ${}, or "
                    "--allow_unauthenticated for local development",
                    biocorpus::kIngestTokenEnv);
      return EXIT_FAILURE;
    }
    spdlog::warn("serving ingest WITHOUT authentication (--allow_unauthenticated)");
  } else {
    spdlog::info("ingest calls need the bearer token");
  }

  const std::string vocabulary_path = absl::GetFlag(FLAGS_vocabulary);
  absl::StatusOr<std::shared_ptr<const biocorpus::Vocabulary>> vocabulary =
      vocabulary_path.empty() ? biocorpus::Vocabulary::BuiltIn()
                              : biocorpus::Vocabulary::Load(vocabulary_path);
  if (!vocabulary.ok()) {
    spdlog::error("{}", vocabulary.status().ToString());
    return EXIT_FAILURE;
  }
  absl::StatusOr<std::unique_ptr<biocorpus::ConceptMatcher>> matcher =
      biocorpus::ConceptMatcher::Build(*vocabulary);
  if (!matcher.ok()) {
    spdlog::error("{}", matcher.status().ToString());
    return EXIT_FAILURE;
  }
  spdlog::info("vocabulary {} version {} ({} concepts)",
               vocabulary_path.empty() ? "built-in" : vocabulary_path,
               (*vocabulary)->version(), (*vocabulary)->concepts().size());
  const biocorpus::ConceptTagger tagger(std::move(*matcher));

  biocorpus::DocumentWriterOptions writer_options;
  writer_options.data_dir = data_dir;
  writer_options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  absl::StatusOr<std::unique_ptr<biocorpus::DocumentWriter>> writer =
      biocorpus::DocumentWriter::Open(writer_options);
  if (!writer.ok()) {
    spdlog::error("{}", writer.status().ToString());
    return EXIT_FAILURE;
  }
  absl::StatusOr<uint64_t> count = (*writer)->DocumentCount();
  spdlog::info("opened database {} ({} documents)", data_dir,
               count.ok() ? *count : 0);
  absl::StatusOr<std::string> recorded = (*writer)->RecordedVocabularyVersion();
  const bool vocabulary_changed =
      recorded.ok() && *recorded != (*vocabulary)->version();
  if (absl::Status s = (*writer)->RecordVocabulary((*vocabulary)->version(),
                                                   (*vocabulary)->text());
      !s.ok()) {
    spdlog::error("{}", s.ToString());
    return EXIT_FAILURE;
  }

  biocorpus::DocumentParserOptions parser_options;
  parser_options.max_document_bytes = static_cast<size_t>(max_document_bytes);
  parser_options.max_html_depth = absl::GetFlag(FLAGS_max_html_depth);
  const biocorpus::DocumentParser parser(parser_options);
  if (absl::GetFlag(FLAGS_max_concurrent_ingests) < 1 ||
      absl::GetFlag(FLAGS_max_queued_ingests) < 0) {
    spdlog::error("--max_concurrent_ingests must be at least 1, --max_queued_ingests at least 0");
    return EXIT_FAILURE;
  }
  biocorpus::IngestAdmission admission(absl::GetFlag(FLAGS_max_concurrent_ingests),
                                       absl::GetFlag(FLAGS_max_queued_ingests));
  biocorpus::IngestServiceImpl service(&parser, &tagger, writer->get(), *token, &admission);
  biocorpus::Metrics metrics;
  service.set_metrics(&metrics);
  metrics.AddCollector([writer = writer->get()](std::string* out) { writer->AppendMetrics(out); });

  std::unique_ptr<biocorpus::SnapshotPublisher> publisher;
  if (!absl::GetFlag(FLAGS_snapshot_dir).empty()) {
    if (absl::GetFlag(FLAGS_snapshot_interval_s) < 1) {
      spdlog::error("--snapshot_interval_s must be at least 1");
      return EXIT_FAILURE;
    }
    biocorpus::SnapshotPublisherOptions snapshot_options;
    snapshot_options.snapshot_dir = absl::GetFlag(FLAGS_snapshot_dir);
    snapshot_options.keep = absl::GetFlag(FLAGS_snapshot_keep);
    absl::StatusOr<std::unique_ptr<biocorpus::SnapshotPublisher>> opened =
        biocorpus::SnapshotPublisher::Open(snapshot_options, (*writer)->db());
    if (!opened.ok()) {
      spdlog::error("--snapshot_dir: {}", opened.status().ToString());
      return EXIT_FAILURE;
    }
    publisher = std::move(*opened);
    service.set_snapshot_publisher(publisher.get());
    spdlog::info("publishing snapshots to {} every {} s", snapshot_options.snapshot_dir,
                 absl::GetFlag(FLAGS_snapshot_interval_s));
  }

  biocorpus::ServerRunnerOptions server_options;
  server_options.listen = absl::GetFlag(FLAGS_listen);
  server_options.metrics = &metrics;
  if (absl::Status applied = biocorpus::ApplyServerFlags(
          "biocorpus-ingest", absl::GetFlag(FLAGS_tls_client_ca_file), &server_options);
      !applied.ok()) {
    spdlog::error("{}", applied.ToString());
    return EXIT_FAILURE;
  }
  // Room for the largest document plus the rest of the request.
  server_options.max_receive_message_bytes =
      static_cast<int>(std::min<int64_t>(max_document_bytes + (1 << 20), INT32_MAX));
  absl::StatusOr<std::unique_ptr<biocorpus::ServerRunner>> server =
      biocorpus::ServerRunner::Start(server_options, {&service});
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return EXIT_FAILURE;
  }
  (*server)->SetServing("", true);
  (*server)->SetServing("biocorpus.v1.IngestService", true);

  // Documents tagged with another vocabulary are re-tagged in the background
  // while the service runs; a restart picks up where a stop left off.
  std::atomic<bool> stop_retag{false};
  std::thread retag;
  if (vocabulary_changed && absl::GetFlag(FLAGS_retag_on_start)) {
    if (!recorded->empty()) {
      spdlog::info("vocabulary changed from {} to {}: re-tagging stored documents",
                   *recorded, (*vocabulary)->version());
    }
    retag = std::thread([&service, &stop_retag] {
      service.Retag(/*force=*/false, &stop_retag).IgnoreError();
    });
  }
  if (publisher != nullptr) {
    // A first snapshot at once, so that replicas can serve.
    publisher->Start(std::chrono::seconds(absl::GetFlag(FLAGS_snapshot_interval_s)));
    publisher->Nudge();
  }
  (*server)->WaitForShutdownSignal();
  stop_retag = true;
  if (retag.joinable()) retag.join();
  publisher.reset();

  if (absl::Status closed = (*writer)->Close(); !closed.ok()) {
    spdlog::error("{}", closed.ToString());
    return EXIT_FAILURE;
  }
  spdlog::info("closed database {}", data_dir);
  return EXIT_SUCCESS;
}
