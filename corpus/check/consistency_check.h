#ifndef BIOCORPUS_CORPUS_CHECK_CONSISTENCY_CHECK_H_
#define BIOCORPUS_CORPUS_CHECK_CONSISTENCY_CHECK_H_

// The consistency check of a database: every index entry points to a stored
// document and passage, every stored document and passage has each entry it
// should, and every counter equals a recount (schema.h gives the layout).
// It reads only, so that it can run on a live database opened read-only, on
// a database a crash left behind, and on a restored snapshot.
//
// Each index family is read once, in key order; what it holds is summed per
// document (a count and a sum of hashes of the entries) and compared with the
// same sums of the entries the document's stored record implies, so that the
// check needs memory by document, not by entry.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/storage/corpus_db.h"

namespace biocorpus {

struct ConsistencyReport {
  // What was read.
  uint64_t documents = 0;
  uint64_t passages = 0;
  uint64_t tag_entries = 0;
  uint64_t citation_entries = 0;
  uint64_t text_postings = 0;
  uint64_t analytics_counters = 0;
  uint64_t meta_counters = 0;
  // One line per inconsistency ("tag_index: ..."), at most the limit asked.
  std::vector<std::string> problems;
  // More problems were found than `problems` holds.
  bool truncated = false;
  // What could not be checked, and why ("the text index is being built:
  // ..."); not problems.
  std::vector<std::string> notes;

  bool ok() const { return problems.empty(); }
};

// Checks `db`. An error status only when the database cannot be read at
// all; every inconsistency found is a line of the report.
absl::StatusOr<ConsistencyReport> CheckConsistency(const CorpusDb& db, size_t limit = 100);

// The database at `dir` opened for a check: read-only, writing nothing
// there (not even RocksDB's info log).
absl::StatusOr<std::unique_ptr<CorpusDb>> OpenForCheck(const std::string& dir);

// Checks snapshot `snapshot_id` (0: the newest) of the snapshot directory
// `snapshot_dir`: restores it into a temporary directory, checks it there and
// removes it. Sets `*checked` to the snapshot's id.
absl::StatusOr<ConsistencyReport> CheckSnapshot(const std::string& snapshot_dir,
                                                uint32_t snapshot_id, size_t limit,
                                                uint32_t* checked);

// The report as text: the problems and notes, one per line, then a summary
// line of what was read.
std::string FormatConsistencyReport(const ConsistencyReport& report);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_CHECK_CONSISTENCY_CHECK_H_
