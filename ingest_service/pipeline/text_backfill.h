#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_TEXT_BACKFILL_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_TEXT_BACKFILL_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// Indexes the text of a database written before the text index, in the
// background and resumably: documents in id order, a chunk per batch, the
// position recorded with each chunk, so that a restart goes on from there.
// Documents written meanwhile index themselves. Logs its progress; when every
// document is indexed it records so (and query replicas stop saying that
// totals are bounds). Thread-safe; `writer` must outlive it.
class TextBackfill {
 public:
  explicit TextBackfill(DocumentWriter* writer) : writer_(writer) {}
  // Stops the background run and waits for it.
  ~TextBackfill();

  TextBackfill(const TextBackfill&) = delete;
  TextBackfill& operator=(const TextBackfill&) = delete;

  // Indexes what is missing now, stopping early (resumable) when `stop`
  // becomes true. A database with no documents is complete at once.
  absl::Status Run(const std::atomic<bool>* stop = nullptr);

  // Run() on a thread of its own when the index is incomplete.
  void StartInBackground();

  // Documents indexed by this process so far, and whether the index is
  // complete (for metrics).
  int64_t indexed() const { return indexed_.load(); }
  bool complete() const { return complete_.load(); }

 private:
  DocumentWriter* writer_;
  std::atomic<int64_t> indexed_{0};
  std::atomic<bool> complete_{false};
  std::atomic<bool> stop_{false};
  std::thread background_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_TEXT_BACKFILL_H_
