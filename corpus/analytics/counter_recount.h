#ifndef BIOCORPUS_CORPUS_ANALYTICS_COUNTER_RECOUNT_H_
#define BIOCORPUS_CORPUS_ANALYTICS_COUNTER_RECOUNT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/storage/corpus_db.h"

namespace biocorpus {

// Recounts every analytics counter from the stored documents and passages
// and compares the result with the analytics family of `db`. Returns one
// line per difference ("C gene-drive 2024 MIRRORED_ARTICLE en: stored
// passages 3 documents 2, recounted 4 and 2"), at most `limit`; empty when
// every counter is exact. Reads only; for tests and the consistency check.
absl::StatusOr<std::vector<std::string>> RecountAnalyticsCounters(const CorpusDb& db,
                                                                  size_t limit = 100);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_ANALYTICS_COUNTER_RECOUNT_H_
