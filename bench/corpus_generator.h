#ifndef BIOCORPUS_BENCH_CORPUS_GENERATOR_H_
#define BIOCORPUS_BENCH_CORPUS_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace biocorpus::bench {

// One generated document: where it goes and its bytes.
struct GeneratedDocument {
  std::string relative_path;  // format folder / file name
  std::string content;
  std::string doi;            // empty for documents without one
  std::string url;            // the document's own URL, when it has one
};

// Generates `count` documents in the three input formats by varying the
// project's samples: sentences drawn from the samples' prose (so concept
// density follows theirs), article lengths from 2 to 24 paragraphs, a
// skewed number of links per article (most have a few, some dozens), DOIs
// and URLs that cite earlier documents. 45% citation records, 35% mirrored
// articles (HTML bodies), 20% plain abstracts. Deterministic for a seed.
class CorpusGenerator {
 public:
  // Reads the prose of the sample documents under `samples_dir`.
  static absl::Status Create(const std::string& samples_dir, uint64_t seed,
                             CorpusGenerator* out);

  GeneratedDocument Next();

 private:
  std::string Sentence();
  std::string Paragraphs(int count, int links);
  std::string Person();
  uint64_t Random();
  int Uniform(int low, int high);  // inclusive

  std::vector<std::string> sentences_;
  uint64_t state_ = 0;
  int64_t index_ = 0;
  std::vector<std::string> dois_;  // of documents generated so far
  std::vector<std::string> urls_;
};

}  // namespace biocorpus::bench

#endif  // BIOCORPUS_BENCH_CORPUS_GENERATOR_H_
