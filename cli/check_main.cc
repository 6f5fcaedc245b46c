// biocorpus-check: the consistency check of a database (corpus/check), on
// a data directory or on a published snapshot. It never writes to either.
//
//   biocorpus-check --data_dir=DIR
//   biocorpus-check --snapshot_dir=DIR [--snapshot_id=N]
//
// Exit status: 0 consistent, 1 inconsistent, 2 the database could not be
// read.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "corpus/check/consistency_check.h"
#include "corpus/storage/corpus_db.h"
#include "rocksdb/utilities/backup_engine.h"

ABSL_FLAG(std::string, data_dir, "", "The database directory to check (opened read-only).");
ABSL_FLAG(std::string, snapshot_dir, "",
          "A snapshot directory the ingest service publishes to: the snapshot is restored "
          "into a temporary directory and checked there.");
ABSL_FLAG(uint32_t, snapshot_id, 0, "With --snapshot_dir: the snapshot to check (0: the newest).");
ABSL_FLAG(uint32_t, limit, 100, "The most problems to list.");

namespace biocorpus {
namespace {

constexpr int kInconsistent = 1;
constexpr int kUnreadable = 2;

int Fail(const std::string& message) {
  std::cerr << "biocorpus-check: " << message << "\n";
  return kUnreadable;
}

int CheckDirectory(const std::string& dir) {
  CorpusDbOptions options;
  options.path = dir;
  options.mode = CorpusDbOptions::Mode::kReadOnly;
  options.write_info_log = false;
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
  if (!db.ok()) return Fail(db.status().ToString());
  absl::StatusOr<ConsistencyReport> report = CheckConsistency(**db, absl::GetFlag(FLAGS_limit));
  if (!report.ok()) return Fail(report.status().ToString());
  std::cout << FormatConsistencyReport(*report);
  return report->ok() ? 0 : kInconsistent;
}

// Restores the snapshot into a temporary directory, checks it there and
// removes it.
int CheckSnapshot(const std::string& snapshot_dir, uint32_t snapshot_id) {
  rocksdb::BackupEngineReadOnly* opened = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngineReadOnly::Open(
      rocksdb::BackupEngineOptions(snapshot_dir), rocksdb::Env::Default(), &opened);
  if (!status.ok()) return Fail(absl::StrCat("opening ", snapshot_dir, ": ", status.ToString()));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(opened);
  if (snapshot_id == 0) {
    rocksdb::BackupInfo latest;
    if (!engine->GetLatestBackupInfo(&latest).ok()) {
      return Fail(absl::StrCat("no snapshot in ", snapshot_dir));
    }
    snapshot_id = latest.backup_id;
  }
  std::error_code error;
  std::string pattern =
      (std::filesystem::temp_directory_path(error) / "biocorpus-check-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Fail("cannot create a temporary directory");
  const std::string target = pattern;
  status = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), snapshot_id, target, target);
  int result = 0;
  if (!status.ok()) {
    result = Fail(absl::StrCat("restoring snapshot ", snapshot_id, ": ", status.ToString()));
  } else {
    std::cout << "snapshot " << snapshot_id << " of " << snapshot_dir << "\n";
    result = CheckDirectory(target);
  }
  std::filesystem::remove_all(target, error);
  return result;
}

}  // namespace
}  // namespace biocorpus

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Checks that a biocorpus database is consistent: every index entry points to a stored "
      "passage, every passage has its entries, every counter equals a recount.\n"
      "  biocorpus-check --data_dir=DIR\n"
      "  biocorpus-check --snapshot_dir=DIR [--snapshot_id=N]");
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string snapshot_dir = absl::GetFlag(FLAGS_snapshot_dir);
  if (data_dir.empty() == snapshot_dir.empty()) {
    return biocorpus::Fail("give one of --data_dir and --snapshot_dir");
  }
  if (!data_dir.empty()) return biocorpus::CheckDirectory(data_dir);
  return biocorpus::CheckSnapshot(snapshot_dir, absl::GetFlag(FLAGS_snapshot_id));
}
