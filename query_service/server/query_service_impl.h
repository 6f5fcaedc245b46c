#ifndef BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_
#define BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_

#include <memory>
#include <mutex>

#include "biocorpus/v1/query_service.grpc.pb.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// Page sizes, as Google's AIP-158 describes: 0 means the default, larger
// values are clamped to the maximum, negative values are refused.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
inline constexpr int kDefaultSearchPageSize = 20;

// The gRPC face of the query service. Until SetReader() is called every
// method answers UNAVAILABLE (the database is not open yet).
class QueryServiceImpl final : public v1::QueryService::Service {
 public:
  // Installs the reader once the database is open. Thread-safe.
  void SetReader(std::shared_ptr<CorpusReader> reader);

  grpc::Status GetDocument(grpc::ServerContext* context,
                           const v1::GetDocumentRequest* request,
                           v1::Document* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context,
                             const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status ListPassages(grpc::ServerContext* context,
                            const v1::ListPassagesRequest* request,
                            v1::ListPassagesResponse* response) override;
  grpc::Status SearchPassages(grpc::ServerContext* context,
                              const v1::SearchPassagesRequest* request,
                              v1::SearchPassagesResponse* response) override;
  grpc::Status ListTags(grpc::ServerContext* context,
                        const v1::ListTagsRequest* request,
                        v1::ListTagsResponse* response) override;

 private:
  absl::StatusOr<std::shared_ptr<CorpusReader>> reader() const;

  mutable std::mutex mu_;
  std::shared_ptr<CorpusReader> reader_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_
