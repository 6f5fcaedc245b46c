#ifndef BIOCORPUS_QUERY_SERVICE_STORE_REPLICA_H_
#define BIOCORPUS_QUERY_SERVICE_STORE_REPLICA_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/vocabulary/vocabulary.h"
#include "query_service/store/corpus_reader.h"
#include "query_service/store/primary_follower.h"
#include "query_service/store/recorded_vocabulary.h"

namespace biocorpus {

struct ReplicaOptions {
  // The primary's data directory, or with `read_only` a database of the
  // replica's own (a restored snapshot).
  std::string data_dir;
  // Opens `data_dir` read-only as it is, without following a primary
  // (snapshot mode); `secondary_dir` and `catch_up_interval_ms` are unused.
  bool read_only = false;
  // A directory of this replica's own for the secondary instance's info log
  // and metadata; created when missing. Never shared between processes.
  std::string secondary_dir;
  // How often the replica catches up with the primary.
  int catch_up_interval_ms = 100;
};

// What a query is answered from: an open database (a secondary following
// the primary, or a fixed snapshot), its queries (CorpusReader), and the
// vocabulary it is tagged with. Thread-safe.
class Replica {
 public:
  // Opens `options.data_dir`. Unavailable when the primary has not created
  // the database yet.
  static absl::StatusOr<std::unique_ptr<Replica>> Open(const ReplicaOptions& options);

  // Stops following the primary and closes the database.
  ~Replica();

  const CorpusReader& reader() const { return reader_; }

  // The vocabulary the corpus is tagged with, or FailedPrecondition before
  // one is recorded; reloaded when a catch-up brings a new version.
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary() const {
    return vocabulary_.Get();
  }

  // Catches up with the primary now (nothing to do when read-only).
  absl::Status CatchUp();

  // Waits until the replica holds `sequence` (read-your-writes), or returns
  // Unavailable at `deadline` (at once when read-only: a snapshot never
  // moves; a newer one comes with another replica).
  absl::Status WaitForSequence(uint64_t sequence, std::chrono::steady_clock::time_point deadline);

  // The last write sequence number the replica holds.
  uint64_t Sequence() const { return db_->Sequence(); }

  // Appends the corpus and RocksDB gauges, and for a secondary the seconds
  // since its last catch-up.
  void AppendMetrics(std::string* out) const;

 private:
  explicit Replica(std::unique_ptr<CorpusDb> db) : db_(std::move(db)), reader_(db_.get()) {}

  std::unique_ptr<CorpusDb> db_;
  CorpusReader reader_;
  RecordedVocabulary vocabulary_;
  std::unique_ptr<PrimaryFollower> follower_;  // Null when read-only.
};

// `replica` shared, with `dir` (its files) removed once the last holder
// lets go: a swapped-out snapshot or secondary goes when its last request
// ends.
std::shared_ptr<Replica> ShareRemovingDirectory(std::unique_ptr<Replica> replica,
                                                std::string dir);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_STORE_REPLICA_H_
