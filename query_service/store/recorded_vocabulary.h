#ifndef BIOCORPUS_QUERY_SERVICE_STORE_RECORDED_VOCABULARY_H_
#define BIOCORPUS_QUERY_SERVICE_STORE_RECORDED_VOCABULARY_H_

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/vocabulary/vocabulary.h"

namespace biocorpus {

// The vocabulary the corpus is tagged with, as the ingest service recorded
// it in the database's meta column family. Thread-safe.
class RecordedVocabulary {
 public:
  // Loads the recorded vocabulary if its version differs from the one held;
  // keeps the one held when the recorded one is missing or does not parse
  // (logged).
  void Refresh(const CorpusDb& db);

  // The vocabulary held, or FailedPrecondition before one is recorded.
  absl::StatusOr<std::shared_ptr<const Vocabulary>> Get() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Vocabulary> vocabulary_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_STORE_RECORDED_VOCABULARY_H_
