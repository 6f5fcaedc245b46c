// The one writer (about 450 lines): every entry a document owns in every
// column family is built here, so that one batch holds all of them; split, the
// pieces would have to share the batch, the counters and the group's block.

#include "ingest_service/writer/document_writer.h"

#include <google/protobuf/util/time_util.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/rocks_status.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {

DocumentWriter::DocumentWriter(std::unique_ptr<CorpusDb> db,
                               const DocumentWriterOptions& options)
    : options_(options), db_(std::move(db)) {}

absl::StatusOr<std::unique_ptr<DocumentWriter>> DocumentWriter::Open(
    const DocumentWriterOptions& options) {
  CorpusDbOptions db_options;
  db_options.path = options.data_dir;
  db_options.mode = CorpusDbOptions::Mode::kPrimary;
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(db_options);
  if (!db.ok()) return db.status();
  auto writer = std::make_unique<DocumentWriter>(std::move(*db), options);
  if (absl::Status s = writer->CountWrittenDocuments(); !s.ok()) return s;
  return writer;
}

absl::Status DocumentWriter::CountWrittenDocuments() {
  // Called by Open() before the writer is shared: nothing else writes.
  const ColumnFamilies& families = db_->families();
  absl::StatusOr<std::string> complete = db_->ReadMeta(kAnalyticsCompleteKey);
  if (complete.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(complete.status())) return complete.status();
  absl::StatusOr<std::string> cursor = db_->ReadMeta(kAnalyticsCursorKey);
  if (!cursor.ok() && !absl::IsNotFound(cursor.status())) return cursor.status();
  std::string after = cursor.ok() ? *cursor : std::string();
  constexpr size_t kChunk = 256;
  while (true) {
    absl::StatusOr<std::vector<std::string>> listed = ListDocumentIds(after, kChunk);
    if (!listed.ok()) return listed.status();
    const std::vector<std::string>& ids = *listed;
    rocksdb::WriteBatch batch;
    if (ids.empty()) {
      batch.Put(families.meta, kAnalyticsCompleteKey, "1");
      batch.Delete(families.meta, kAnalyticsCursorKey);
      return Commit(&batch);
    }
    EncodedCounters deltas;
    for (const std::string& id : ids) {
      absl::StatusOr<v1::Document> document = db_->ReadDocument(id);
      if (!document.ok()) return document.status();
      absl::StatusOr<std::vector<v1::Passage>> passages = db_->ReadPassages(id);
      if (!passages.ok()) return passages.status();
      AppendDocumentCounters(*document, *passages, +1, &deltas);
    }
    MergeCounterDeltas(deltas, families.analytics, &batch);
    // The position goes in the same batch, so that a restart neither counts
    // a document twice nor skips one.
    batch.Put(families.meta, kAnalyticsCursorKey, ids.back());
    if (absl::Status s = Commit(&batch); !s.ok()) return s;
    after = ids.back();
  }
}

DocumentWriter::~DocumentWriter() { Close().IgnoreError(); }

absl::Status DocumentWriter::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->Close();
}

absl::Status DocumentWriter::CheckOpen() const {
  return db_->is_open() ? absl::OkStatus()
                        : absl::FailedPreconditionError("database is closed");
}

absl::StatusOr<uint64_t> DocumentWriter::ReadCounter(absl::string_view key) {
  if (auto cached = counters_.find(key); cached != counters_.end()) return cached->second;
  absl::StatusOr<uint64_t> counter = db_->ReadCounter(key);
  if (!counter.ok()) return counter.status();
  counters_.emplace(std::string(key), *counter);
  return *counter;
}

absl::Status DocumentWriter::CommitWithCounters(const CounterDeltas& deltas,
                                                rocksdb::WriteBatch* batch) {
  std::vector<std::pair<std::string, uint64_t>> next_values;
  for (const auto& [key, delta] : deltas) {
    if (delta == 0) continue;
    absl::StatusOr<uint64_t> current = ReadCounter(key);
    if (!current.ok()) return current.status();
    const int64_t next = std::max<int64_t>(static_cast<int64_t>(*current) + delta, 0);
    if (next == 0) {
      batch->Delete(db_->families().meta, key);
    } else {
      batch->Put(db_->families().meta, key, EncodeCounter(static_cast<uint64_t>(next)));
    }
    next_values.emplace_back(key, static_cast<uint64_t>(next));
  }
  if (absl::Status s = Commit(batch); !s.ok()) return s;
  for (auto& [key, value] : next_values) counters_[key] = value;
  return absl::OkStatus();
}

