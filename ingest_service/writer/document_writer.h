#ifndef BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_
#define BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_

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
#include "corpus/analytics/analytics_counters.h"
#include "biocorpus/v1/resources.pb.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/corpus_db.h"
#include "ingest_service/document/parsed_document.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {

struct DocumentWriterOptions {
  // Directory of the RocksDB database; created when missing (Open only).
  std::string data_dir;
  // fsync the write-ahead log before a write is acknowledged, so that an
  // acknowledged document survives a machine crash, not only a process crash.
  bool sync_writes = true;
  // Refuse every write (RESOURCE_EXHAUSTED, naming the free space) while the
  // disk holding data_dir has less free space than this; 0: never. RocksDB
  // must not meet a full disk itself: after a failed write to its log, the
  // version packaged (7.8) fails an assertion and the process aborts
  // (RocksDB pull request 12448), so the writer stops short of it, as a
  // search engine stops indexing at its flood-stage disk watermark.
  uint64_t min_free_disk_bytes = 0;
  // Write the full-text index. Only the benchmark turns it off, to measure
  // what the index costs; a database written without it has no text search.
  bool text_index = true;
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

// The write stage, and the single writer of the database (the RocksDB
// primary). Each document is written with its passages, citation_index
// entries and counters in one WriteBatch, so a crash leaves it either fully
// old or fully new. Replacing a document removes the entries of its old
// version in the same batch. Thread-safe: writes are serialized.
class DocumentWriter {
 public:
  // Writes to `db`, a primary CorpusDb, which it owns from now on.
  DocumentWriter(std::unique_ptr<CorpusDb> db, const DocumentWriterOptions& options);

  // Opens (creating if needed) the primary database at options.data_dir and
  // writes to it. FailedPrecondition when it has another schema version.
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

  // Ids of stored documents in id order after `after` ("" for the start),
  // at most `limit`.
  absl::StatusOr<std::vector<std::string>> ListDocumentIds(const std::string& after,
                                                           size_t limit);

  // Rewrites a stored document in place: `change` may change the document
  // and its passages (their tags, say) and returns whether it did; if so the
  // document is rewritten with its index entries and counters in one batch.
  // Returns whether it was rewritten; NotFound when it is not stored.
  using Change = std::function<bool(v1::Document*, std::vector<v1::Passage>*)>;
  absl::StatusOr<bool> Rewrite(const std::string& doc_id, const Change& change);

  // The last committed sequence number.
  uint64_t Sequence();

  // Text index backfill, for a database written before the text index: adds
  // the postings of those of `doc_ids` that have none (in one block, one
  // batch), and records `doc_ids.back()` as how far the backfill got.
  // Returns how many it indexed. Documents written meanwhile are indexed by
  // their own writes, so this never indexes a document twice.
  absl::StatusOr<int> IndexText(const std::vector<std::string>& doc_ids);

  // Whether every stored document is in the text index, and (when not) the
  // last id the backfill has done ("" for none).
  struct TextIndexState {
    bool complete = false;
    std::string done_through;
  };
  absl::StatusOr<TextIndexState> ReadTextIndexState();

  // Records that every stored document is in the text index.
  absl::Status MarkTextIndexComplete();

  // Flushes and closes the database; errors surface here.
  absl::Status Close();

  // The open database, for snapshots (SnapshotPublisher); never written
  // through this pointer.
  rocksdb::DB* db() const { return db_->db(); }

  // Appends the corpus and RocksDB gauges (AppendStorageMetrics).
  void AppendMetrics(std::string* out) const;

 private:
  // Counter changes a batch makes, by meta key.
  using CounterDeltas = std::map<std::string, int64_t>;

  // A document as stored, or as a group being built will store it.
  struct StoredDocument {
    v1::Document document;
    std::vector<v1::Passage> passages;
  };
  // The documents a group has written so far, by id.
  using PendingDocuments = std::map<std::string, StoredDocument>;

  // Where a batch's text index changes go: the group's block (numbered
  // `block`), and whether the version being replaced was written earlier in
  // the same group (and so is in `builder`, not in a stored block).
  struct TextChange {
    TextBlockBuilder* builder;
    uint64_t block;
    bool old_is_pending;
    // The postings of a document being added, when the terms stage made
    // them; else the writer makes them.
    std::shared_ptr<const DocumentTerms> terms = nullptr;
    // Its analytics counters, when the terms stage made them.
    std::shared_ptr<const EncodedCounters> counters = nullptr;
  };

  // Adds one request of a group to `batch`, `deltas`, `pending` and `text`;
  // on error leaves them as they were.
  absl::StatusOr<std::vector<WriteResult>> AddRequest(
      std::vector<ParsedDocument> documents, const google::protobuf::Timestamp& now,
      uint64_t block, rocksdb::WriteBatch* batch, CounterDeltas* deltas,
      EncodedCounters* analytics, PendingDocuments* pending, TextBlockBuilder* text);

  // Adds to `batch` every entry `document` and `passages` own (documents,
  // passages, citation_index, tag_index, and with `text` the text index), or
  // with `remove` their deletion, the counter changes to `deltas`, and the
  // analytics counters' changes to `analytics` (merged into the batch once
  // per counter when it is complete).
  absl::Status AddEntries(const v1::Document& document, const std::vector<v1::Passage>& passages,
                          bool remove, const TextChange* text, rocksdb::WriteBatch* batch,
                          CounterDeltas* deltas, EncodedCounters* analytics);
  absl::Status AddTextEntries(const std::string& id, const v1::Document& document,
                              const std::vector<v1::Passage>& passages, bool remove,
                              const TextChange& text, rocksdb::WriteBatch* batch,
                              CounterDeltas* deltas);
  absl::StatusOr<uint64_t> ReadCounter(absl::string_view key);
  // A database written before the analytics counters: counts its documents
  // in id order, a chunk per batch with the position reached, so that a
  // restart goes on from there; then records that the counters are
  // complete. Nothing to do for a database that has them. Open() calls it
  // before the writer is shared; it takes no lock.
  absl::Status CountWrittenDocuments();
  // FailedPrecondition once the database is closed.
  absl::Status CheckOpen() const;
  // Adds the counters' new values to `batch` and commits it; the cached
  // counters change only when the commit succeeds.
  absl::Status CommitWithCounters(const CounterDeltas& deltas, rocksdb::WriteBatch* batch);
  absl::Status Commit(rocksdb::WriteBatch* batch);
  // RESOURCE_EXHAUSTED while the disk is below min_free_disk_bytes.
  absl::Status CheckFreeSpace() const;

  DocumentWriterOptions options_;
  std::mutex mu_;
  std::unique_ptr<CorpusDb> db_;
  // The meta counters as committed, read from the database once each: this
  // is the only writer, so the cache never goes stale.
  std::map<std::string, uint64_t, std::less<>> counters_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_WRITER_DOCUMENT_WRITER_H_
