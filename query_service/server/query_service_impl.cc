#include "query_service/server/query_service_impl.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/grpc_status.h"
#include "corpus/storage/schema.h"
#include "corpus/storage/stored_encoding.h"
#include "corpus/text/quoted.h"
#include "query_service/analytics/concept_analytics.h"
#include "query_service/citations/citation_lookup.h"
#include "query_service/citations/citation_renderer.h"
#include "query_service/export/bioc_export.h"
#include "query_service/paging/page_token.h"
#include "query_service/search/full_text_search.h"
#include "query_service/search/query_parser.h"
#include "query_service/search/search_request.h"

namespace biocorpus {

void QueryServiceImpl::SetReplica(std::shared_ptr<Replica> replica) {
  std::lock_guard<std::mutex> lock(mu_);
  replica_ = std::move(replica);
}

namespace {

// Whether a request must wait for its commit token.
template <typename Request>
bool CarriesCommitToken(const Request& request) {
  return !request.commit_token().empty();
}

}  // namespace

void QueryServiceImpl::ServeFrom(CompletionQueueServing* queues) {
  using Self = QueryServiceImpl;
  queues->AddMethod<Self, v1::GetDocumentRequest, v1::Document>(
      this, &Self::RequestGetDocument, &Self::GetDocument,
      CarriesCommitToken<v1::GetDocumentRequest>);
  queues->AddMethod<Self, v1::ListDocumentsRequest, v1::ListDocumentsResponse>(
      this, &Self::RequestListDocuments, &Self::ListDocuments,
      CarriesCommitToken<v1::ListDocumentsRequest>);
  queues->AddMethod<Self, v1::ListPassagesRequest, v1::ListPassagesResponse>(
      this, &Self::RequestListPassages, &Self::ListPassages,
      CarriesCommitToken<v1::ListPassagesRequest>);
  queues->AddMethod<Self, v1::SearchPassagesRequest, v1::SearchPassagesResponse>(
      this, &Self::RequestSearchPassages, &Self::SearchPassages,
      [](const v1::SearchPassagesRequest& request) {
        return CarriesCommitToken(request) || !request.query().empty();
      });
  queues->AddMethod<Self, v1::ListTagsRequest, v1::ListTagsResponse>(
      this, &Self::RequestListTags, &Self::ListTags, CarriesCommitToken<v1::ListTagsRequest>);
  queues->AddMethod<Self, v1::LookupCitationRequest, v1::LookupCitationResponse>(
      this, &Self::RequestLookupCitation, &Self::LookupCitation,
      CarriesCommitToken<v1::LookupCitationRequest>);
  queues->AddMethod<Self, v1::ListCitingPassagesRequest, v1::ListCitingPassagesResponse>(
      this, &Self::RequestListCitingPassages, &Self::ListCitingPassages,
      CarriesCommitToken<v1::ListCitingPassagesRequest>);
  queues->AddMethod<Self, v1::ListReferencesRequest, v1::ListReferencesResponse>(
      this, &Self::RequestListReferences, &Self::ListReferences,
      CarriesCommitToken<v1::ListReferencesRequest>);
}

absl::StatusOr<std::shared_ptr<Replica>> QueryServiceImpl::replica() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (replica_ == nullptr) {
    return absl::UnavailableError(
        "the database is not open yet (waiting for the ingest service to create it); retry");
  }
  return replica_;
}

void QueryServiceImpl::AppendMetrics(std::string* out) const {
  absl::StatusOr<std::shared_ptr<Replica>> current = replica();
  if (current.ok()) (*current)->AppendMetrics(out);
}

absl::StatusOr<std::shared_ptr<Replica>> QueryServiceImpl::ReplicaAt(
    const grpc::ServerContext* context, const std::string& commit_token) const {
  absl::StatusOr<std::shared_ptr<Replica>> current = replica();
  if (!current.ok() || commit_token.empty()) return current;
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(commit_token, &sequence)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "commit_token is not a token an ingest returned: ", Quoted(commit_token)));
  }
  auto deadline = std::chrono::steady_clock::now() + max_commit_wait_;
  const auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    // Answer before the caller gives up, with a status that says why: keep a
    // tenth of the time left (at least 100 ms) for the answer to arrive.
    const auto remaining = call_deadline - std::chrono::system_clock::now();
    const auto left = remaining - std::max<std::chrono::system_clock::duration>(
                                      std::chrono::milliseconds(100), remaining / 10);
    deadline = std::min(deadline, std::chrono::steady_clock::now() +
                                      std::chrono::duration_cast<std::chrono::milliseconds>(left));
  }
  if (absl::Status status = (*current)->WaitForSequence(sequence, deadline); !status.ok()) {
    return status;
  }
  return current;
}

