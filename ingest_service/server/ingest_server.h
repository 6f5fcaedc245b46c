#ifndef BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVER_H_
#define BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/rpc/metrics.h"
#include "corpus/rpc/server_runner.h"
#include "ingest_service/pipeline/ingest_admission.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "ingest_service/pipeline/retagger.h"
#include "ingest_service/pipeline/stream_ingester.h"
#include "ingest_service/pipeline/text_backfill.h"
#include "ingest_service/server/ingest_service_impl.h"
#include "ingest_service/snapshot/snapshot_publisher.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// Everything biocorpus-ingest is configured with; its flags map onto these
// fields one for one.
struct IngestServerOptions {
  // Required. The RocksDB data directory (the primary).
  std::string data_dir;
  bool sync_writes = true;
  // Writes are refused while the data directory's disk has less free space
  // (DocumentWriterOptions).
  uint64_t min_free_disk_bytes = 0;
  // A vocabulary YAML file to tag with; empty: the one built in.
  std::string vocabulary;
  // Re-tag, in the background, documents tagged with another vocabulary.
  bool retag_on_start = true;
  // The bearer token ingest calls must carry; empty serves without one,
  // which needs allow_unauthenticated.
  std::string token;
  bool allow_unauthenticated = false;
  int64_t max_document_bytes = 16 << 20;
  int max_html_depth = 1000;
  int max_concurrent_ingests = 4;
  int max_queued_ingests = 64;
  // Shared directory to publish snapshots to; empty publishes none.
  std::string snapshot_dir;
  int snapshot_interval_s = 60;
  int snapshot_keep = 4;
  // The gRPC server (listen address, TLS, drain, metrics endpoint);
  // `metrics` and `max_receive_message_bytes` are set by Start.
  ServerRunnerOptions server;
};

// A running ingest service: the database, the cores, the gRPC server.
class IngestServer {
 public:
  // Checks the options (InvalidArgument naming the field), opens the
  // database, loads the vocabulary, starts serving, and starts the
  // background re-tag and snapshot publication.
  static absl::StatusOr<std::unique_ptr<IngestServer>> Start(IngestServerOptions options);

  ~IngestServer();

  const std::string& address() const { return server_->address(); }
  ServerRunner& runner() { return *server_; }

  // Blocks until SIGINT or SIGTERM (see ServerRunner), then Stop().
  absl::Status WaitForShutdown();

  // Stops serving and the background work, and closes the database; a close
  // error surfaces here. Idempotent.
  absl::Status Stop();

 private:
  IngestServer() = default;

  IngestServerOptions options_;
  Metrics metrics_;
  std::unique_ptr<ConceptTagger> tagger_;
  std::unique_ptr<DocumentWriter> writer_;
  std::unique_ptr<IngestAdmission> admission_;
  std::unique_ptr<IngestPipeline> pipeline_;
  std::unique_ptr<StreamIngester> streams_;
  std::unique_ptr<Retagger> retagger_;
  std::unique_ptr<TextBackfill> backfill_;
  std::unique_ptr<SnapshotPublisher> publisher_;
  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<ServerRunner> server_;
  bool stopped_ = false;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVER_H_
