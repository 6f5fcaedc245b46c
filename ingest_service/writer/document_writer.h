#ifndef BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_
#define BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "corpus/storage/records.h"
#include "ingest_service/parsers/parsed_document.h"
#include "rocksdb/db.h"

namespace biocorpus {

struct DocumentWriterOptions {
  // Directory of the RocksDB database; created when missing.
  std::string data_dir;
  // fsync the write-ahead log before a write is acknowledged, so that an
  // acknowledged document survives a machine crash, not only a process crash.
  bool sync_writes = true;
};

// What DocumentWriter::Write did.
enum class WriteKind { kCreated, kUpdated, kUnchanged };

struct WriteResult {
  WriteKind kind = WriteKind::kCreated;
  // The stored document (for kUnchanged, the one already stored).
  v1::Document document;
  // Citations: the document's own record plus each outbound reference
  // (hyperlink or DOI mention) of its passages.
  int citation_count = 0;
  // The database sequence number once the write was committed.
  uint64_t sequence = 0;
};

// The number of citations a document makes and is: its own record plus each
// outbound reference of `passages`.
int CitationCount(const std::vector<v1::Passage>& passages);

// The single writer of the database (the RocksDB primary). Each document is
// written with its passages, citation_index entries and counters in one
// WriteBatch, so a crash leaves it either fully old or fully new. Replacing a
// document removes the entries of its old version in the same batch.
// Thread-safe: writes are serialized.
class DocumentWriter {
 public:
  // Opens (creating if needed) the database with every column family of the
  // schema. FailedPrecondition when the database has another schema version.
  static absl::StatusOr<std::unique_ptr<DocumentWriter>> Open(
      const DocumentWriterOptions& options);

  ~DocumentWriter();

  // Stores `parsed`, whose document name, content hash and passages are set
  // (DocumentParser does that). kUnchanged when a document of the same id and
  // content hash is stored; nothing is written then.
  absl::StatusOr<WriteResult> Write(ParsedDocument parsed);

  // Stores several documents (the records of one input file) in one batch:
  // all of them or none. Their ids must differ (InvalidArgument otherwise).
  // One result per document, in order.
  absl::StatusOr<std::vector<WriteResult>> WriteAll(
      std::vector<ParsedDocument> documents);

  // Group commit: stores several independent requests, each as WriteAll
  // would, in one WriteBatch with one fsync. Requests are applied in order
  // (a later one sees the documents of an earlier one) and each succeeds or
  // fails on its own, except that a failed commit fails them all. One result
  // per request, in order.
  std::vector<absl::StatusOr<std::vector<WriteResult>>> WriteGroup(
      std::vector<std::vector<ParsedDocument>> requests);

  // Removes a document and everything it owns. NotFound when it is not
  // stored. Returns the sequence number of the delete.
  absl::StatusOr<uint64_t> Delete(absl::string_view doc_id);

  // Number of stored documents (from the meta counters).
  absl::StatusOr<uint64_t> DocumentCount();

  // Records the vocabulary documents are now tagged with (the query service
  // reads concept labels and hierarchy from it).
  absl::Status RecordVocabulary(const std::string& version, const std::string& text);

  // The vocabulary version recorded by RecordVocabulary, or "" if none.
  absl::StatusOr<std::string> RecordedVocabularyVersion();

  // Re-tags every stored document whose vocabulary_version is not `version`
  // (every document when `force`): `tag` replaces the document's tags and its
  // passages' annotations, and each document is rewritten with its tag_index
  // entries and tag counters in one batch. Stops early, with what it did so
  // far, when `stop` becomes true. Safe to run while documents are ingested.
  struct RetagResult {
    int64_t examined = 0;
    int64_t retagged = 0;
    uint64_t sequence = 0;
  };
  using TagFunction =
      std::function<void(v1::Document*, std::vector<v1::Passage>*)>;
  absl::StatusOr<RetagResult> Retag(const TagFunction& tag,
                                    const std::string& version, bool force,
                                    const std::atomic<bool>* stop = nullptr);

  // Flushes and closes the database; errors surface here.
  absl::Status Close();

  // The open database, for snapshots (SnapshotPublisher); never written
  // through this pointer.
  rocksdb::DB* db() const { return db_.get(); }

  // Appends the corpus and RocksDB gauges (AppendStorageMetrics).
  void AppendMetrics(std::string* out) const;

 private:
  DocumentWriter() = default;

  // Counter changes a batch makes, by meta key.
  using CounterDeltas = std::map<std::string, int64_t>;

  // A document as stored, or as a group being built will store it.
  struct StoredDocument {
    v1::Document document;
    std::vector<v1::Passage> passages;
  };
  // The documents a group has written so far, by id.
  using PendingDocuments = std::map<std::string, StoredDocument>;

  // Adds one request of a group to `batch`, `deltas` and `pending`; on error
  // leaves the three as they were.
  absl::StatusOr<std::vector<WriteResult>> AddRequest(
      std::vector<ParsedDocument> documents, const google::protobuf::Timestamp& now,
      rocksdb::WriteBatch* batch, CounterDeltas* deltas, PendingDocuments* pending);

  // Adds to `batch` every entry `document` and `passages` own (documents,
  // passages, citation_index, tag_index), or with `remove` their deletion,
  // and the passage and tag counter changes to `deltas`.
  void AddEntries(const v1::Document& document,
                  const std::vector<v1::Passage>& passages, bool remove,
                  rocksdb::WriteBatch* batch, CounterDeltas* deltas);
  absl::StatusOr<uint64_t> ReadCounter(absl::string_view key);
  // Adds the counters' new values to `batch` and commits it; the cached
  // counters change only when the commit succeeds.
  absl::Status CommitWithCounters(const CounterDeltas& deltas, rocksdb::WriteBatch* batch);
  absl::Status Commit(rocksdb::WriteBatch* batch);

  DocumentWriterOptions options_;
  std::mutex mu_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  ColumnFamilies families_;
  // The meta counters as committed, read from the database once each: this
  // is the only writer, so the cache never goes stale.
  std::map<std::string, uint64_t, std::less<>> counters_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_
