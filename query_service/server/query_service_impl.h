#ifndef BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_
#define BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_

#include <chrono>
#include <memory>
#include <mutex>

#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/rpc/completion_queue_serving.h"
#include "query_service/store/replica.h"

namespace biocorpus {

// Page sizes, as Google's AIP-158 describes: 0 means the default, larger
// values are clamped to the maximum, negative values are refused.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
inline constexpr int kDefaultSearchPageSize = 20;

// The gRPC face of the query service: each method checks the request, waits
// for the replica to hold the request's commit token, makes one call into a
// core (the replica's CorpusReader, CitationLookup) and converts the outcome.
// Until SetReplica() is called every method answers UNAVAILABLE (the database
// is not open yet).
// The methods that answer from the replica at once (unless a commit token
// makes them wait) are served from completion queues (ServeFrom); the
// analytics methods, which may scan the corpus, and the export stream stay
// with the sync server.
using QueryServiceBase = v1::QueryService::WithAsyncMethod_GetDocument<
    v1::QueryService::WithAsyncMethod_ListDocuments<
        v1::QueryService::WithAsyncMethod_ListPassages<
            v1::QueryService::WithAsyncMethod_SearchPassages<
                v1::QueryService::WithAsyncMethod_ListTags<
                    v1::QueryService::WithAsyncMethod_LookupCitation<
                        v1::QueryService::WithAsyncMethod_ListCitingPassages<
                            v1::QueryService::WithAsyncMethod_ListReferences<
                                v1::QueryService::Service>>>>>>>>;

class QueryServiceImpl final : public QueryServiceBase {
 public:
  // `max_commit_wait`: how long a request carrying a commit_token may wait
  // for the reader to catch up (less when the call's deadline is nearer).
  explicit QueryServiceImpl(
      std::chrono::milliseconds max_commit_wait = std::chrono::milliseconds(2000))
      : max_commit_wait_(max_commit_wait) {}

  // Installs the replica once the database is open, or a newer one (a
  // snapshot); requests in flight finish on the one they started with.
  // Thread-safe.
  void SetReplica(std::shared_ptr<Replica> replica);

  // Appends the current replica's gauges (nothing before one is installed).
  void AppendMetrics(std::string* out) const;

  // Adds the async methods to `queues`, each answered by the method below
  // of the same name; a call carrying a commit token, or a full-text query,
  // is answered on a thread of its own. Once, before the server starts.
  void ServeFrom(CompletionQueueServing* queues);

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
  grpc::Status LookupCitation(grpc::ServerContext* context,
                              const v1::LookupCitationRequest* request,
                              v1::LookupCitationResponse* response) override;
  grpc::Status ListCitingPassages(grpc::ServerContext* context,
                                  const v1::ListCitingPassagesRequest* request,
                                  v1::ListCitingPassagesResponse* response) override;
  grpc::Status ListReferences(grpc::ServerContext* context,
                              const v1::ListReferencesRequest* request,
                              v1::ListReferencesResponse* response) override;
  grpc::Status CountConcepts(grpc::ServerContext* context,
                             const v1::CountConceptsRequest* request,
                             v1::CountConceptsResponse* response) override;
  grpc::Status CooccurringConcepts(grpc::ServerContext* context,
                                   const v1::CooccurringConceptsRequest* request,
                                   v1::CooccurringConceptsResponse* response) override;
  grpc::Status SignificantConcepts(grpc::ServerContext* context,
                                   const v1::SignificantConceptsRequest* request,
                                   v1::SignificantConceptsResponse* response) override;
  grpc::Status ExportDocuments(grpc::ServerContext* context,
                               const v1::ExportDocumentsRequest* request,
                               grpc::ServerWriter<v1::ExportDocumentsResponse>* writer) override;

 private:
  // The analytics methods: the replica at the request's commit token, its
  // vocabulary, and one call into the analytics core.
  template <typename Request, typename Response, typename Core>
  grpc::Status Analyze(grpc::ServerContext* context, const Request& request, Response* response,
                       Core core);
  // SearchPassages with a query.
  grpc::Status SearchText(grpc::ServerContext* context, const v1::SearchPassagesRequest& request,
                          v1::SearchPassagesResponse* response);
  absl::StatusOr<std::shared_ptr<Replica>> replica() const;
  // The replica, once it holds the write `commit_token` names (when given).
  absl::StatusOr<std::shared_ptr<Replica>> ReplicaAt(const grpc::ServerContext* context,
                                                     const std::string& commit_token) const;

  std::chrono::milliseconds max_commit_wait_;

  mutable std::mutex mu_;
  std::shared_ptr<Replica> replica_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVICE_IMPL_H_
