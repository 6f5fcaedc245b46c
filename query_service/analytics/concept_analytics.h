#ifndef BIOCORPUS_QUERY_SERVICE_ANALYTICS_CONCEPT_ANALYTICS_H_
#define BIOCORPUS_QUERY_SERVICE_ANALYTICS_CONCEPT_ANALYTICS_H_

// The corpus analytics of QueryService: counts by group, co-occurrence of two
// concept sets, and the concepts over-represented in a selection. Each
// answers from the analytics counters where the filter allows and otherwise
// reads the matching passages until `deadline` (the response's `scanned` and
// `complete` say which, and whether it finished). InvalidArgument naming the
// field for a bad request; FailedPrecondition while the ingest service is
// still counting a database written before the counters. Thread-safe.

#include <chrono>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "corpus/vocabulary/vocabulary.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

absl::StatusOr<v1::CountConceptsResponse> CountConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::CountConceptsRequest& request, std::chrono::steady_clock::time_point deadline);

absl::StatusOr<v1::CooccurringConceptsResponse> CooccurringConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::CooccurringConceptsRequest& request,
    std::chrono::steady_clock::time_point deadline);

absl::StatusOr<v1::SignificantConceptsResponse> SignificantConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::SignificantConceptsRequest& request,
    std::chrono::steady_clock::time_point deadline);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_ANALYTICS_CONCEPT_ANALYTICS_H_
