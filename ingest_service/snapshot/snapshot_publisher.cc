#include "ingest_service/snapshot/snapshot_publisher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/storage/rocks_status.h"
#include "corpus/storage/snapshots.h"
#include "spdlog/spdlog.h"

namespace biocorpus {

absl::StatusOr<std::unique_ptr<SnapshotPublisher>> SnapshotPublisher::Open(
    const SnapshotPublisherOptions& options, rocksdb::DB* db) {
  if (options.snapshot_dir.empty()) {
    return absl::InvalidArgumentError("the snapshot directory is empty");
  }
  if (options.keep < 1) {
    return absl::InvalidArgumentError("snapshots kept must be at least 1");
  }
  rocksdb::BackupEngineOptions engine_options(options.snapshot_dir);
  // Snapshots hold flushed SST files only: writes are durable in the
  // primary's WAL, and a snapshot is a point-in-time view.
  engine_options.backup_log_files = false;
  engine_options.share_table_files = true;
  engine_options.max_background_operations = 1;
  rocksdb::BackupEngine* engine = nullptr;
  rocksdb::IOStatus status =
      rocksdb::BackupEngine::Open(engine_options, rocksdb::Env::Default(), &engine);
  if (!status.ok()) {
    return FromRocksStatus(status, absl::StrCat("open snapshot directory ", options.snapshot_dir));
  }
  auto publisher = std::unique_ptr<SnapshotPublisher>(new SnapshotPublisher());
  publisher->options_ = options;
  publisher->db_ = db;
  publisher->engine_.reset(engine);
  rocksdb::BackupInfo latest;
  if (engine->GetLatestBackupInfo(&latest).ok()) {
    publisher->last_.id = latest.backup_id;
    publisher->last_.sequence = SnapshotSequence(latest.app_metadata);
    publisher->last_.size_bytes = latest.size;
  }
  return publisher;
}

SnapshotPublisher::~SnapshotPublisher() { thread_.reset(); }

absl::StatusOr<SnapshotInfo> SnapshotPublisher::Publish() {
  std::lock_guard<std::mutex> lock(publish_mu_);
  // Every write acknowledged so far is at or below this sequence, and the
  // backup (flushed first) holds all of them.
  const uint64_t sequence = db_->GetLatestSequenceNumber();
  if (last_.id != 0 && sequence == last_.sequence) {
    SnapshotInfo unchanged = last_;
    unchanged.created = false;
    return unchanged;
  }
  rocksdb::CreateBackupOptions backup_options;
  backup_options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  const auto started = std::chrono::steady_clock::now();
  rocksdb::IOStatus status = engine_->CreateNewBackupWithMetadata(
      backup_options, db_, SnapshotMetadata(sequence), &id);
  if (!status.ok()) return FromRocksStatus(status, "publish snapshot");
  rocksdb::BackupInfo info;
  if (rocksdb::Status found = engine_->GetBackupInfo(id, &info); !found.ok()) {
    return FromRocksStatus(found, "read the new snapshot");
  }
  if (rocksdb::IOStatus purged =
          engine_->PurgeOldBackups(static_cast<uint32_t>(options_.keep));
      !purged.ok()) {
    spdlog::warn("purging old snapshots: {}", purged.ToString());
  }
  last_.id = id;
  last_.sequence = sequence;
  last_.size_bytes = info.size;
  last_.created = true;
  spdlog::info(
      "published snapshot {} (sequence {}, {} bytes, {} files) to {} in {} ms", id,
      sequence, info.size, info.number_files, options_.snapshot_dir,
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started)
          .count());
  return last_;
}

void SnapshotPublisher::Start(std::chrono::milliseconds interval) {
  thread_ = std::make_unique<PeriodicThread>(interval, [this] {
    absl::StatusOr<SnapshotInfo> published = Publish();
    if (!published.ok()) {
      spdlog::error("snapshot not published: {}", published.status().ToString());
    }
  });
}

void SnapshotPublisher::Nudge() {
  if (thread_ != nullptr) thread_->Wake();
}

}  // namespace biocorpus
