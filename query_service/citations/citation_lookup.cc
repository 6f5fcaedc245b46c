#include "query_service/citations/citation_lookup.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/text/quoted.h"

namespace biocorpus {
namespace {

using Found = std::vector<std::pair<std::string, double>>;

// Title-word candidates examined at most, per word.
constexpr int kMaxTitleWordHits = 10000;

void Add(const std::string& id, double score, Found* found) {
  auto it = std::find_if(found->begin(), found->end(),
                         [&](const auto& entry) { return entry.first == id; });
  if (it == found->end()) {
    found->emplace_back(id, score);
  } else {
    it->second = std::max(it->second, score);
  }
}

}  // namespace

absl::Status CitationLookup::AddOwnRecords(const std::string& prefix, bool exact, int limit,
                                           double score, Found* found) const {
  absl::StatusOr<std::vector<std::string>> ids = reader_->OwnRecords(prefix, exact, limit);
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) Add(id, score, found);
  return absl::OkStatus();
}

absl::Status CitationLookup::AddTitleWordMatches(const std::string& title, Found* found) const {
  const std::vector<std::string> words = TitleWords(title);
  std::map<std::string, int> hits;
  for (const std::string& word : words) {
    absl::StatusOr<std::vector<std::string>> ids = reader_->OwnRecords(
        CitationPrefix(CitationKeyKind::kTitleWord, word, true), true, kMaxTitleWordHits);
    if (!ids.ok()) return ids.status();
    for (const std::string& id : *ids) ++hits[id];
  }
  std::vector<std::string> candidates;
  std::vector<int> counts;
  for (const auto& [id, count] : hits) {
    if (2 * count < static_cast<int>(words.size())) continue;
    candidates.push_back(id);
    counts.push_back(count);
  }
  // The candidates' titles, in one batched read.
  absl::StatusOr<std::vector<std::optional<v1::Document>>> documents =
      reader_->GetDocuments(candidates);
  if (!documents.ok()) return documents.status();
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!(*documents)[i].has_value()) continue;
    const double count = counts[i];
    const double title_words =
        static_cast<double>(std::max<size_t>(1, TitleWords((*documents)[i]->title()).size()));
    Add(candidates[i], 0.8 * (count / static_cast<double>(words.size())) *
                           std::min(1.0, count / title_words),
        found);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ScoredDocument>> CitationLookup::Lookup(
    const v1::LookupCitationRequest& request, int limit) const {
  Found found;
  std::string what;
  absl::Status status;
  switch (request.key_case()) {
    case v1::LookupCitationRequest::kDoi:
    case v1::LookupCitationRequest::kUrl: {
      const bool by_doi = request.key_case() == v1::LookupCitationRequest::kDoi;
      what = by_doi ? absl::StrCat("DOI ", request.doi()) : absl::StrCat("URL ", request.url());
      const std::string doi = by_doi ? NormalizeDoi(request.doi()) : DoiInUrl(request.url());
      if (by_doi && doi.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("doi: ", Quoted(request.doi()), " is not a DOI (10.prefix/suffix)"));
      }
      if (!doi.empty()) {
        status.Update(AddOwnRecords(CitationPrefix(CitationKeyKind::kDoi, doi, true), true, limit,
                                    1.0, &found));
      }
      if (!by_doi) {
        for (const std::string& variant : UrlVariants(request.url())) {
          status.Update(AddOwnRecords(CitationPrefix(CitationKeyKind::kUrl, variant, true), true,
                                      limit, 1.0, &found));
        }
      }
      break;
    }
    case v1::LookupCitationRequest::kTitle: {
      what = absl::StrCat("title ", Quoted(request.title()));
      const std::string title = NormalizeForMatching(request.title());
      if (title.empty()) return absl::InvalidArgumentError("title: give some words of a title");
      status.Update(AddOwnRecords(CitationPrefix(CitationKeyKind::kTitle, title, true), true,
                                  limit, 1.0, &found));
      status.Update(AddOwnRecords(CitationPrefix(CitationKeyKind::kTitle, title, false), false,
                                  limit, 0.9, &found));
      status.Update(AddTitleWordMatches(title, &found));
      break;
    }
    case v1::LookupCitationRequest::kAuthor: {
      const v1::AuthorQuery& author = request.author();
      const std::string family = NormalizeForMatching(author.family());
      if (family.empty()) return absl::InvalidArgumentError("author.family is required");
      what = absl::StrCat("author ", author.family(),
                          author.year() > 0 ? absl::StrCat(" (", author.year(), ")") : "");
      status.Update(
          author.year() > 0
              ? AddOwnRecords(CitationPrefix(CitationKeyKind::kAuthor,
                                             absl::StrCat(family, " ", author.year()), true),
                              true, 1000, 1.0, &found)
              : AddOwnRecords(CitationPrefix(CitationKeyKind::kAuthor, family + " ", false),
                              false, 1000, 1.0, &found));
      break;
    }
    default:
      return absl::InvalidArgumentError("give one of doi, url, title or author");
  }
  if (!status.ok()) return status;
  std::vector<std::string> ids;
  for (const auto& [id, score] : found) ids.push_back(id);
  absl::StatusOr<std::vector<std::optional<v1::Document>>> documents = reader_->GetDocuments(ids);
  if (!documents.ok()) return documents.status();
  std::vector<ScoredDocument> scored;
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((*documents)[i].has_value()) {
      scored.push_back(ScoredDocument{std::move(*(*documents)[i]), found[i].second});
    }
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.document.year() > b.document.year();
  });
  if (scored.empty()) {
    return absl::NotFoundError(absl::StrCat("no document matches ", CapMessage(what, 300)));
  }
  if (static_cast<int>(scored.size()) > limit) scored.resize(limit);
  return scored;
}

absl::StatusOr<ReferencePage> CitationLookup::References(const std::string& doc_id,
                                                         int64_t first, int page_size) const {
  // One more than a page tells whether there is a next one.
  absl::StatusOr<std::vector<NumberedLink>> links =
      reader_->ListLinks(doc_id, first, static_cast<size_t>(page_size) + 1);
  if (!links.ok()) return links.status();
  ReferencePage page;
  if (static_cast<int>(links->size()) > page_size) {
    links->pop_back();
    page.next = first + page_size;
  }
  for (NumberedLink& numbered : *links) {
    v1::Reference& reference = page.references.emplace_back();
    reference.set_passage(numbered.passage);
    absl::StatusOr<std::vector<std::string>> prefixes =
        CitedPrefixes(CitedDoi(numbered.link), numbered.link.url());
    *reference.mutable_link() = std::move(numbered.link);
    if (!prefixes.ok()) continue;
    for (const std::string& prefix : *prefixes) {
      absl::StatusOr<std::vector<std::string>> cited = reader_->OwnRecords(prefix, true, 1);
      if (!cited.ok()) return cited.status();
      if (!cited->empty()) {
        reference.set_cited_document(DocumentName(cited->front()));
        break;
      }
    }
  }
  return page;
}

}  // namespace biocorpus
