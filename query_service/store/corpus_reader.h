#ifndef BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_
#define BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "biocorpus/v1/resources.pb.h"
#include "corpus/storage/records.h"
#include "corpus/vocabulary/vocabulary.h"
#include "rocksdb/db.h"

namespace biocorpus {

struct CorpusReaderOptions {
  // The primary's data directory, or with `read_only` a database of the
  // reader's own (a restored snapshot).
  std::string data_dir;
  // Opens `data_dir` read-only as it is, without following a primary
  // (snapshot mode); `secondary_dir` and `catch_up_interval_ms` are unused.
  bool read_only = false;
  // A directory of this reader's own for the secondary instance's info log
  // and metadata; created when missing. Never shared between processes.
  std::string secondary_dir;
  // How often the reader catches up with the primary.
  int catch_up_interval_ms = 100;
};

// Which documents ListDocuments returns; unset fields match everything.
struct DocumentFilter {
  v1::DocumentFormat format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
  int year_min = 0;
  int year_max = 0;
  // Compared with each author's family name after NormalizeForMatching.
  std::string author;
};

// Which passages SearchPassages returns.
struct PassageSearch {
  // Concept groups: a passage satisfies a group when it carries any concept
  // of it. With match_all it must satisfy every group, else any group.
  std::vector<std::vector<std::string>> groups;
  bool match_all = false;
  v1::PassageType type = v1::PASSAGE_TYPE_UNSPECIFIED;
  DocumentFilter documents;
  // Tag entries to examine before returning a short page (with a token).
  int max_examined = 20000;
};

// Passage and document counts of one concept.
struct TagCounts {
  int64_t passages = 0;
  int64_t documents = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;
  // Where the next page starts (the last key returned), or empty at the end.
  std::string next_after;
};

// A read-only view of the database: either a RocksDB secondary instance that
// follows the primary (a background thread calls TryCatchUpWithPrimary every
// catch_up_interval_ms), or a fixed database opened read-only (a restored
// snapshot). Thread-safe.
class CorpusReader {
 public:
  // Opens `options.data_dir` as a secondary (or read-only). Unavailable when
  // the primary has not created the database yet.
  static absl::StatusOr<std::unique_ptr<CorpusReader>> Open(
      const CorpusReaderOptions& options);

  // Stops the catch-up thread and closes the database.
  ~CorpusReader();

  // Catches up with the primary now (nothing to do when read-only).
  absl::Status CatchUp();

  // NotFound when the document is not stored.
  absl::StatusOr<v1::Document> GetDocument(absl::string_view doc_id) const;

  // Documents in id order after `after_id` ("" for the start).
  absl::StatusOr<Page<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                   int page_size,
                                                   absl::string_view after_id) const;

  // Passages of a document in ordinal order, after `after_ordinal` (-1 for
  // the start). NotFound when the document is not stored.
  absl::StatusOr<Page<v1::Passage>> ListPassages(absl::string_view doc_id,
                                                 int page_size,
                                                 int64_t after_ordinal) const;

  // Number of stored documents, from the meta counters.
  absl::StatusOr<uint64_t> DocumentCount() const;

  // Passages matching `search` in (document id, ordinal) order, after the
  // position `after` (a next_after of a previous page; "" for the start).
  absl::StatusOr<Page<v1::Passage>> SearchPassages(const PassageSearch& search,
                                                   int page_size,
                                                   absl::string_view after) const;

  // Passages cited by citation_index entries under any of `prefixes` (exact
  // CitationPrefix keys of the cited DOI or URLs), in (document id, ordinal)
  // order, after `after`.
  absl::StatusOr<Page<v1::Passage>> ListCitingPassages(
      const std::vector<std::string>& prefixes, int page_size,
      absl::string_view after) const;

  // Ids of documents whose own record has a citation_index key under
  // `prefix` (a CitationPrefix, exact or not), in key order, at most `limit`.
  absl::StatusOr<std::vector<std::string>> OwnRecords(const std::string& prefix,
                                                      bool exact, int limit) const;

  // Appends the corpus and RocksDB gauges, and for a secondary the seconds
  // since its last successful catch-up with the primary (its lag bound).
  void AppendMetrics(std::string* out) const;

  // The last write sequence number this reader has caught up to.
  uint64_t Sequence() const;

  // Catches up until the reader holds `sequence` (read-your-writes), or
  // returns Unavailable at `deadline` (at once when read-only: a snapshot
  // never moves; a newer one comes with another reader).
  absl::Status WaitForSequence(uint64_t sequence,
                               std::chrono::steady_clock::time_point deadline);

  // Counts of every concept some passage or document carries.
  absl::StatusOr<std::map<std::string, TagCounts>> ListTagCounts() const;

  // The vocabulary the corpus is tagged with (recorded by the ingest
  // service), or FailedPrecondition before one is recorded. Reloaded when a
  // catch-up brings a new version.
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary() const;

 private:
  CorpusReader() = default;
  void CatchUpLoop();
  // Loads the recorded vocabulary if its version differs from the one held.
  void RefreshVocabulary();
  // Visits, in ascending order and once each, what follows each of
  // `prefixes` in the keys of `family` (a position: doc id and big-endian
  // ordinal), starting after `after`, until `visit` returns false.
  absl::Status ForEachPosition(rocksdb::ColumnFamilyHandle* family,
                               const std::vector<std::string>& prefixes,
                               absl::string_view after,
                               const std::function<bool(const std::string&)>& visit) const;
  // Whether the tag_index holds `concept_id` on the passage at `position`
  // (doc id and big-endian ordinal).
  bool HasTag(const std::string& concept_id, absl::string_view position) const;

  CorpusReaderOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  ColumnFamilies families_;
  // Serializes catch-ups (the timer's and read-your-writes waits).
  std::mutex catch_up_mu_;
  // When the last catch-up succeeded (nanoseconds of steady_clock).
  std::atomic<int64_t> caught_up_at_{0};

  mutable std::mutex vocabulary_mu_;
  std::shared_ptr<const Vocabulary> vocabulary_;

  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread catch_up_thread_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_
