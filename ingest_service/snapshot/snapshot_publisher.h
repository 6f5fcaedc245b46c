#ifndef BIOCORPUS_INGEST_SERVICE_SNAPSHOT_SNAPSHOT_PUBLISHER_H_
#define BIOCORPUS_INGEST_SERVICE_SNAPSHOT_SNAPSHOT_PUBLISHER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/concurrency/periodic_thread.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/backup_engine.h"

namespace biocorpus {

struct SnapshotPublisherOptions {
  // The shared directory snapshots are published to (a RocksDB backup
  // directory); created when missing.
  std::string snapshot_dir;
  // Snapshots kept; older ones are purged after each publish. Query replicas
  // restore the newest, so more than one gives a restore in progress time to
  // finish before its snapshot is purged.
  int keep = 4;
};

// One published snapshot.
struct SnapshotInfo {
  uint32_t id = 0;
  // Every write up to this sequence number (a commit token) is in it.
  uint64_t sequence = 0;
  // Bytes of the files it is made of (shared with other snapshots).
  uint64_t size_bytes = 0;
  // False when nothing had been written since the previous snapshot, which
  // is returned instead of a new one.
  bool created = false;
};

// Publishes consistent snapshots of the live database with RocksDB's
// BackupEngine: incremental (SST files are shared between snapshots), each a
// point-in-time view, written to a temporary name and made visible atomically
// so that readers never see half a snapshot. Thread-safe.
class SnapshotPublisher {
 public:
  // `db` must outlive the publisher.
  static absl::StatusOr<std::unique_ptr<SnapshotPublisher>> Open(
      const SnapshotPublisherOptions& options, rocksdb::DB* db);

  // Stops the background thread (see Start).
  ~SnapshotPublisher();

  // Publishes a snapshot now, unless nothing was written since the last one.
  absl::StatusOr<SnapshotInfo> Publish();

  // Publishes in the background every `interval` and soon after Nudge(),
  // whenever something was written since the last snapshot. Call once.
  void Start(std::chrono::milliseconds interval);

  // Asks the background thread to publish now (after a bulk load); nothing
  // before Start().
  void Nudge();

 private:
  SnapshotPublisher() = default;

  SnapshotPublisherOptions options_;
  rocksdb::DB* db_ = nullptr;
  // Serializes publishes.
  std::mutex publish_mu_;
  std::unique_ptr<rocksdb::BackupEngine> engine_;
  SnapshotInfo last_;

  std::unique_ptr<PeriodicThread> thread_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_SNAPSHOT_SNAPSHOT_PUBLISHER_H_
