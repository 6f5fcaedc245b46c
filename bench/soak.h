#ifndef BIOCORPUS_BENCH_SOAK_H_
#define BIOCORPUS_BENCH_SOAK_H_

#include <string>

namespace biocorpus::bench {

// The soak load of scripts/soak.sh. Seeds the ingest service at `ingest`
// with part of the corpus in `corpus_dir`, measures the highest rate of a
// mix of every query method over `queries` (comma-separated targets: the
// secondary and the snapshot replicas), then for `seconds` drives that mix
// at half the rate while ingest streams, updates, deletes and snapshot
// publications run. Every `report_seconds` it prints the interval's calls,
// failures and p99, and the RSS and open files of each process of `pids`
// ("name=pid,..."). Ends with a table by method and code, and returns 1 when
// a call failed or memory or descriptors did not level off.
int Soak(const std::string& ingest, const std::string& queries, const std::string& corpus_dir,
         int seconds, int report_seconds, const std::string& pids);

}  // namespace biocorpus::bench

#endif  // BIOCORPUS_BENCH_SOAK_H_
