// biocorpus-check: the consistency check of a database (corpus/check), on
// a data directory or on a published snapshot. It never writes to either.
//
//   biocorpus-check --data_dir=DIR
//   biocorpus-check --snapshot_dir=DIR [--snapshot_id=N]
//
// Exit status: 0 consistent, 1 inconsistent, 2 the database could not be
// read.

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/check/consistency_check.h"
#include "corpus/storage/corpus_db.h"

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

// Prints the report; the exit status it means.
int Report(const absl::StatusOr<ConsistencyReport>& report) {
  if (!report.ok()) return Fail(report.status().ToString());
  std::cout << FormatConsistencyReport(*report);
  return report->ok() ? 0 : kInconsistent;
}

int CheckDirectory(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenForCheck(dir);
  if (!db.ok()) return Fail(db.status().ToString());
  return Report(CheckConsistency(**db, absl::GetFlag(FLAGS_limit)));
}

int CheckSnapshotOf(const std::string& snapshot_dir, uint32_t snapshot_id) {
  uint32_t checked = 0;
  absl::StatusOr<ConsistencyReport> report =
      CheckSnapshot(snapshot_dir, snapshot_id, absl::GetFlag(FLAGS_limit), &checked);
  if (report.ok()) std::cout << "snapshot " << checked << " of " << snapshot_dir << "\n";
  return Report(report);
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
  return biocorpus::CheckSnapshotOf(snapshot_dir, absl::GetFlag(FLAGS_snapshot_id));
}
