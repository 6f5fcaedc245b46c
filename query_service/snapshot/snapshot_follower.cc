#include "query_service/snapshot/snapshot_follower.h"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "corpus/rpc/prometheus_text.h"
#include "corpus/storage/rocks_status.h"
#include "corpus/storage/snapshots.h"
#include "rocksdb/utilities/backup_engine.h"
#include "spdlog/spdlog.h"

namespace biocorpus {

absl::StatusOr<std::unique_ptr<SnapshotFollower>> SnapshotFollower::Create(
    const SnapshotFollowerOptions& options, Install install) {
  if (options.snapshot_dir.empty() || options.restore_dir.empty()) {
    return absl::InvalidArgumentError("snapshot mode needs a snapshot and a restore directory");
  }
  if (options.poll_interval_ms <= 0) {
    return absl::InvalidArgumentError("the snapshot poll interval must be positive");
  }
  std::error_code error;
  std::filesystem::create_directories(options.restore_dir, error);
  if (!error) {
    for (const auto& entry : std::filesystem::directory_iterator(options.restore_dir, error)) {
      std::filesystem::remove_all(entry.path(), error);
      if (error) break;
    }
  }
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot prepare ", options.restore_dir, ": ", error.message()));
  }
  auto follower = std::unique_ptr<SnapshotFollower>(new SnapshotFollower());
  follower->options_ = options;
  follower->install_ = std::move(install);
  return follower;
}

SnapshotFollower::~SnapshotFollower() { thread_.reset(); }

uint32_t SnapshotFollower::installed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return installed_;
}

uint64_t SnapshotFollower::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

void SnapshotFollower::AppendMetrics(std::string* out) const {
  uint32_t id = 0;
  int64_t timestamp = 0;
  uint64_t failures = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = installed_;
    timestamp = installed_timestamp_;
    failures = failures_;
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  AppendGauge("biocorpus_query_snapshot_id", "Id of the snapshot served (0: none yet).", id, out);
  AppendGauge("biocorpus_query_snapshot_age_seconds",
              "Seconds since the served snapshot was published (-1: none yet).",
              id == 0 ? -1.0 : static_cast<double>(now - timestamp), out);
  AppendCounter("biocorpus_query_snapshot_failures_total",
                "Published snapshots that could not be restored or opened (each kept out).",
                static_cast<double>(failures), out);
}

absl::StatusOr<uint32_t> SnapshotFollower::Poll() {
  std::lock_guard<std::mutex> poll_lock(poll_mu_);
  const uint32_t current = installed();
  if (!std::filesystem::exists(std::filesystem::path(options_.snapshot_dir) / "meta")) {
    return absl::UnavailableError(
        absl::StrCat("no snapshot published in ", options_.snapshot_dir, " yet"));
  }
  // A read-only engine sees the snapshots complete when it opens, so a new
  // one is opened for each poll.
  rocksdb::BackupEngineOptions engine_options(options_.snapshot_dir);
  engine_options.max_background_operations = 1;
  rocksdb::BackupEngineReadOnly* opened = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngineReadOnly::Open(
      engine_options, rocksdb::Env::Default(), &opened);
  if (!status.ok()) {
    return FromRocksStatus(status, absl::StrCat("open snapshot directory ", options_.snapshot_dir));
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(opened);
  // A snapshot that cannot be served is kept out: logged, counted, and not
  // tried again.
  auto refuse = [&](uint32_t id, const absl::Status& why) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++failures_;
      last_failed_ = std::max(last_failed_, id);
    }
    spdlog::error("snapshot {} cannot be served ({}); still serving {}", id, why.ToString(),
                  current == 0 ? std::string("none") : std::to_string(current));
    return why;
  };
  // Snapshots whose files do not match their metadata (one missing, or the
  // metadata cut short) are not offered as the latest: each newer one is a
  // failure all the same.
  // (last_failed_ changes only in Poll, which poll_mu_ serializes.)
  std::vector<rocksdb::BackupID> corrupt;
  engine->GetCorruptedBackups(&corrupt);
  std::sort(corrupt.begin(), corrupt.end());
  for (rocksdb::BackupID id : corrupt) {
    if (id > current && id > last_failed_) {
      refuse(id, absl::DataLossError(absl::StrCat(
                     "snapshot ", id, " is incomplete: its files do not match its metadata")))
          .IgnoreError();
    }
  }
  rocksdb::BackupInfo latest;
  if (rocksdb::Status found = engine->GetLatestBackupInfo(&latest); !found.ok()) {
    return absl::UnavailableError(
        absl::StrCat("no snapshot published in ", options_.snapshot_dir, " yet"));
  }
  if (latest.backup_id <= current) return current;
  if (latest.backup_id <= last_failed_) return current;  // Tried; wait for the next one.

  const auto started = std::chrono::steady_clock::now();
  const std::string target =
      (std::filesystem::path(options_.restore_dir) / std::to_string(latest.backup_id)).string();
  std::error_code ignored;
  std::filesystem::remove_all(target, ignored);
  status = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), latest.backup_id, target,
                                       target);
  if (!status.ok()) {
    std::filesystem::remove_all(target, ignored);
    return refuse(latest.backup_id,
                  FromRocksStatus(status, absl::StrCat("restore snapshot ", latest.backup_id)));
  }
  ReplicaOptions replica_options;
  replica_options.data_dir = target;
  replica_options.read_only = true;
  absl::StatusOr<std::unique_ptr<Replica>> reader = Replica::Open(replica_options);
  if (!reader.ok()) {
    std::filesystem::remove_all(target, ignored);
    return refuse(latest.backup_id, reader.status());
  }
  const uint64_t sequence = (*reader)->Sequence();
  install_(ShareRemovingDirectory(std::move(*reader), target), latest.backup_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    installed_ = latest.backup_id;
    installed_timestamp_ = latest.timestamp;
  }
  spdlog::info("serving snapshot {} (commit {}, recorded {}, {} bytes) restored in {} ms",
               latest.backup_id, sequence, SnapshotSequence(latest.app_metadata), latest.size,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
  return latest.backup_id;
}

void SnapshotFollower::Start() {
  thread_ = std::make_unique<PeriodicThread>(
      std::chrono::milliseconds(options_.poll_interval_ms),
      [this, warned = false]() mutable {
        absl::StatusOr<uint32_t> polled = Poll();
        if (!polled.ok() && !warned) spdlog::warn("{}; will retry", polled.status().ToString());
        warned = !polled.ok();
      },
      PeriodicThread::FirstTick::kAtOnce);
}

}  // namespace biocorpus
