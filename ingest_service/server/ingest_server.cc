#include "ingest_service/server/ingest_server.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/rpc/prometheus_text.h"
#include "corpus/vocabulary/vocabulary.h"
#include "ingest_service/tagging/concept_matcher.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

absl::Status CheckOptions(const IngestServerOptions& o) {
  if (o.data_dir.empty()) return absl::InvalidArgumentError("--data_dir is required");
  if (o.max_document_bytes <= 0) {
    return absl::InvalidArgumentError("--max_document_bytes must be positive");
  }
  if (o.max_concurrent_ingests < 1 || o.max_queued_ingests < 0) {
    return absl::InvalidArgumentError(
        "--max_concurrent_ingests must be at least 1, --max_queued_ingests at least 0");
  }
  if (!o.snapshot_dir.empty() && o.snapshot_interval_s < 1) {
    return absl::InvalidArgumentError("--snapshot_interval_s must be at least 1");
  }
  if (o.token.empty() && !o.allow_unauthenticated) {
    return absl::InvalidArgumentError(
        "no ingest token: give --auth_token_file or $BIOCORPUS_INGEST_TOKEN, or "
        "--allow_unauthenticated for local development");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<IngestServer>> IngestServer::Start(IngestServerOptions options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  auto server = std::unique_ptr<IngestServer>(new IngestServer());
  IngestServer& self = *server;
  if (options.token.empty()) {
    spdlog::warn("serving ingest WITHOUT authentication (--allow_unauthenticated)");
  } else {
    spdlog::info("ingest calls need the bearer token");
  }

  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary =
      options.vocabulary.empty() ? Vocabulary::BuiltIn() : Vocabulary::Load(options.vocabulary);
  if (!vocabulary.ok()) return vocabulary.status();
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  if (!matcher.ok()) return matcher.status();
  spdlog::info("vocabulary {} version {} ({} concepts)",
               options.vocabulary.empty() ? "built-in" : options.vocabulary,
               (*vocabulary)->version(), (*vocabulary)->concepts().size());
  self.tagger_ = std::make_unique<ConceptTagger>(std::move(*matcher));

  DocumentWriterOptions writer_options;
  writer_options.data_dir = options.data_dir;
  writer_options.sync_writes = options.sync_writes;
  writer_options.min_free_disk_bytes = options.min_free_disk_bytes;
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(writer_options);
  if (!writer.ok()) return writer.status();
  self.writer_ = std::move(*writer);
  absl::StatusOr<uint64_t> count = self.writer_->DocumentCount();
  spdlog::info("opened database {} ({} documents)", options.data_dir, count.ok() ? *count : 0);
  absl::StatusOr<std::string> recorded = self.writer_->RecordedVocabularyVersion();
  const bool vocabulary_changed = recorded.ok() && *recorded != (*vocabulary)->version();
  if (absl::Status s =
          self.writer_->RecordVocabulary((*vocabulary)->version(), (*vocabulary)->text());
      !s.ok()) {
    return s;
  }

  self.admission_ = std::make_unique<IngestAdmission>(options.max_concurrent_ingests,
                                                      options.max_queued_ingests);
  IngestPipelineOptions pipeline_options;
  pipeline_options.parser.max_document_bytes = static_cast<size_t>(options.max_document_bytes);
  pipeline_options.parser.max_html_depth = options.max_html_depth;
  pipeline_options.admission = self.admission_.get();
  pipeline_options.metrics = &self.metrics_;
  self.pipeline_ =
      std::make_unique<IngestPipeline>(pipeline_options, self.tagger_.get(), self.writer_.get());
  self.streams_ = std::make_unique<StreamIngester>(self.pipeline_.get());
  self.retagger_ = std::make_unique<Retagger>(self.tagger_.get(), self.writer_.get());
  self.backfill_ = std::make_unique<TextBackfill>(self.writer_.get());
  self.metrics_.AddCollector([&self](std::string* out) {
    self.writer_->AppendMetrics(out);
    AppendGauge("biocorpus_text_index_complete",
                "1 once every stored document is in the full-text index.",
                self.backfill_->complete() ? 1 : 0, out);
    AppendGauge("biocorpus_text_index_backfilled_documents",
                "Documents of an older database indexed by the background backfill.",
                static_cast<double>(self.backfill_->indexed()), out);
  });

  if (!options.snapshot_dir.empty()) {
    SnapshotPublisherOptions snapshot_options;
    snapshot_options.snapshot_dir = options.snapshot_dir;
    snapshot_options.keep = options.snapshot_keep;
    absl::StatusOr<std::unique_ptr<SnapshotPublisher>> opened =
        SnapshotPublisher::Open(snapshot_options, self.writer_->db());
    if (!opened.ok()) {
      return absl::Status(opened.status().code(),
                          absl::StrCat("--snapshot_dir: ", opened.status().message()));
    }
    self.publisher_ = std::move(*opened);
    spdlog::info("publishing snapshots to {} every {} s", options.snapshot_dir,
                 options.snapshot_interval_s);
  }

  IngestCores cores;
  cores.pipeline = self.pipeline_.get();
  cores.streams = self.streams_.get();
  cores.retagger = self.retagger_.get();
  cores.writer = self.writer_.get();
  cores.publisher = self.publisher_.get();
  self.service_ = std::make_unique<IngestServiceImpl>(cores, options.token);

  ServerRunnerOptions server_options = options.server;
  server_options.metrics = &self.metrics_;
  // Room for the largest document plus the rest of the request.
  server_options.max_receive_message_bytes =
      static_cast<int>(std::min<int64_t>(options.max_document_bytes + (1 << 20), INT32_MAX));
  absl::StatusOr<std::unique_ptr<ServerRunner>> runner =
      ServerRunner::Start(server_options, {self.service_.get()});
  if (!runner.ok()) return runner.status();
  self.server_ = std::move(*runner);
  self.server_->SetServing("", true);
  self.server_->SetServing("biocorpus.v1.IngestService", true);

  // Documents tagged with another vocabulary are re-tagged in the background
  // while the service runs; a restart picks up where a stop left off.
  if (vocabulary_changed && options.retag_on_start) {
    if (!recorded->empty()) {
      spdlog::info("vocabulary changed from {} to {}: re-tagging stored documents", *recorded,
                   (*vocabulary)->version());
    }
    self.retagger_->StartInBackground();
  }
  // A database written before the text index is indexed in the background.
  self.backfill_->StartInBackground();
  if (self.publisher_ != nullptr) {
    // A first snapshot at once, so that replicas can serve.
    self.publisher_->Start(std::chrono::seconds(options.snapshot_interval_s));
    self.publisher_->Nudge();
  }
  self.options_ = std::move(options);
  return server;
}

IngestServer::~IngestServer() { Stop().IgnoreError(); }

absl::Status IngestServer::WaitForShutdown() {
  server_->WaitForShutdownSignal();
  return Stop();
}

absl::Status IngestServer::Stop() {
  if (stopped_) return absl::OkStatus();
  stopped_ = true;
  if (server_ != nullptr) server_->Shutdown();
  retagger_.reset();
  backfill_.reset();
  publisher_.reset();
  if (writer_ == nullptr) return absl::OkStatus();
  absl::Status closed = writer_->Close();
  if (closed.ok()) spdlog::info("closed database {}", options_.data_dir);
  return closed;
}

}  // namespace biocorpus
