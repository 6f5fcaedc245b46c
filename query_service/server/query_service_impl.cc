#include "query_service/server/query_service_impl.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/grpc_status.h"
#include "corpus/storage/schema.h"
#include "query_service/citations/citation_renderer.h"
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

void QueryServiceImpl::AppendMetrics(std::string* out) const {
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (store.ok()) (*store)->AppendMetrics(out);
}

absl::StatusOr<std::shared_ptr<CorpusReader>> QueryServiceImpl::ReaderAt(
    const grpc::ServerContext* context, const std::string& commit_token) const {
  absl::StatusOr<std::shared_ptr<CorpusReader>> store = reader();
  if (!store.ok() || commit_token.empty()) return store;
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(commit_token, &sequence)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "commit_token is not a token an ingest returned: '", commit_token, "'"));
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
  if (absl::Status status = (*store)->WaitForSequence(sequence, deadline); !status.ok()) {
    return status;
  }
  return store;
}

grpc::Status QueryServiceImpl::GetDocument(grpc::ServerContext* context,
                                           const v1::GetDocumentRequest* request,
                                           v1::Document* response) {
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
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
    grpc::ServerContext* context, const v1::SearchPassagesRequest* request,
    v1::SearchPassagesResponse* response) {
  constexpr absl::string_view kKind = "search";
  absl::StatusOr<PageStart> page_start = StartPage(
      kKind, request->page_size(), request->page_token(), kDefaultSearchPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = (*store)->vocabulary();
  if (!vocabulary.ok()) return ToGrpcStatus(vocabulary.status());
  absl::StatusOr<PassageSearch> search = SearchOf(*request, **vocabulary);
  if (!search.ok()) return ToGrpcStatus(search.status());
  absl::StatusOr<Page<v1::Passage>> page =
      (*store)->SearchPassages(*search, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Passage& passage : page->items) {
    *response->add_passages() = std::move(passage);
  }
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListTags(grpc::ServerContext* context,
                                        const v1::ListTagsRequest* request,
                                        v1::ListTagsResponse* response) {
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
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
    grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
    v1::ListDocumentsResponse* response) {
  constexpr absl::string_view kKind = "documents";
  absl::StatusOr<PageStart> page_start = StartPage(
      kKind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<DocumentFilter> filter = DocumentFilterOf(*request);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Document>> page =
      (*store)->ListDocuments(*filter, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Document& document : page->items) {
    *response->add_documents() = std::move(document);
  }
  response->set_next_page_token(EncodePageToken(kKind, page->next_after));
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListPassages(
    grpc::ServerContext* context, const v1::ListPassagesRequest* request,
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
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Passage>> page =
      (*store)->ListPassages(*id, page_start->size, after_ordinal);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Passage& passage : page->items) {
    *response->add_passages() = std::move(passage);
  }
  response->set_next_page_token(EncodePageToken(kind, page->next_after));
  return grpc::Status::OK;
}

}  // namespace biocorpus

namespace biocorpus {
namespace {

// The URL and its usual variants: http and https, with and without "www.".
std::vector<std::string> UrlVariants(const std::string& url) {
  const std::string normalized = NormalizeUrl(url);
  std::vector<std::string> out = {normalized};
  const size_t colon = normalized.find("://");
  if (colon == std::string::npos) return out;
  const std::string scheme = normalized.substr(0, colon);
  if (scheme != "http" && scheme != "https") return out;
  std::string rest = normalized.substr(colon + 3);
  const std::string bare = absl::StartsWith(rest, "www.") ? rest.substr(4) : rest;
  for (const char* s : {"https://", "http://"}) {
    for (const std::string& host : {bare, "www." + bare}) {
      const std::string variant = s + host;
      if (std::find(out.begin(), out.end(), variant) == out.end()) out.push_back(variant);
    }
  }
  return out;
}

// The citation_index prefixes under which a cited DOI or URL is recorded.
absl::StatusOr<std::vector<std::string>> CitedPrefixes(const std::string& doi_field,
                                                       const std::string& url_field) {
  std::string doi = NormalizeDoi(doi_field.empty() ? url_field : doi_field);
  if (!doi_field.empty() && doi.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("doi: '", doi_field, "' is not a DOI (10.prefix/suffix)"));
  }
  std::vector<std::string> prefixes;
  if (!doi.empty()) {
    prefixes.push_back(CitationPrefix(CitationKeyKind::kDoi, doi, true));
    prefixes.push_back(CitationPrefix(
        CitationKeyKind::kUrl, NormalizeUrl(absl::StrCat("https://doi.org/", doi)), true));
    return prefixes;
  }
  if (url_field.empty()) return absl::InvalidArgumentError("give a doi or a url");
  for (const std::string& variant : UrlVariants(url_field)) {
    prefixes.push_back(CitationPrefix(CitationKeyKind::kUrl, variant, true));
  }
  return prefixes;
}

struct Scored {
  std::string id;
  double score;
};

}  // namespace

grpc::Status QueryServiceImpl::LookupCitation(grpc::ServerContext* context,
                                              const v1::LookupCitationRequest* request,
                                              v1::LookupCitationResponse* response) {
  for (int i = 0; i < request->formats_size(); ++i) {
    if (request->formats(i) == v1::CITATION_FORMAT_UNSPECIFIED ||
        !v1::CitationFormat_IsValid(request->formats(i))) {
      return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
          "formats[", i, "] must be CSL_JSON, BIBTEX, RIS or APA")));
    }
  }
  absl::StatusOr<int> limit = EffectivePageSize(request->page_size(), 10, 100);
  if (!limit.ok()) return ToGrpcStatus(limit.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  CorpusReader& reader = **store;

  std::vector<Scored> found;
  auto add = [&](const std::vector<std::string>& ids, double score) {
    for (const std::string& id : ids) {
      auto it = std::find_if(found.begin(), found.end(),
                             [&](const Scored& s) { return s.id == id; });
      if (it == found.end()) {
        found.push_back({id, score});
      } else {
        it->score = std::max(it->score, score);
      }
    }
  };
  std::string what;
  absl::Status failure;
  auto own = [&](const std::string& prefix, bool exact, int max) {
    absl::StatusOr<std::vector<std::string>> ids = reader.OwnRecords(prefix, exact, max);
    if (!ids.ok()) {
      failure = ids.status();
      return std::vector<std::string>();
    }
    return *ids;
  };
  switch (request->key_case()) {
    case v1::LookupCitationRequest::kDoi:
    case v1::LookupCitationRequest::kUrl: {
      const bool by_doi = request->key_case() == v1::LookupCitationRequest::kDoi;
      what = by_doi ? absl::StrCat("DOI ", request->doi()) : absl::StrCat("URL ", request->url());
      const std::string doi = NormalizeDoi(by_doi ? request->doi() : request->url());
      if (by_doi && doi.empty()) {
        return ToGrpcStatus(absl::InvalidArgumentError(
            absl::StrCat("doi: '", request->doi(), "' is not a DOI (10.prefix/suffix)")));
      }
      if (!doi.empty()) add(own(CitationPrefix(CitationKeyKind::kDoi, doi, true), true, *limit), 1.0);
      if (!by_doi) {
        for (const std::string& variant : UrlVariants(request->url())) {
          add(own(CitationPrefix(CitationKeyKind::kUrl, variant, true), true, *limit), 1.0);
        }
      }
      break;
    }
    case v1::LookupCitationRequest::kTitle: {
      what = absl::StrCat("title '", request->title(), "'");
      const std::string title = NormalizeForMatching(request->title());
      if (title.empty()) {
        return ToGrpcStatus(absl::InvalidArgumentError("title: give some words of a title"));
      }
      add(own(CitationPrefix(CitationKeyKind::kTitle, title, true), true, *limit), 1.0);
      add(own(CitationPrefix(CitationKeyKind::kTitle, title, false), false, *limit), 0.9);
      // A set of title words: documents whose title holds at least half of
      // them, ranked by the share of the query matched and of the title
      // covered.
      const std::vector<std::string> words = TitleWords(title);
      std::map<std::string, int> hits;
      for (const std::string& word : words) {
        for (const std::string& id :
             own(CitationPrefix(CitationKeyKind::kTitleWord, word, true), true, 10000)) {
          ++hits[id];
        }
      }
      for (const auto& [id, count] : hits) {
        if (2 * count < static_cast<int>(words.size())) continue;
        absl::StatusOr<v1::Document> document = reader.GetDocument(id);
        if (!document.ok()) continue;
        const size_t title_words = std::max<size_t>(1, TitleWords(document->title()).size());
        add({id}, 0.8 * (static_cast<double>(count) / words.size()) *
                      std::min(1.0, static_cast<double>(count) / title_words));
      }
      break;
    }
    case v1::LookupCitationRequest::kAuthor: {
      const std::string family = NormalizeForMatching(request->author().family());
      if (family.empty()) {
        return ToGrpcStatus(absl::InvalidArgumentError("author.family is required"));
      }
      what = absl::StrCat("author ", request->author().family(),
                          request->author().year() > 0
                              ? absl::StrCat(" (", request->author().year(), ")")
                              : "");
      if (request->author().year() > 0) {
        add(own(CitationPrefix(CitationKeyKind::kAuthor,
                               absl::StrCat(family, " ", request->author().year()), true),
                true, 1000),
            1.0);
      } else {
        add(own(CitationPrefix(CitationKeyKind::kAuthor, family + " ", false), false, 1000), 1.0);
      }
      break;
    }
    default:
      return ToGrpcStatus(
          absl::InvalidArgumentError("give one of doi, url, title or author"));
  }
  if (!failure.ok()) return ToGrpcStatus(failure);
  std::vector<std::pair<Scored, v1::Document>> documents;
  for (const Scored& s : found) {
    absl::StatusOr<v1::Document> document = reader.GetDocument(s.id);
    if (document.ok()) documents.push_back({s, std::move(*document)});
  }
  std::stable_sort(documents.begin(), documents.end(), [](const auto& a, const auto& b) {
    if (a.first.score != b.first.score) return a.first.score > b.first.score;
    return a.second.year() > b.second.year();
  });
  if (documents.empty()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("no document matches ", what)));
  }
  if (static_cast<int>(documents.size()) > *limit) documents.resize(*limit);
  for (const auto& [scored, document] : documents) {
    v1::Citation* citation = response->add_citations();
    *citation = CitationOf(document);
    citation->set_score(scored.score);
    for (int format : request->formats()) {
      v1::Rendering* rendering = citation->add_renderings();
      rendering->set_format(static_cast<v1::CitationFormat>(format));
      rendering->set_text(Render(document, static_cast<v1::CitationFormat>(format)));
    }
  }
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListCitingPassages(
    grpc::ServerContext* context, const v1::ListCitingPassagesRequest* request,
    v1::ListCitingPassagesResponse* response) {
  absl::StatusOr<std::vector<std::string>> prefixes =
      CitedPrefixes(request->doi(), request->url());
  if (!prefixes.ok()) return ToGrpcStatus(prefixes.status());
  const std::string kind = absl::StrCat("citing:", prefixes->front());
  absl::StatusOr<PageStart> page_start = StartPage(
      kind, request->page_size(), request->page_token(), kDefaultPageSize, kMaxPageSize);
  if (!page_start.ok()) return ToGrpcStatus(page_start.status());
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  absl::StatusOr<Page<v1::Passage>> page =
      (*store)->ListCitingPassages(*prefixes, page_start->size, page_start->after);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Passage& passage : page->items) *response->add_passages() = std::move(passage);
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
  int64_t skip = 0;
  if (!page_start->after.empty() && !absl::SimpleAtoi(page_start->after, &skip)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token is not valid"));
  }
  absl::StatusOr<std::shared_ptr<CorpusReader>> store =
      ReaderAt(context, request->commit_token());
  if (!store.ok()) return ToGrpcStatus(store.status());
  // A document's references are its passages' links, numbered in order; the
  // token is how many were returned before.
  absl::StatusOr<Page<v1::Passage>> passages = (*store)->ListPassages(*id, 1 << 20, -1);
  if (!passages.ok()) return ToGrpcStatus(passages.status());
  int64_t index = 0;
  for (const v1::Passage& passage : passages->items) {
    for (const v1::Link& link : passage.links()) {
      if (index++ < skip) continue;
      if (response->references_size() == page_start->size) {
        response->set_next_page_token(EncodePageToken(kind, absl::StrCat(index - 1)));
        return grpc::Status::OK;
      }
      v1::Reference* reference = response->add_references();
      reference->set_passage(passage.name());
      *reference->mutable_link() = link;
      absl::StatusOr<std::vector<std::string>> prefixes = CitedPrefixes(link.doi(), link.url());
      if (!prefixes.ok()) continue;
      for (const std::string& prefix : *prefixes) {
        absl::StatusOr<std::vector<std::string>> cited = (*store)->OwnRecords(prefix, true, 1);
        if (cited.ok() && !cited->empty()) {
          reference->set_cited_document(DocumentName(cited->front()));
          break;
        }
      }
    }
  }
  return grpc::Status::OK;
}

}  // namespace biocorpus
