#ifndef BIOCORPUS_TESTS_SUPPORT_CORPUS_FIXTURES_H_
#define BIOCORPUS_TESTS_SUPPORT_CORPUS_FIXTURES_H_

// A writer and a replica over a test's own database, for the tests of the
// cores.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ingest_service/writer/document_writer.h"
#include "query_service/store/replica.h"

namespace biocorpus::testing {

// The writer of a new database at `path` (writes not fsync'ed); null, with
// a test failure, when it does not open.
inline std::unique_ptr<DocumentWriter> OpenTestWriter(const std::string& path) {
  DocumentWriterOptions options;
  options.data_dir = path;
  options.sync_writes = false;
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

// A secondary replica of the database at `path`, which catches up only when
// the test asks (Replica::CatchUp); null, with a test failure, when it does
// not open.
inline std::unique_ptr<Replica> OpenTestReplica(const std::string& path,
                                                const std::string& secondary_path) {
  ReplicaOptions options;
  options.data_dir = path;
  options.secondary_dir = secondary_path;
  options.catch_up_interval_ms = 60 * 60 * 1000;
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(options);
  EXPECT_TRUE(replica.ok()) << replica.status();
  return replica.ok() ? std::move(*replica) : nullptr;
}

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_SUPPORT_CORPUS_FIXTURES_H_