grpc::Status QueryServiceImpl::GetDocument(grpc::ServerContext* context,
                                           const v1::GetDocumentRequest* request,
                                           v1::Document* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<v1::Document> document = (*at)->reader().GetDocument(*id);
  if (!document.ok()) return ToGrpcStatus(document.status());
  *response = std::move(*document);
  return grpc::Status::OK;
}

namespace {

// How long a full-text search may read: until shortly before the call's
// deadline, and at most kMaxSearchTime.
constexpr std::chrono::seconds kMaxSearchTime(20);

std::chrono::steady_clock::time_point SearchDeadline(const grpc::ServerContext* context) {
  auto deadline = std::chrono::steady_clock::now() + kMaxSearchTime;
  const auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    const auto remaining = call_deadline - std::chrono::system_clock::now();
    deadline = std::min(deadline, std::chrono::steady_clock::now() +
                                      std::chrono::duration_cast<std::chrono::milliseconds>(
                                          remaining * 8 / 10));
  }
  return deadline;
}

// The page-token kind of a full-text search: its criteria, hashed.
std::string TextSearchKind(v1::SearchPassagesRequest request) {
  request.clear_page_size();
  request.clear_page_token();
  request.clear_commit_token();
  request.clear_facet_size();
  return absl::StrCat("text:", Sha256Hex(request.SerializeAsString()).substr(0, 16));
}

}  // namespace

