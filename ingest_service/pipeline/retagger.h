#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_RETAGGER_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_RETAGGER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// Re-tags stored documents with the tagger's vocabulary: each document whose
// vocabulary_version is another (every document when forced) gets new tags
// and annotations, rewritten with its tag_index entries and counters in one
// batch (DocumentWriter::Rewrite). Safe to run while documents are ingested.
// Thread-safe; `tagger` and `writer` must outlive it.
class Retagger {
 public:
  struct Result {
    // The vocabulary documents are now tagged with.
    std::string vocabulary_version;
    int64_t examined = 0;
    int64_t retagged = 0;
    // The last committed sequence when it finished (a commit token).
    uint64_t sequence = 0;
  };

  Retagger(const ConceptTagger* tagger, DocumentWriter* writer)
      : tagger_(tagger), writer_(writer) {}

  // Stops a background run (StartInBackground) and waits for it.
  ~Retagger();

  Retagger(const Retagger&) = delete;
  Retagger& operator=(const Retagger&) = delete;

  // Re-tags now, stopping early (with what it did so far) when `stop`
  // becomes true. Logs what it did.
  absl::StatusOr<Result> Run(bool force, const std::atomic<bool>* stop = nullptr) const;

  // Runs (not forced) on a thread of its own until done or destruction; a
  // restart picks up where a stop left off. Call at most once.
  void StartInBackground();

 private:
  const ConceptTagger* tagger_;
  DocumentWriter* writer_;
  std::atomic<bool> stop_{false};
  std::thread background_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_RETAGGER_H_
