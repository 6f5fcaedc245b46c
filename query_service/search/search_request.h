#ifndef BIOCORPUS_QUERY_SERVICE_SEARCH_SEARCH_REQUEST_H_
#define BIOCORPUS_QUERY_SERVICE_SEARCH_SEARCH_REQUEST_H_

// What a request asks of the store, in the store's terms: concept groups
// resolved against the vocabulary, document filters normalized.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "corpus/vocabulary/vocabulary.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// The document filter of a format, a year range and an author's family
// name. InvalidArgument when year_min is after year_max.
absl::StatusOr<DocumentFilter> DocumentFilterOf(v1::DocumentFormat format, int year_min,
                                                int year_max, const std::string& author);

// The document filter of a request's format, year_min, year_max, author,
// language and source_tag (SearchPassagesRequest, ExportDocumentsRequest).
template <typename Request>
absl::StatusOr<DocumentFilter> DocumentFilterOfRequest(const Request& request) {
  absl::StatusOr<DocumentFilter> filter = DocumentFilterOf(
      request.format(), request.year_min(), request.year_max(), request.author());
  if (filter.ok()) {
    filter->language = request.language();
    filter->source_tag = request.source_tag();
  }
  return filter;
}

// The concept groups of a search: each requested concept (with its
// descendants on request), kept to the category when one is given; or, with
// no concepts, every concept of the category (and with a query and neither,
// no concept filter). InvalidArgument naming the field for an unknown
// concept, or when none of query, concepts and category is given.
absl::StatusOr<PassageSearch> PassageSearchOf(const v1::SearchPassagesRequest& request,
                                              const Vocabulary& vocabulary);

// The vocabulary's concepts (of `category` when given) with their counts;
// without those no passage or document carries when `omit_unused`.
std::vector<v1::TagCount> TagCountsOf(const Vocabulary& vocabulary,
                                      const std::map<std::string, TagCounts>& counts,
                                      v1::ConceptCategory category, bool omit_unused);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SEARCH_SEARCH_REQUEST_H_
