#ifndef BIOCORPUS_CORPUS_STORAGE_CORPUS_DB_H_
#define BIOCORPUS_CORPUS_STORAGE_CORPUS_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"

namespace biocorpus {

// The column family handles of an open database, by role (schema.h).
struct ColumnFamilies {
  rocksdb::ColumnFamilyHandle* documents = nullptr;
  rocksdb::ColumnFamilyHandle* passages = nullptr;
  rocksdb::ColumnFamilyHandle* tags = nullptr;
  rocksdb::ColumnFamilyHandle* citations = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* text = nullptr;
  rocksdb::ColumnFamilyHandle* analytics = nullptr;
};

// The descriptors of every column family, in ColumnFamilyNames() order, with
// the options each needs (the merge operators of text_index and analytics): for DB::Open and its
// read-only and secondary variants, wherever the database is opened. Every
// family's tables carry a whole-key Bloom filter, so that a point read
// touches one data block whatever the number of levels, and read through
// `block_cache` (RocksDB's own small cache per family when null). tag_index
// and citation_index also filter by prefix (a concept id; a citation kind
// and normalized key), so that a scan of one prefix with
// ReadOptions::prefix_same_as_start seeks only the files holding it; any
// other iterator over them sets total_order_seek.
std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilyDescriptors(
    const std::shared_ptr<rocksdb::Cache>& block_cache = nullptr);

// The smallest key greater than every key starting with `prefix`, for
// ReadOptions::iterate_upper_bound; empty when there is none (all 0xff).
std::string PrefixSuccessor(absl::string_view prefix);

struct CorpusDbOptions {
  enum class Mode {
    // The one writer: creates the database and its column families when
    // missing, and records or checks the schema version.
    kPrimary,
    // A RocksDB secondary instance following the primary at `path`.
    kSecondary,
    // A fixed database (a restored snapshot), read-only.
    kReadOnly,
  };
  // The database directory.
  std::string path;
  Mode mode = Mode::kPrimary;
  // kSecondary: a directory of this process's own for the secondary's info
  // log and metadata; created when missing; never shared between processes.
  std::string secondary_path;
  // kReadOnly: false to write no info log (RocksDB's LOG file) into `path`,
  // so that opening the database changes nothing there.
  bool write_info_log = true;
  // Uncompressed blocks kept in memory, shared by every column family.
  size_t block_cache_bytes = 64 << 20;
};

// Owns one open database: opens it in the mode asked, holds the column
// family handles, reads the stored records, and closes it with a surfaced
// status. Thread-safe (as rocksdb::DB is) except for Close(), which no other
// call may overlap.
class CorpusDb {
 public:
  // Opens the database. Unavailable when a secondary or read-only open finds
  // no database yet; FailedPrecondition when it has another schema version.
  static absl::StatusOr<std::unique_ptr<CorpusDb>> Open(const CorpusDbOptions& options);

  // Closes the database if Close() was not called (its error is lost).
  ~CorpusDb();

  CorpusDb(const CorpusDb&) = delete;
  CorpusDb& operator=(const CorpusDb&) = delete;

  // Releases the handles and closes the database; errors surface here. Every
  // other call fails afterwards (FailedPrecondition).
  absl::Status Close();

  bool is_open() const { return db_ != nullptr; }
  const CorpusDbOptions& options() const { return options_; }
  // The open database and its families, for batches and iterators.
  rocksdb::DB* db() const { return db_.get(); }
  const ColumnFamilies& families() const { return families_; }

  // The stored document `doc_id`. NotFound naming documents/{id} when absent;
  // DataLoss when the stored bytes do not parse.
  absl::StatusOr<v1::Document> ReadDocument(absl::string_view doc_id) const;
  // OK when document `doc_id` is stored, else ReadDocument's NotFound; reads
  // without parsing.
  absl::Status CheckDocumentStored(absl::string_view doc_id) const;

  // The stored documents of `doc_ids` in one batched read, in order; nullopt
  // for an id that is not stored.
  absl::StatusOr<std::vector<std::optional<v1::Document>>> ReadDocuments(
      const std::vector<std::string>& doc_ids) const;

  // The passage at `position` (doc id and big-endian ordinal). NotFound when
  // absent.
  absl::StatusOr<v1::Passage> ReadPassage(absl::string_view position) const;
  // The same passage as stored: its v1::Passage encoding, unparsed.
  absl::StatusOr<std::string> ReadPassageEncoding(absl::string_view position) const;

  // Every passage of `doc_id` in ordinal order, from `first_ordinal` on, at
  // most `limit`.
  absl::StatusOr<std::vector<v1::Passage>> ReadPassages(absl::string_view doc_id,
                                                        uint32_t first_ordinal = 0,
                                                        size_t limit = SIZE_MAX) const;
  // The same passages as stored, unparsed.
  absl::StatusOr<std::vector<std::string>> ReadPassageEncodings(absl::string_view doc_id,
                                                                uint32_t first_ordinal = 0,
                                                                size_t limit = SIZE_MAX) const;

  // A meta value; NotFound when absent.
  absl::StatusOr<std::string> ReadMeta(absl::string_view key) const;

  // A meta counter (EncodeCounter); 0 when absent.
  absl::StatusOr<uint64_t> ReadCounter(absl::string_view key) const;

  // Commits `batch` (fsync'ing the write-ahead log first with `sync`).
  absl::Status Write(rocksdb::WriteBatch* batch, bool sync);

  // The last committed sequence number this instance sees.
  uint64_t Sequence() const;

  // kSecondary: catches up with the primary now. OK and nothing to do in
  // the other modes.
  absl::Status CatchUpWithPrimary();

  // Appends the corpus and RocksDB gauges (AppendStorageMetrics).
  void AppendMetrics(std::string* out) const;

 private:
  CorpusDb() = default;
  absl::Status CheckSchemaVersion();

  CorpusDbOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  ColumnFamilies families_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_CORPUS_DB_H_
