#include "bench/bench_util.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <utility>

#include "corpus/vocabulary/vocabulary.h"
#include "ingest_service/tagging/concept_matcher.h"

namespace biocorpus::bench {


double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

int Fail(const std::string& message) {
  std::cerr << "biocorpus-bench: " << message << "\n";
  return 1;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::filesystem::path> Files(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(values.size())));
  return values[index];
}

std::unique_ptr<ConceptTagger> MakeTagger() {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  if (!vocabulary.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  if (!matcher.ok()) return nullptr;
  return std::make_unique<ConceptTagger>(std::move(*matcher));
}

// Prepares every file (the stages before the write, as the ingest service
// runs them: IngestPipeline::Prepare) on `threads` threads, as a stream of
// the service does; one entry per file.
absl::StatusOr<std::vector<PreparedInput>> PrepareAll(const IngestPipeline& pipeline,
                                                      const std::vector<std::string>& contents,
                                                      int threads) {
  std::vector<PreparedInput> prepared(contents.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < contents.size();) {
        DocumentInput input;
        input.content = contents[i];
        input.source_uri = "bench";
        prepared[i] = pipeline.Prepare(std::move(input), CallControl());
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const PreparedInput& file : prepared) {
    if (!file.documents.ok()) return file.documents.status();
  }
  return prepared;
}

}  // namespace biocorpus::bench
