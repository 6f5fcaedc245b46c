#ifndef BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
#define BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "ingest_service/parsers/document_parser.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// The gRPC face of ingest: validates requests, calls the parser and the
// writer, converts statuses. `parser` and `writer` must outlive it.
class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  IngestServiceImpl(const DocumentParser* parser, DocumentWriter* writer)
      : parser_(parser), writer_(writer) {}

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

 private:
  // Parses and writes one document; logs one line for it.
  absl::Status Ingest(const v1::IngestDocumentRequest& request,
                      v1::IngestDocumentResponse* response);

  const DocumentParser* parser_;
  DocumentWriter* writer_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_SERVER_INGEST_SERVICE_IMPL_H_
