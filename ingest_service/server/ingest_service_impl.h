#ifndef BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
#define BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_

#include <string>

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "ingest_service/pipeline/retagger.h"
#include "ingest_service/pipeline/stream_ingester.h"
#include "ingest_service/snapshot/snapshot_publisher.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// The cores an IngestServiceImpl calls; they must outlive it.
struct IngestCores {
  const IngestPipeline* pipeline = nullptr;
  const StreamIngester* streams = nullptr;
  const Retagger* retagger = nullptr;
  // Deletes go straight to the writer.
  DocumentWriter* writer = nullptr;
  // Publishes snapshots on request and after bulk loads; null means
  // PublishSnapshot is FAILED_PRECONDITION.
  SnapshotPublisher* publisher = nullptr;
};

// The gRPC face of ingest: each method authorizes the call, makes one call
// into a core, and converts the outcome.
class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // With a non-empty `token`, every method needs the call metadata
  // "authorization: Bearer <token>" (UNAUTHENTICATED without it,
  // PERMISSION_DENIED with another token), and nothing is written otherwise.
  IngestServiceImpl(const IngestCores& cores, std::string token)
      : cores_(cores), token_(std::move(token)) {}

  grpc::Status IngestDocument(grpc::ServerContext* context,
                              const v1::IngestDocumentRequest* request,
                              v1::IngestDocumentResponse* response) override;

  grpc::Status IngestDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::IngestDocumentsResponse, v1::IngestDocumentRequest>* stream)
      override;

  grpc::Status DeleteDocument(grpc::ServerContext* context,
                              const v1::DeleteDocumentRequest* request,
                              v1::DeleteDocumentResponse* response) override;

  grpc::Status RetagDocuments(grpc::ServerContext* context,
                              const v1::RetagDocumentsRequest* request,
                              v1::RetagDocumentsResponse* response) override;

  grpc::Status PublishSnapshot(grpc::ServerContext* context,
                               const v1::PublishSnapshotRequest* request,
                               v1::PublishSnapshotResponse* response) override;

 private:
  // OK when the call carries the ingest token (or no token is configured);
  // logs refusals, never the token.
  absl::Status Authorize(const grpc::ServerContext& context, const char* method) const;

  IngestCores cores_;
  std::string token_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
