#ifndef BIOCORPUS_QUERY_SERVICE_SEARCH_FULL_TEXT_SEARCH_H_
#define BIOCORPUS_QUERY_SERVICE_SEARCH_FULL_TEXT_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "query_service/search/query_parser.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// A full-text search with its filters and paging.
struct FullTextRequest {
  QueryNode query;
  // The concept, type and document filters (groups may be empty: no concept
  // filter).
  PassageSearch filters;
  bool document_order = false;
  int page_size = 20;
  int facet_size = 0;
  // Where the page starts: the `next_after` of the previous page, or "".
  std::string after;
};

struct FullTextPage {
  std::vector<v1::SearchResult> results;
  // Where the next page starts; empty at the end.
  std::string next_after;
  int64_t total_size = 0;
  bool total_size_is_bound = false;
  v1::SearchFacets facets;
};

// Runs a full-text query over `reader`: TextSearcher's matches, kept to the
// filters, ranked by score (or in document order), one page of them with
// highlights, the exact size of the whole result set and, on request, its
// facets. `next_after` carries the ranking's statistics, so that the pages of
// one query neither repeat nor skip a passage while documents arrive. Stops
// reading postings at `deadline` and then says the total is a bound; says so
// too while a database written before the text index is being indexed.
// InvalidArgument for an `after` that is not one of its own.
absl::StatusOr<FullTextPage> SearchFullText(const CorpusReader& reader,
                                            const FullTextRequest& request,
                                            std::chrono::steady_clock::time_point deadline);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SEARCH_FULL_TEXT_SEARCH_H_
