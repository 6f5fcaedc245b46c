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

namespace {

// The document filter of a request's format, year range and author fields.
template <typename Request>
absl::StatusOr<DocumentFilter> DocumentFilterOf(const Request& request) {
  if (request.year_min() != 0 && request.year_max() != 0 &&
      request.year_min() > request.year_max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "year_min (", request.year_min(), ") is after year_max (",
        request.year_max(), ")"));
  }
  DocumentFilter filter;
  filter.format = request.format();
  filter.year_min = request.year_min();
  filter.year_max = request.year_max();
  filter.author = NormalizeForMatching(request.author());
  return filter;
}

// The concept groups of a search: each requested concept (with its
// descendants on request), kept to the category when one is given; or, with
// no concepts, every concept of the category.
absl::StatusOr<PassageSearch> SearchOf(const v1::SearchPassagesRequest& request,
                                       const Vocabulary& vocabulary) {
  PassageSearch search;
  search.match_all = request.match() == v1::ALL;
  const v1::ConceptCategory category = request.category();
  auto in_category = [&](const std::string& id) {
    const v1::Concept* c = vocabulary.Find(id);
    return c != nullptr &&
           (category == v1::CONCEPT_CATEGORY_UNSPECIFIED || c->category() == category);
  };
  if (request.concepts().empty()) {
    if (category == v1::CONCEPT_CATEGORY_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "give concepts, a category, or both (see ListTags for the concepts)");
    }
    std::vector<std::string> all;
    for (const v1::Concept& c : vocabulary.concepts()) {
      if (c.category() == category) all.push_back(c.id());
    }
    search.groups.push_back(std::move(all));
    search.match_all = false;
  }
  for (int i = 0; i < request.concepts_size(); ++i) {
    const std::string& id = request.concepts(i);
    if (vocabulary.Find(id) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "concepts[", i, "]: '", id, "' is not in vocabulary version ",
          vocabulary.version()));
    }
    std::vector<std::string> group;
    for (const std::string& c : request.include_descendants()
                                    ? vocabulary.SelfAndDescendants(id)
                                    : std::vector<std::string>{id}) {
      if (in_category(c)) group.push_back(c);
    }
    if (group.empty() && search.match_all) {
      // A concept with nothing in the category: nothing can match all.
      search.groups.clear();
      return search;
    }
    if (!group.empty()) search.groups.push_back(std::move(group));
  }
  search.type = request.type();
  absl::StatusOr<DocumentFilter> documents = DocumentFilterOf(request);
  if (!documents.ok()) return documents.status();
  search.documents = *documents;
  return search;
}

}  // namespace

grpc::Status QueryServiceImpl::SearchPassages(
    grpc::ServerContext* /*context*/, const v1::SearchPassagesRequest* request,
    v1::SearchPassagesResponse* response) {
  constexpr absl::string_view kKind = "search";
  absl::StatusOr<int> page_size = EffectivePageSize(
      request->page_size(), kDefaultSearchPageSize, kMaxPageSize);
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  absl::StatusOr<std::string> after = DecodePageToken(kKind, request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*store)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<PassageSearch> search = SearchOf(*request, **vocabulary);
  if (!search.ok()) return ToGrpcStatus(search.status());
  absl::StatusOr<Page<v1::Passage>> page =
      (*store)->SearchPassages(*search, *page_size, *after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Passage& passage : page->items) {
    *response->add_passages() = std::move(passage);
  }
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListTags(grpc::ServerContext* /*context*/,
                                        const v1::ListTagsRequest* request,
                                        v1::ListTagsResponse* response) {
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*store)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<std::map<std::string, TagCounts>> counts = (*store)->ListTagCounts();
  if (!counts.ok()) return ToGrpcStatus(counts.status());
  for (const v1::Concept& c : (*vocabulary)->concepts()) {
    if (request->category() != v1::CONCEPT_CATEGORY_UNSPECIFIED &&
        c.category() != request->category()) {
      continue;
    }
    const auto it = counts->find(c.id());
    const TagCounts found = it == counts->end() ? TagCounts() : it->second;
    if (request->omit_unused() && found.passages == 0 && found.documents == 0) continue;
    v1::TagCount* tag = response->add_tags();
    *tag->mutable_concept() = c;
    tag->set_passage_count(found.passages);
    tag->set_document_count(found.documents);
  }
  response->set_vocabulary_version((*vocabulary)->version());
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
  absl::StatusOr<DocumentFilter> filter = DocumentFilterOf(*request);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Document>> page =
      (*store)->ListDocuments(*filter, *page_size, *after);
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