grpc::Status QueryServiceImpl::SearchText(grpc::ServerContext* context,
                                          const v1::SearchPassagesRequest& request,
                                          v1::SearchPassagesResponse* response) {
  absl::StatusOr<QueryNode> query = ParseQuery(request.query());
  if (!query.ok()) return ToGrpcStatus(query.status());
  if (request.facet_size() < 0 || request.facet_size() > kMaxPageSize) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("facet_size must be 0 to ", kMaxPageSize, ", not ", request.facet_size())));
  }
  const std::string kind = TextSearchKind(request);
  absl::StatusOr<PageStart> page_start = StartPage(
      kind, request.page_size(), request.page_token(), kDefaultSearchPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request.commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*at)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<PassageSearch> filters = PassageSearchOf(request, **vocabulary);
  if (!filters.ok()) return ToGrpcStatus(filters.status());
  FullTextRequest text;
  text.query = std::move(*query);
  text.filters = std::move(*filters);
  text.document_order = request.order_by() == v1::SearchPassagesRequest::DOCUMENT_ORDER;
  text.page_size = page_start->size;
  text.facet_size = request.facet_size();
  text.after = page_start->after;
  absl::StatusOr<FullTextPage> page =
      SearchFullText((*at)->reader(), text, SearchDeadline(context));
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::SearchResult& result : page->results) *response->add_results() = std::move(result);
  response->set_total_size(page->total_size);
  response->set_total_size_is_bound(page->total_size_is_bound);
  if (request.facet_size() > 0) *response->mutable_facets() = std::move(page->facets);
  response->set_next_page_token(EncodePageToken(kind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::SearchPassages(grpc::ServerContext* context,
                                              const v1::SearchPassagesRequest* request,
                                              v1::SearchPassagesResponse* response) {
  if (!request->query().empty()) return SearchText(context, *request, response);
  constexpr absl::string_view kKind = "search";
  absl::StatusOr<PageStart> page_start = StartPage(
      kKind, request->page_size(), request->page_token(), kDefaultSearchPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*at)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<PassageSearch> search = PassageSearchOf(*request, **vocabulary);
  if (!search.ok()) return ToGrpcStatus(search.status());
  absl::StatusOr<Page<std::string>> page =
      (*at)->reader().SearchPassageEncodings(*search, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  AppendEncodedMessages(v1::SearchPassagesResponse::kPassagesFieldNumber,
                        std::move(page->items), response);
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListTags(grpc::ServerContext* context,
                                        const v1::ListTagsRequest* request,
                                        v1::ListTagsResponse* response) {
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*at)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<std::map<std::string, TagCounts>> counts = (*at)->reader().ListTagCounts();
  if (!counts.ok()) return ToGrpcStatus(counts.status());
  for (v1::TagCount& tag :
       TagCountsOf(**vocabulary, *counts, request->category(), request->omit_unused())) {
    *response->add_tags() = std::move(tag);
  }
  response->set_vocabulary_version((*vocabulary)->version());
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListDocuments(grpc::ServerContext* context,
                                             const v1::ListDocumentsRequest* request,
                                             v1::ListDocumentsResponse* response) {
  constexpr absl::string_view kKind = "documents";
  absl::StatusOr<PageStart> page_start = StartPage(
      kKind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<DocumentFilter> filter = DocumentFilterOf(
      request->format(), request->year_min(), request->year_max(), request->author());
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<Page<v1::Document>> page =
      (*at)->reader().ListDocuments(*filter, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Document& document : page->items) *response->add_documents() = std::move(document);
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListPassages(grpc::ServerContext* context,
                                            const v1::ListPassagesRequest* request,
                                            v1::ListPassagesResponse* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->parent(), "parent");
  if (!id.ok()) return ToGrpcStatus(id.status());
  const std::string kind = absl::StrCat("passages:", *id);
  absl::StatusOr<PageStart> page_start = StartPage(
      kind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  int64_t after_ordinal = -1;
  if (!page_start->after.empty() && !absl::SimpleAtoi(page_start->after, &after_ordinal)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token is not valid"));
  }
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<Page<std::string>> page =
      (*at)->reader().ListPassages(*id, page_start->size, after_ordinal);
  if (!page.ok()) return ToGrpcStatus(page.status());
  AppendEncodedMessages(v1::ListPassagesResponse::kPassagesFieldNumber, std::move(page->items),
                        response);
  response->set_next_page_token(EncodePageToken(kind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::LookupCitation(grpc::ServerContext* context,
                                              const v1::LookupCitationRequest* request,
                                              v1::LookupCitationResponse* response) {
  for (int i = 0; i < request->formats_size(); ++i) {
    if (request->formats(i) == v1::CITATION_FORMAT_UNSPECIFIED ||
        !v1::CitationFormat_IsValid(request->formats(i))) {
      return ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("formats[", i, "] must be CSL_JSON, BIBTEX, RIS or APA")));
    }
  }
  absl::StatusOr<int> limit = EffectivePageSize(request->page_size(), 10, 100);
  if (!limit.ok()) return ToGrpcStatus(limit.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<std::vector<ScoredDocument>> found =
      CitationLookup(&(*at)->reader()).Lookup(*request, *limit);
  if (!found.ok()) return ToGrpcStatus(found.status());
  for (const ScoredDocument& scored : *found) {
    v1::Citation* citation = response->add_citations();
    *citation = CitationOf(scored.document);
    citation->set_score(scored.score);
    for (int format : request->formats()) {
      v1::Rendering* rendering = citation->add_renderings();
      rendering->set_format(static_cast<v1::CitationFormat>(format));
      rendering->set_text(Render(scored.document, static_cast<v1::CitationFormat>(format)));
    }
  }
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListCitingPassages(grpc::ServerContext* context,
                                                  const v1::ListCitingPassagesRequest* request,
                                                  v1::ListCitingPassagesResponse* response) {
  absl::StatusOr<std::vector<std::string>> prefixes =
      CitedPrefixes(request->doi(), request->url());
  if (!prefixes.ok()) return ToGrpcStatus(prefixes.status());
  const std::string kind = absl::StrCat("citing:", prefixes->front());
  absl::StatusOr<PageStart> page_start = StartPage(
      kind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<Page<std::string>> page =
      (*at)->reader().ListCitingPassages(*prefixes, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  AppendEncodedMessages(v1::ListCitingPassagesResponse::kPassagesFieldNumber,
                        std::move(page->items), response);
  response->set_next_page_token(EncodePageToken(kind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListReferences(grpc::ServerContext* context,
                                              const v1::ListReferencesRequest* request,
                                              v1::ListReferencesResponse* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->parent(), "parent");
  if (!id.ok()) return ToGrpcStatus(id.status());
  const std::string kind = absl::StrCat("references:", *id);
  absl::StatusOr<PageStart> page_start = StartPage(
      kind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  // The token is how many references came before.
  int64_t first = 0;
  if (!page_start->after.empty() && !absl::SimpleAtoi(page_start->after, &first)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token is not valid"));
  }
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<ReferencePage> page =
      CitationLookup(&(*at)->reader()).References(*id, first, page_start->size);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Reference& reference : page->references) {
    *response->add_references() = std::move(reference);
  }
  if (page->next >= 0) response->set_next_page_token(EncodePageToken(kind, absl::StrCat(page->next)));
  return grpc::Status::OK;
}

template <typename Request, typename Response, typename Core>
grpc::Status QueryServiceImpl::Analyze(grpc::ServerContext* context, const Request& request,
                                       Response* response, Core core) {
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request.commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*at)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  auto answer = core((*at)->reader(), **vocabulary, request, SearchDeadline(context));
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  *response = std::move(*answer);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::CountConcepts(grpc::ServerContext* context,
                                             const v1::CountConceptsRequest* request,
                                             v1::CountConceptsResponse* response) {
  return Analyze(context, *request, response, &biocorpus::CountConcepts);
}

grpc::Status QueryServiceImpl::CooccurringConcepts(grpc::ServerContext* context,
                                                   const v1::CooccurringConceptsRequest* request,
                                                   v1::CooccurringConceptsResponse* response) {
  return Analyze(context, *request, response, &biocorpus::CooccurringConcepts);
}

grpc::Status QueryServiceImpl::SignificantConcepts(grpc::ServerContext* context,
                                                   const v1::SignificantConceptsRequest* request,
                                                   v1::SignificantConceptsResponse* response) {
  return Analyze(context, *request, response, &biocorpus::SignificantConcepts);
}

grpc::Status QueryServiceImpl::ExportDocuments(
    grpc::ServerContext* context, const v1::ExportDocumentsRequest* request,
    grpc::ServerWriter<v1::ExportDocumentsResponse>* writer) {
  absl::StatusOr<DocumentFilter> filter = DocumentFilterOfRequest(*request);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  std::vector<std::string> ids;
  for (int i = 0; i < request->names_size(); ++i) {
    absl::StatusOr<std::string> id =
        ParseDocumentName(request->names(i), absl::StrCat("names[", i, "]"));
    if (!id.ok()) return ToGrpcStatus(id.status());
    ids.push_back(std::move(*id));
  }
  const bool filtered = request->format() != v1::DOCUMENT_FORMAT_UNSPECIFIED ||
                        request->year_min() != 0 || request->year_max() != 0 ||
                        !request->author().empty() || !request->language().empty() ||
                        !request->source_tag().empty();
  if (!ids.empty() && filtered) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        "give names or document filters, not both: names select the documents themselves"));
  }
  absl::StatusOr<std::shared_ptr<Replica>> at = ReplicaAt(context, request->commit_token());
  if (!at.ok()) return ToGrpcStatus(at.status());
  const CorpusReader& reader = (*at)->reader();
  // Named documents must all be there before anything is sent.
  std::vector<v1::Document> named;
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StatusOr<v1::Document> document = reader.GetDocument(ids[i]);
    if (!document.ok()) return ToGrpcStatus(document.status());
    named.push_back(std::move(*document));
  }
  v1::ExportDocumentsResponse first;
  first.set_collection(BiocCollectionJson(
      "biocorpus", absl::FormatTime("%Y%m%d", absl::Now(), absl::UTCTimeZone())));
  if (!writer->Write(first)) return grpc::Status(grpc::StatusCode::CANCELLED, "the client left");
  auto send = [&](const v1::Document& document) -> grpc::Status {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    absl::StatusOr<std::vector<v1::Passage>> passages =
        reader.db().ReadPassages(DocIdFromName(document.name()));
    if (!passages.ok()) return ToGrpcStatus(passages.status());
    v1::ExportDocumentsResponse message;
    message.set_document(BiocDocumentJson(document, *passages));
    if (!writer->Write(message)) return grpc::Status(grpc::StatusCode::CANCELLED, "the client left");
    return grpc::Status::OK;
  };
  if (!named.empty()) {
    for (const v1::Document& document : named) {
      if (grpc::Status s = send(document); !s.ok()) return s;
    }
    return grpc::Status::OK;
  }
  std::string after;
  while (true) {
    absl::StatusOr<Page<v1::Document>> page = reader.ListDocuments(*filter, 100, after);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (const v1::Document& document : page->items) {
      if (grpc::Status s = send(document); !s.ok()) return s;
    }
    if (page->next_after.empty()) return grpc::Status::OK;
    after = std::move(page->next_after);
  }
}

}  // namespace biocorpus
