#ifndef BIOCORPUS_QUERY_SERVICE_ANALYTICS_PASSAGE_SCAN_H_
#define BIOCORPUS_QUERY_SERVICE_ANALYTICS_PASSAGE_SCAN_H_

#include <chrono>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "corpus/vocabulary/vocabulary.h"
#include "query_service/search/full_text_search.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// Visits every passage that SearchPassages would return for `filter` (with
// no concept, category or query: every passage of the documents the
// document filters keep), with its document, until `deadline`. The passages
// of one document come together. Returns whether every passage was visited
// (false when the deadline came first). `filter` must have passed
// CheckFilter.
absl::StatusOr<bool> ScanPassages(const CorpusReader& reader, const Vocabulary& vocabulary,
                                  const v1::SearchPassagesRequest& filter,
                                  std::chrono::steady_clock::time_point deadline,
                                  const PassageVisitor& visit);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_ANALYTICS_PASSAGE_SCAN_H_
