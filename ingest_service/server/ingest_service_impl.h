#ifndef BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
#define BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_

#include <string>
#include <vector>

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "corpus/rpc/metrics.h"
#include "ingest_service/parsers/document_parser.h"
#include "ingest_service/server/ingest_admission.h"
#include "ingest_service/snapshot/snapshot_publisher.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// What an answer needs of a parsed document once the writer has taken it.
struct DocumentNotes {
  int annotations = 0;
  std::vector<std::string> warnings;
};

// The gRPC face of ingest: validates requests, calls the parser, the tagger
// and the writer, converts statuses. Its arguments must outlive it.
class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // IngestDocuments keeps at most this many requests, and this many bytes of
  // them (but always one), between reading and answering.
  static constexpr size_t kStreamWindow = 64;
  static constexpr size_t kStreamWindowBytes = 64 << 20;
  // Threads that parse the requests of one stream (at most; one per core).
  static constexpr int kMaxStreamParsers = 4;

  // With a non-empty `token`, every method needs the call metadata
  // "authorization: Bearer <token>" (UNAUTHENTICATED without it,
  // PERMISSION_DENIED with another token), and nothing is written otherwise.
  // `admission`, when given, bounds the documents in progress.
  IngestServiceImpl(const DocumentParser* parser, const ConceptTagger* tagger,
                    DocumentWriter* writer, std::string token = "",
                    IngestAdmission* admission = nullptr)
      : parser_(parser),
        tagger_(tagger),
        writer_(writer),
        token_(std::move(token)),
        admission_(admission) {}

  grpc::Status IngestDocument(grpc::ServerContext* context,
                              const v1::IngestDocumentRequest* request,
                              v1::IngestDocumentResponse* response) override;

  grpc::Status IngestDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::IngestDocumentsResponse,
                               v1::IngestDocumentRequest>* stream) override;

  grpc::Status DeleteDocument(grpc::ServerContext* context,
                              const v1::DeleteDocumentRequest* request,
                              v1::DeleteDocumentResponse* response) override;

  grpc::Status RetagDocuments(grpc::ServerContext* context,
                              const v1::RetagDocumentsRequest* request,
                              v1::RetagDocumentsResponse* response) override;

  grpc::Status PublishSnapshot(grpc::ServerContext* context,
                               const v1::PublishSnapshotRequest* request,
                               v1::PublishSnapshotResponse* response) override;

  // Publishes snapshots on request and after bulk loads; without one,
  // PublishSnapshot is FAILED_PRECONDITION. Call before the server starts.
  void set_snapshot_publisher(SnapshotPublisher* publisher) { publisher_ = publisher; }

  // Counts documents and bytes ingested in `metrics`. Call before the server
  // starts.
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }

  // Re-tags stored documents (what RetagDocuments does), stopping early when
  // `stop` becomes true. Logs what it did.
  absl::StatusOr<DocumentWriter::RetagResult> Retag(bool force,
                                                    const std::atomic<bool>* stop);

 private:
  // OK when the call carries the ingest token (or no token is configured);
  // logs refusals, never the token.
  absl::Status Authorize(const grpc::ServerContext& context, const char* method) const;

  // Parses and tags one request within an admission turn; DeadlineExceeded
  // or Cancelled when the caller gave up meanwhile.
  absl::StatusOr<std::vector<ParsedDocument>> Prepare(
      const grpc::ServerContext& context, const v1::IngestDocumentRequest& request) const;

  // Fills `response` (one record per document of `notes`) from what the
  // writer did, logs one line per document and counts it; returns the
  // refusal otherwise.
  absl::Status Respond(const v1::IngestDocumentRequest& request,
                       const std::vector<DocumentNotes>& notes,
                       absl::StatusOr<std::vector<WriteResult>> written, double elapsed_ms,
                       v1::IngestDocumentResponse* response) const;

  const DocumentParser* parser_;
  const ConceptTagger* tagger_;
  DocumentWriter* writer_;
  std::string token_;
  IngestAdmission* admission_;
  SnapshotPublisher* publisher_ = nullptr;
  Metrics* metrics_ = nullptr;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