absl::Status DocumentWriter::CheckFreeSpace() const {
  if (options_.min_free_disk_bytes == 0) return absl::OkStatus();
  struct statvfs fs;
  if (::statvfs(options_.data_dir.c_str(), &fs) != 0) return absl::OkStatus();  // Let RocksDB say.
  const uint64_t free = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  if (free >= options_.min_free_disk_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the disk holding the data directory has ", free >> 20, " MiB free, less than ",
      options_.min_free_disk_bytes >> 20,
      " MiB (--min_free_disk_mb): writes are refused until space is freed"));
}

absl::Status DocumentWriter::Commit(rocksdb::WriteBatch* batch) {
  if (absl::Status space = CheckFreeSpace(); !space.ok()) return space;
  return db_->Write(batch, options_.sync_writes);
}

absl::Status DocumentWriter::AddTextEntries(const std::string& id, const v1::Document& document,
                                            const std::vector<v1::Passage>& passages,
                                            bool remove, const TextChange& text,
                                            rocksdb::WriteBatch* batch, CounterDeltas* deltas) {
  const ColumnFamilies& families = db_->families();
  std::shared_ptr<const DocumentTerms> terms =
      !remove && text.terms != nullptr ? text.terms
                                       : std::make_shared<const DocumentTerms>(TermsOf(document, passages));
  (*deltas)[kTextTokenCountKey] += (remove ? -1 : 1) * terms->passage_tokens;
  if (!remove) {
    std::string block(8, '\0');
    for (int i = 0; i < 8; ++i) block[i] = static_cast<char>((text.block >> (56 - 8 * i)) & 0xFF);
    batch->Put(families.meta, TextBlockKey(id), block);
    text.builder->Add(id, std::move(terms));
    return absl::OkStatus();
  }
  if (text.old_is_pending) {
    // Written earlier in this group: it leaves the group's block.
    text.builder->Remove(id);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> stored = db_->ReadMeta(TextBlockKey(id));
  if (absl::IsNotFound(stored.status())) return absl::OkStatus();  // Not indexed.
  if (!stored.ok()) return stored.status();
  uint64_t block = 0;
  for (char c : *stored) block = (block << 8) | static_cast<unsigned char>(c);
  const std::string removal = TextRemoval(id);
  for (const auto& [key, postings] : terms->postings) {
    batch->Merge(families.text, TextTermKey(key[0], absl::string_view(key).substr(1), block),
                 removal);
  }
  batch->Delete(families.meta, TextBlockKey(id));
  return absl::OkStatus();
}

absl::Status DocumentWriter::AddEntries(const v1::Document& document,
                                        const std::vector<v1::Passage>& passages, bool remove,
                                        const TextChange* text, rocksdb::WriteBatch* batch,
                                        CounterDeltas* deltas, EncodedCounters* analytics) {
  const std::string id = DocIdFromName(document.name());
  const int64_t sign = remove ? -1 : 1;
  const ColumnFamilies& families = db_->families();
  if (text != nullptr && options_.text_index) {
    if (absl::Status s = AddTextEntries(id, document, passages, remove, *text, batch, deltas);
        !s.ok()) {
      return s;
    }
  }
  auto put = [&](rocksdb::ColumnFamilyHandle* family, const std::string& key,
                 const std::string& value) {
    if (remove) {
      batch->Delete(family, key);
    } else {
      batch->Put(family, key, value);
    }
  };
  put(families.documents, id, remove ? "" : document.SerializeAsString());
  for (const v1::Passage& passage : passages) {
    put(families.passages, PassageKey(id, passage.ordinal()),
        remove ? "" : passage.SerializeAsString());
  }
  for (const std::string& key : CitationKeysFor(document, passages)) {
    put(families.citations, key, "");
  }
  for (const std::string& key : TagKeysFor(document, passages)) put(families.tags, key, "");
  if (!remove && text != nullptr && text->counters != nullptr) {
    analytics->Append(*text->counters);
  } else {
    AppendDocumentCounters(document, passages, static_cast<int>(sign), analytics);
  }
  (*deltas)[kPassageCountKey] += sign * static_cast<int64_t>(passages.size());
  // Tag counters: passages carrying each concept, and documents carrying it
  // anywhere.
  std::set<std::string> in_document;
  for (const v1::DocumentTag& tag : document.tags()) in_document.insert(tag.concept());
  for (const v1::Passage& passage : passages) {
    std::set<std::string> in_passage;
    for (const v1::Annotation& a : passage.annotations()) in_passage.insert(a.concept());
    for (const std::string& c : in_passage) {
      (*deltas)[TagPassageCountKey(c)] += sign;
      in_document.insert(c);
    }
  }
  for (const std::string& c : in_document) (*deltas)[TagDocumentCountKey(c)] += sign;
  return absl::OkStatus();
}

absl::StatusOr<WriteResult> DocumentWriter::Write(ParsedDocument parsed) {
  std::vector<ParsedDocument> one;
  one.push_back(std::move(parsed));
  absl::StatusOr<std::vector<WriteResult>> results = WriteAll(std::move(one));
  if (!results.ok()) return results.status();
  return std::move(results->front());
}

absl::StatusOr<std::vector<WriteResult>> DocumentWriter::WriteAll(
    std::vector<ParsedDocument> documents) {
  std::vector<std::vector<ParsedDocument>> requests;
  requests.push_back(std::move(documents));
  return std::move(WriteGroup(std::move(requests)).front());
}

absl::StatusOr<std::vector<WriteResult>> DocumentWriter::AddRequest(
    std::vector<ParsedDocument> documents, const google::protobuf::Timestamp& now,
    uint64_t block, rocksdb::WriteBatch* batch, CounterDeltas* deltas, EncodedCounters* analytics,
    PendingDocuments* pending, TextBlockBuilder* text) {
  std::set<std::string> ids;
  for (const ParsedDocument& parsed : documents) {
    if (!ids.insert(parsed.document.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two records have the same identity (", parsed.document.name(),
          "): a file may hold each DOI or URL once"));
    }
  }
  // Staged apart (the batch behind a save point), so that an error leaves
  // the group as it was.
  batch->SetSavePoint();
  struct Rollback {
    rocksdb::WriteBatch* batch;
    bool armed = true;
    ~Rollback() {
      if (armed) batch->RollbackToSavePoint().PermitUncheckedError();
    }
  } rollback{batch};
  CounterDeltas own_deltas;
  EncodedCounters own_analytics;
  PendingDocuments own_pending;
  TextBlockBuilder own_text;
  std::vector<WriteResult> results(documents.size());
  for (size_t i = 0; i < documents.size(); ++i) {
    ParsedDocument& parsed = documents[i];
    WriteResult& result = results[i];
    const std::string id = DocIdFromName(parsed.document.name());
    result.citation_count = CitationCount(parsed.passages);
    // The version this write replaces: one written earlier in the group, or
    // the stored one.
    std::optional<StoredDocument> old;
    bool old_is_stored = false;  // Its passages are still to be read.
    if (auto earlier = pending->find(id); earlier != pending->end()) {
      old = earlier->second;
    } else {
      absl::StatusOr<v1::Document> stored = db_->ReadDocument(id);
      if (stored.ok()) {
        old = StoredDocument{std::move(*stored), {}};
        old_is_stored = true;
      } else if (!absl::IsNotFound(stored.status())) {
        return stored.status();
      }
    }
    if (old.has_value()) {
      if (old->document.content_sha256() == parsed.document.content_sha256()) {
        result.kind = WriteKind::kUnchanged;
        result.document = std::move(old->document);
        continue;
      }
      result.kind = WriteKind::kUpdated;
      if (old_is_stored) {
        absl::StatusOr<std::vector<v1::Passage>> passages =
            db_->ReadPassages(id);
        if (!passages.ok()) return passages.status();
        old->passages = std::move(*passages);
      }
      const TextChange change{&own_text, block, /*old_is_pending=*/!old_is_stored};
      if (absl::Status s = AddEntries(old->document, old->passages, /*remove=*/true, &change,
                                      batch, &own_deltas, &own_analytics);
          !s.ok()) {
        return s;
      }
    } else {
      result.kind = WriteKind::kCreated;
      own_deltas[kDocumentCountKey] += 1;
    }
    v1::Document& doc = parsed.document;
    *doc.mutable_ingest_time() = now;
    doc.set_passage_count(static_cast<int32_t>(parsed.passages.size()));
    const TextChange change{&own_text, block, false, parsed.terms, parsed.counters};
    if (absl::Status s =
            AddEntries(doc, parsed.passages, /*remove=*/false, &change, batch, &own_deltas,
                       &own_analytics);
        !s.ok()) {
      return s;
    }
    result.document = doc;
    own_pending[id] = StoredDocument{std::move(doc), std::move(parsed.passages)};
  }
  rollback.armed = false;
  batch->PopSavePoint().PermitUncheckedError();
  for (const auto& [key, delta] : own_deltas) (*deltas)[key] += delta;
  analytics->Append(own_analytics);
  for (auto& [id, stored] : own_pending) (*pending)[id] = std::move(stored);
  text->MergeFrom(std::move(own_text));
  return results;
}

std::vector<absl::StatusOr<std::vector<WriteResult>>> DocumentWriter::WriteGroup(
    std::vector<std::vector<ParsedDocument>> requests) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<absl::StatusOr<std::vector<WriteResult>>> results;
  results.reserve(requests.size());
  if (absl::Status open = CheckOpen(); !open.ok()) {
    results.assign(requests.size(), open);
    return results;
  }
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  // The group's analytics deltas, one merge per counter for the whole group.
  EncodedCounters analytics;
  PendingDocuments pending;
  TextBlockBuilder text;
  const google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  // The group's postings go in one block of the text index.
  absl::StatusOr<uint64_t> block = ReadCounter(kTextBlockCountKey);
  if (!block.ok()) {
    results.assign(requests.size(), block.status());
    return results;
  }
  for (std::vector<ParsedDocument>& documents : requests) {
    results.push_back(
        AddRequest(std::move(documents), now, *block, &batch, &deltas, &analytics, &pending,
                   &text));
  }
  if (!text.empty()) {
    for (auto& [key, value] : text.Build(*block)) batch.Put(db_->families().text, key, value);
    deltas[kTextBlockCountKey] += 1;
  }
  MergeCounterDeltas(analytics, db_->families().analytics, &batch);
  if (batch.Count() > 0) {
    if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) {
      for (auto& result : results) {
        if (result.ok()) result = s;
      }
      return results;
    }
  }
  const uint64_t sequence = db_->Sequence();
  for (auto& result : results) {
    if (!result.ok()) continue;
    for (WriteResult& written : *result) written.sequence = sequence;
  }
  return results;
}

