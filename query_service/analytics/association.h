#ifndef BIOCORPUS_QUERY_SERVICE_ANALYTICS_ASSOCIATION_H_
#define BIOCORPUS_QUERY_SERVICE_ANALYTICS_ASSOCIATION_H_

#include <cstdint>

namespace biocorpus {

// The 2×2 table of two events over `total` units: `both` units have both,
// `first` have the first, `second` the second.
struct Contingency {
  int64_t both = 0;
  int64_t first = 0;
  int64_t second = 0;
  int64_t total = 0;
};

// first * second / total: the units expected to have both if the two were
// independent (0 for an empty table).
double ExpectedCount(const Contingency& t);

// Normalized pointwise mutual information log(p(ab) / p(a)p(b)) / -log p(ab):
// -1 when they never occur together, 0 when independent, 1 when each occurs
// only with the other. 0 for an empty table.
double NormalizedPmi(const Contingency& t);

// Dunning's log-likelihood ratio G² = 2 Σ observed ln(observed / expected)
// over the four cells of the table (0 for an empty or degenerate table).
double LogLikelihoodRatio(const Contingency& t);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_ANALYTICS_ASSOCIATION_H_
