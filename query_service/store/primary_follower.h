#ifndef BIOCORPUS_QUERY_SERVICE_STORE_PRIMARY_FOLLOWER_H_
#define BIOCORPUS_QUERY_SERVICE_STORE_PRIMARY_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "corpus/concurrency/periodic_thread.h"
#include "corpus/storage/corpus_db.h"

namespace biocorpus {

// Keeps a secondary CorpusDb up with its primary: catches up every
// `interval` on a thread of its own, and on demand (read-your-writes), and
// calls `caught_up` after each successful catch-up. Thread-safe; `db` must
// outlive it.
class PrimaryFollower {
 public:
  PrimaryFollower(CorpusDb* db, std::chrono::milliseconds interval,
                  std::function<void()> caught_up);
  // Stops the catch-up thread.
  ~PrimaryFollower();

  // Catches up now.
  absl::Status CatchUp();

  // Catches up until the database holds `sequence`, or returns Unavailable
  // at `deadline`.
  absl::Status WaitForSequence(uint64_t sequence, std::chrono::steady_clock::time_point deadline);

  // Appends the seconds since the last successful catch-up (the replica's
  // lag bound).
  void AppendMetrics(std::string* out) const;

 private:
  CorpusDb* db_;
  std::function<void()> caught_up_;
  // Serializes catch-ups (the timer's and read-your-writes waits).
  std::mutex mu_;
  // When the last catch-up succeeded (nanoseconds of steady_clock); opening
  // the secondary counts as the first.
  std::atomic<int64_t> caught_up_at_;
  std::unique_ptr<PeriodicThread> thread_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_STORE_PRIMARY_FOLLOWER_H_