absl::StatusOr<uint64_t> DocumentWriter::Delete(absl::string_view doc_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  absl::StatusOr<v1::Document> old = db_->ReadDocument(doc_id);
  if (!old.ok()) return old.status();
  absl::StatusOr<std::vector<v1::Passage>> passages = db_->ReadPassages(doc_id);
  if (!passages.ok()) return passages.status();
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  deltas[kDocumentCountKey] -= 1;
  TextBlockBuilder unused;
  const TextChange change{&unused, 0, /*old_is_pending=*/false};
  EncodedCounters analytics;
  if (absl::Status s =
          AddEntries(*old, *passages, /*remove=*/true, &change, &batch, &deltas, &analytics);
      !s.ok()) {
    return s;
  }
  MergeCounterDeltas(analytics, db_->families().analytics, &batch);
  if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) return s;
  return db_->Sequence();
}

absl::StatusOr<uint64_t> DocumentWriter::DocumentCount() {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  return ReadCounter(kDocumentCountKey);
}

absl::Status DocumentWriter::RecordVocabulary(const std::string& version,
                                              const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  rocksdb::WriteBatch batch;
  batch.Put(db_->families().meta, kVocabularyVersionKey, version);
  batch.Put(db_->families().meta, kVocabularyTextKey, text);
  return Commit(&batch);
}

