#ifndef BIOCORPUS_QUERY_SERVICE_ANALYTICS_ANALYTICS_FILTER_H_
#define BIOCORPUS_QUERY_SERVICE_ANALYTICS_ANALYTICS_FILTER_H_

// The filters of the analytics requests: the fields they share by name with
// SearchPassagesRequest, the concept sets they name, and whether the counters
// kept at ingest can answer them.

#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/query_service.pb.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/vocabulary/vocabulary.h"

namespace biocorpus {

// The SearchPassagesRequest made of `request`'s fields that have the names of
// SearchPassages' filters (concepts, match, include_descendants, category,
// type, format, year_min, year_max, author, query, language, source_tag).
v1::SearchPassagesRequest FilterOf(const google::protobuf::Message& request);

// Whether `filter` selects anything less than the whole corpus.
bool HasFilter(const v1::SearchPassagesRequest& filter);

// InvalidArgument naming the field for a filter SearchPassages would refuse
// (an unknown concept, year_min after year_max, a query that does not parse).
absl::Status CheckFilter(const v1::SearchPassagesRequest& filter, const Vocabulary& vocabulary);

// The concepts of a set, sorted and unique. InvalidArgument naming `field`
// for an unknown concept, and for an empty set (neither concepts nor a
// category) unless `allow_empty`.
absl::StatusOr<std::vector<std::string>> ConceptSetMembers(const v1::ConceptSet& set,
                                                           const Vocabulary& vocabulary,
                                                           absl::string_view field,
                                                           bool allow_empty);

// What the counters can select: document cells by year range, format and
// language, and at most one concept or one category.
struct CounterFilter {
  int year_min = 0;
  int year_max = 0;
  v1::DocumentFormat format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
  std::string language;
  std::string concept_id;  // "" for none.
  v1::ConceptCategory category = v1::CONCEPT_CATEGORY_UNSPECIFIED;

  bool Selects(const CounterCell& cell) const;
  bool SelectsYear(int year) const;
};

// The counter filter equal to `filter`, or nullopt when only reading the
// passages can answer it (a query, a passage type, an author, a source tag,
// several concepts, or a concept with a category).
std::optional<CounterFilter> CounterFilterOf(const v1::SearchPassagesRequest& filter,
                                             const Vocabulary& vocabulary);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_ANALYTICS_ANALYTICS_FILTER_H_
