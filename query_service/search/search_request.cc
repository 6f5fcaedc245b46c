#include "query_service/search/search_request.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/text/quoted.h"

namespace biocorpus {

absl::StatusOr<DocumentFilter> DocumentFilterOf(v1::DocumentFormat format, int year_min,
                                                int year_max, const std::string& author) {
  if (year_min != 0 && year_max != 0 && year_min > year_max) {
    return absl::InvalidArgumentError(
        absl::StrCat("year_min (", year_min, ") is after year_max (", year_max, ")"));
  }
  DocumentFilter filter;
  filter.format = format;
  filter.year_min = year_min;
  filter.year_max = year_max;
  filter.author = NormalizeForMatching(author);
  return filter;
}

absl::StatusOr<PassageSearch> PassageSearchOf(const v1::SearchPassagesRequest& request,
                                              const Vocabulary& vocabulary) {
  PassageSearch search;
  search.match_all = request.match() == v1::SearchPassagesRequest::ALL ||
                     request.match() == v1::SearchPassagesRequest::ALL_IN_DOCUMENT;
  search.match_in_document = request.match() == v1::SearchPassagesRequest::ALL_IN_DOCUMENT;
  const v1::ConceptCategory category = request.category();
  auto in_category = [&](const std::string& id) {
    const v1::Concept* c = vocabulary.Find(id);
    return c != nullptr &&
           (category == v1::CONCEPT_CATEGORY_UNSPECIFIED || c->category() == category);
  };
  if (request.concepts().empty() &&
      (category != v1::CONCEPT_CATEGORY_UNSPECIFIED || request.query().empty())) {
    if (category == v1::CONCEPT_CATEGORY_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "give a query, concepts, a category, or some of them (see ListTags for the concepts)");
    }
    std::vector<std::string> all;
    for (const v1::Concept& c : vocabulary.concepts()) {
      if (c.category() == category) all.push_back(c.id());
    }
    search.groups.push_back(std::move(all));
    search.match_all = false;
    search.match_in_document = false;
  }
  for (int i = 0; i < request.concepts_size(); ++i) {
    const std::string& id = request.concepts(i);
    if (vocabulary.Find(id) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("concepts[", i, "]: ", Quoted(id),
                                                     " is not in vocabulary version ",
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
  absl::StatusOr<DocumentFilter> documents = DocumentFilterOfRequest(request);
  if (!documents.ok()) return documents.status();
  search.documents = *documents;
  return search;
}

std::vector<v1::TagCount> TagCountsOf(const Vocabulary& vocabulary,
                                      const std::map<std::string, TagCounts>& counts,
                                      v1::ConceptCategory category, bool omit_unused) {
  std::vector<v1::TagCount> tags;
  for (const v1::Concept& c : vocabulary.concepts()) {
    if (category != v1::CONCEPT_CATEGORY_UNSPECIFIED && c.category() != category) continue;
    const auto it = counts.find(c.id());
    const TagCounts found = it == counts.end() ? TagCounts() : it->second;
    if (omit_unused && found.passages == 0 && found.documents == 0) continue;
    v1::TagCount& tag = tags.emplace_back();
    *tag.mutable_concept() = c;
    tag.set_passage_count(found.passages);
    tag.set_document_count(found.documents);
  }
  return tags;
}

}  // namespace biocorpus