absl::StatusOr<std::string> DocumentWriter::RecordedVocabularyVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  absl::StatusOr<std::string> version = db_->ReadMeta(kVocabularyVersionKey);
  if (absl::IsNotFound(version.status())) return std::string();
  return version;
}

absl::StatusOr<std::vector<std::string>> DocumentWriter::ListDocumentIds(
    const std::string& after, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  std::vector<std::string> ids;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->families().documents));
  it->Seek(after);
  if (it->Valid() && it->key() == rocksdb::Slice(after)) it->Next();
  for (; it->Valid() && ids.size() < limit; it->Next()) ids.push_back(it->key().ToString());
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing documents");
  return ids;
}

absl::StatusOr<bool> DocumentWriter::Rewrite(const std::string& doc_id, const Change& change) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  absl::StatusOr<v1::Document> document = db_->ReadDocument(doc_id);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::vector<v1::Passage>> passages = db_->ReadPassages(doc_id);
  if (!passages.ok()) return passages.status();
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  // The text does not change: its index entries stay as they are.
  EncodedCounters analytics;
  if (absl::Status s =
          AddEntries(*document, *passages, /*remove=*/true, nullptr, &batch, &deltas, &analytics);
      !s.ok()) {
    return s;
  }
  if (!change(&*document, &*passages)) return false;
  if (absl::Status s =
          AddEntries(*document, *passages, /*remove=*/false, nullptr, &batch, &deltas, &analytics);
      !s.ok()) {
    return s;
  }
  MergeCounterDeltas(analytics, db_->families().analytics, &batch);
  if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) return s;
  return true;
}

