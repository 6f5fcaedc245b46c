#include "query_service/server/query_service_impl.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/grpc_status.h"
#include "query_service/paging/page_token.h"

namespace biocorpus {

void QueryServiceImpl::SetReader(std::shared_ptr<CorpusReader> reader) {
  std::lock_guard<std::mutex> lock(mu_);
  reader_ = std::move(reader);
}

absl::StatusOr<std::shared_ptr<CorpusReader>> QueryServiceImpl::reader() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (reader_ == nullptr) {
    return absl::UnavailableError(
        "the database is not open yet (waiting for the ingest service to "
        "create it); retry");
  }
  return reader_;
}

grpc::Status QueryServiceImpl::GetDocument(grpc::ServerContext* /*context*/,
                                           const v1::GetDocumentRequest* request,
                                           v1::Document* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<v1::Document> document = (*store)->GetDocument(*id);
  if (!document.ok()) return ToGrpcStatus(document.status());
  *response = std::move(*document);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListDocuments(
    grpc::ServerContext* /*context*/, const v1::ListDocumentsRequest* request,
    v1::ListDocumentsResponse* response) {
  constexpr absl::string_view kKind = "documents";
  absl::StatusOr<int> page_size =
      EffectivePageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  absl::StatusOr<std::string> after =
      DecodePageToken(kKind, request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  if (request->year_min() != 0 && request->year_max() != 0 &&
      request->year_min() > request->year_max()) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "year_min (", request->year_min(), ") is after year_max (",
        request->year_max(), ")")));
  }
  DocumentFilter filter;
  filter.format = request->format();
  filter.year_min = request->year_min();
  filter.year_max = request->year_max();
  filter.author = NormalizeForMatching(request->author());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Document>> page =
      (*store)->ListDocuments(filter, *page_size, *after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Document& document : page->items) {
    *response->add_documents() = std::move(document);
  }
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListPassages(
    grpc::ServerContext* /*context*/, const v1::ListPassagesRequest* request,
    v1::ListPassagesResponse* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->parent(), "parent");
  if (!id.ok()) return ToGrpcStatus(id.status());
  const std::string kind = absl::StrCat("passages:", *id);
  absl::StatusOr<int> page_size =
      EffectivePageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  absl::StatusOr<std::string> after = DecodePageToken(kind, request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  int64_t after_ordinal = -1;
  if (!after->empty() && !absl::SimpleAtoi(*after, &after_ordinal)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token is not valid"));
  }
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Passage>> page =
      (*store)->ListPassages(*id, *page_size, after_ordinal);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Passage& passage : page->items) {
    *response->add_passages() = std::move(passage);
  }
  response->set_next_page_token(EncodePageToken(kind, page->next_after));
  return grpc::Status::OK;
}

}  // namespace biocorpus
