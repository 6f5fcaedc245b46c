#ifndef BIOCORPUS_QUERY_SERVICE_SNAPSHOT_SNAPSHOT_FOLLOWER_H_
#define BIOCORPUS_QUERY_SERVICE_SNAPSHOT_SNAPSHOT_FOLLOWER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/concurrency/periodic_thread.h"
#include "query_service/store/replica.h"

namespace biocorpus {

struct SnapshotFollowerOptions {
  // The shared directory the ingest service publishes snapshots to.
  std::string snapshot_dir;
  // A local directory of this process's own: each snapshot is restored into
  // a subdirectory named after its id, removed once no request uses it.
  std::string restore_dir;
  // How often to look for a newer snapshot.
  int poll_interval_ms = 5000;
};

// Follows published snapshots: restores the newest one to local disk, opens
// it read-only and hands the replica to `install`, which swaps it in.
// Requests already holding the previous replica finish on it; its files are
// removed when the last of them lets go. A snapshot that does not restore or
// open (a file truncated, corrupted or missing) replaces nothing: the one
// installed stays, the failure is logged and counted, and that snapshot is
// not tried again; the next one published is. Thread-safe.
class SnapshotFollower {
 public:
  using Install = std::function<void(std::shared_ptr<Replica> replica,
                                     uint32_t snapshot_id)>;

  // Clears what an earlier process left in `options.restore_dir`.
  static absl::StatusOr<std::unique_ptr<SnapshotFollower>> Create(
      const SnapshotFollowerOptions& options, Install install);

  // Stops the polling thread.
  ~SnapshotFollower();

  // Installs the newest snapshot if it is newer than the one installed.
  // Returns the installed snapshot's id (0 while there is none).
  absl::StatusOr<uint32_t> Poll();

  // Polls every poll_interval_ms in the background until destruction.
  void Start();

  // The installed snapshot's id, 0 while there is none.
  uint32_t installed() const;

  // Snapshots that could not be installed so far.
  uint64_t failures() const;

  // Appends the installed snapshot's id and age (seconds since the ingest
  // service published it; -1 while there is none), and the failures.
  void AppendMetrics(std::string* out) const;

 private:
  SnapshotFollower() = default;

  SnapshotFollowerOptions options_;
  Install install_;
  std::mutex poll_mu_;  // serializes polls
  mutable std::mutex mu_;
  uint32_t installed_ = 0;
  int64_t installed_timestamp_ = 0;  // seconds since the epoch
  uint64_t failures_ = 0;
  // The newest snapshot that could not be installed; read and written by
  // Poll only (under poll_mu_).
  uint32_t last_failed_ = 0;
  std::unique_ptr<PeriodicThread> thread_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SNAPSHOT_SNAPSHOT_FOLLOWER_H_
