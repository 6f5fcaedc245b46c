#ifndef BIOCORPUS_QUERY_SERVICE_SEARCH_FULL_TEXT_SEARCH_H_
#define BIOCORPUS_QUERY_SERVICE_SEARCH_FULL_TEXT_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "query_service/search/query_parser.h"
#include "query_service/search/text_search.h"
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

// Called with each passage a match keeps, and its document.
using PassageVisitor = std::function<void(const v1::Document&, const v1::Passage&)>;

struct FullTextMatches {
  std::vector<TextHit> hits;  // In passage order.
  TextStats stats;
  // False when the deadline came first: `hits` are those found so far.
  bool complete = true;
};

// Every passage that matches `query` and `filters`, in passage order.
// Statistics come from `frozen` where it has them. With `visit`, each kept
// passage is read and passed to it (a passage deleted meanwhile is left
// out); passages are read until the deadline.
absl::StatusOr<FullTextMatches> MatchFullText(const CorpusReader& reader, const QueryNode& query,
                                              const PassageSearch& filters,
                                              const TextStats* frozen,
                                              std::chrono::steady_clock::time_point deadline,
                                              const PassageVisitor* visit);

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