absl::StatusOr<int> DocumentWriter::IndexText(const std::vector<std::string>& doc_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  absl::StatusOr<uint64_t> block = ReadCounter(kTextBlockCountKey);
  if (!block.ok()) return block.status();
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  TextBlockBuilder text;
  int indexed = 0;
  for (const std::string& id : doc_ids) {
    if (db_->ReadMeta(TextBlockKey(id)).ok()) continue;  // Indexed by its own write.
    absl::StatusOr<v1::Document> document = db_->ReadDocument(id);
    if (absl::IsNotFound(document.status())) continue;  // Deleted meanwhile.
    if (!document.ok()) return document.status();
    absl::StatusOr<std::vector<v1::Passage>> passages = db_->ReadPassages(id);
    if (!passages.ok()) return passages.status();
    const TextChange change{&text, *block, false};
    if (absl::Status s = AddTextEntries(id, *document, *passages, /*remove=*/false, change,
                                        &batch, &deltas);
        !s.ok()) {
      return s;
    }
    ++indexed;
  }
  if (!text.empty()) {
    for (auto& [key, value] : text.Build(*block)) batch.Put(db_->families().text, key, value);
    deltas[kTextBlockCountKey] += 1;
  }
  if (!doc_ids.empty()) batch.Put(db_->families().meta, kTextBackfillCursorKey, doc_ids.back());
  if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) return s;
  return indexed;
}

absl::StatusOr<DocumentWriter::TextIndexState> DocumentWriter::ReadTextIndexState() {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  TextIndexState state;
  absl::StatusOr<std::string> complete = db_->ReadMeta(kTextIndexCompleteKey);
  if (complete.ok()) {
    state.complete = true;
    return state;
  }
  if (!absl::IsNotFound(complete.status())) return complete.status();
  absl::StatusOr<std::string> cursor = db_->ReadMeta(kTextBackfillCursorKey);
  if (cursor.ok()) {
    state.done_through = *cursor;
  } else if (!absl::IsNotFound(cursor.status())) {
    return cursor.status();
  }
  return state;
}

absl::Status DocumentWriter::MarkTextIndexComplete() {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  rocksdb::WriteBatch batch;
  batch.Put(db_->families().meta, kTextIndexCompleteKey, "1");
  batch.Delete(db_->families().meta, kTextBackfillCursorKey);
  return Commit(&batch);
}

uint64_t DocumentWriter::Sequence() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->Sequence();
}

void DocumentWriter::AppendMetrics(std::string* out) const {
  db_->AppendMetrics(out);
}

}  // namespace biocorpus
