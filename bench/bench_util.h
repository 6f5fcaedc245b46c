#ifndef BIOCORPUS_BENCH_BENCH_UTIL_H_
#define BIOCORPUS_BENCH_BENCH_UTIL_H_

// What the benchmark driver's commands share.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "ingest_service/tagging/concept_tagger.h"

namespace biocorpus::bench {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since);
// Prints "biocorpus-bench: <message>"; returns 1.
int Fail(const std::string& message);
std::string ReadFile(const std::filesystem::path& path);
// Every regular file under `dir`, sorted.
std::vector<std::filesystem::path> Files(const std::string& dir);
// The p-th percentile (0-100) of `values`.
double Percentile(std::vector<double> values, double p);
// The tagger of the built-in vocabulary; null when it does not build.
std::unique_ptr<ConceptTagger> MakeTagger();

// Prepares every content (IngestPipeline::Prepare, the stages before the
// write) on `threads` threads, as a stream of the service does.
absl::StatusOr<std::vector<PreparedInput>> PrepareAll(const IngestPipeline& pipeline,
                                                      const std::vector<std::string>& contents,
                                                      int threads);

}  // namespace biocorpus::bench

#endif  // BIOCORPUS_BENCH_BENCH_UTIL_H_
