#include "ingest_service/writer/document_writer.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"
#include "corpus/storage/storage_metrics.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {

absl::StatusOr<std::unique_ptr<DocumentWriter>> DocumentWriter::Open(
    const DocumentWriterOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  auto writer = std::unique_ptr<DocumentWriter>(new DocumentWriter());
  writer->options_ = options;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.data_dir,
                                             ColumnFamilyDescriptors(), &writer->handles_, &db);
  if (!status.ok()) {
    return FromRocksStatus(status,
                           absl::StrCat("opening database ", options.data_dir));
  }
  writer->db_.reset(db);
  writer->families_ = ColumnFamilies::From(writer->handles_);

  std::string version;
  status = db->Get(rocksdb::ReadOptions(), writer->families_.meta, kSchemaVersionKey,
                   &version);
  if (status.IsNotFound()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    status = db->Put(write_options, writer->families_.meta, kSchemaVersionKey,
                     kSchemaVersion);
    if (!status.ok()) return FromRocksStatus(status, "writing schema version");
  } else if (!status.ok()) {
    return FromRocksStatus(status, "reading schema version");
  } else if (version != kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", options.data_dir, " has schema version ",
                     version, "; this build reads version ", kSchemaVersion));
  }
  return writer;
}

DocumentWriter::~DocumentWriter() { Close().IgnoreError(); }

absl::Status DocumentWriter::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::OkStatus();
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  handles_.clear();
  rocksdb::Status status = db_->Close();
  db_.reset();
  return FromRocksStatus(status, "closing database");
}

absl::StatusOr<uint64_t> DocumentWriter::ReadCounter(absl::string_view key) {
  if (auto cached = counters_.find(key); cached != counters_.end()) return cached->second;
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.meta,
                                    rocksdb::Slice(key.data(), key.size()), &value);
  if (!status.ok() && !status.IsNotFound()) return FromRocksStatus(status, key);
  const uint64_t counter = status.IsNotFound() ? 0 : DecodeCounter(value);
  counters_.emplace(std::string(key), counter);
  return counter;
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
      batch->Delete(families_.meta, key);
    } else {
      batch->Put(families_.meta, key, EncodeCounter(static_cast<uint64_t>(next)));
    }
    next_values.emplace_back(key, static_cast<uint64_t>(next));
  }
  if (absl::Status s = Commit(batch); !s.ok()) return s;
  for (auto& [key, value] : next_values) counters_[key] = value;
  return absl::OkStatus();
}

absl::Status DocumentWriter::Commit(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksStatus(db_->Write(write_options, batch), "writing to the database");
}

void DocumentWriter::AddEntries(const v1::Document& document,
                                const std::vector<v1::Passage>& passages,
                                bool remove, rocksdb::WriteBatch* batch,
                                CounterDeltas* deltas) {
  const std::string id = DocIdFromName(document.name());
  const int64_t sign = remove ? -1 : 1;
  auto put = [&](rocksdb::ColumnFamilyHandle* family, const std::string& key,
                 const std::string& value) {
    if (remove) {
      batch->Delete(family, key);
    } else {
      batch->Put(family, key, value);
    }
  };
  put(families_.documents, id, remove ? "" : document.SerializeAsString());
  for (const v1::Passage& passage : passages) {
    put(families_.passages, PassageKey(id, passage.ordinal()),
        remove ? "" : passage.SerializeAsString());
  }
  for (const std::string& key : CitationKeysFor(document, passages)) {
    put(families_.citations, key, "");
  }
  for (const std::string& key : TagKeysFor(document, passages)) put(families_.tags, key, "");
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
}

int CitationCount(const std::vector<v1::Passage>& passages) {
  int count = 1;  // The document's own record.
  for (const v1::Passage& passage : passages) count += passage.links_size();
  return count;
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
    rocksdb::WriteBatch* batch, CounterDeltas* deltas, PendingDocuments* pending) {
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
  PendingDocuments own_pending;
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
      absl::StatusOr<v1::Document> stored = ReadDocument(db_.get(), families_, id);
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
            ReadPassages(db_.get(), families_, id);
        if (!passages.ok()) return passages.status();
        old->passages = std::move(*passages);
      }
      AddEntries(old->document, old->passages, /*remove=*/true, batch, &own_deltas);
    } else {
      result.kind = WriteKind::kCreated;
      own_deltas[kDocumentCountKey] += 1;
    }
    v1::Document& doc = parsed.document;
    *doc.mutable_ingest_time() = now;
    doc.set_passage_count(static_cast<int32_t>(parsed.passages.size()));
    AddEntries(doc, parsed.passages, /*remove=*/false, batch, &own_deltas);
    result.document = doc;
    own_pending[id] = StoredDocument{std::move(doc), std::move(parsed.passages)};
  }
  rollback.armed = false;
  batch->PopSavePoint().PermitUncheckedError();
  for (const auto& [key, delta] : own_deltas) (*deltas)[key] += delta;
  for (auto& [id, stored] : own_pending) (*pending)[id] = std::move(stored);
  return results;
}

std::vector<absl::StatusOr<std::vector<WriteResult>>> DocumentWriter::WriteGroup(
    std::vector<std::vector<ParsedDocument>> requests) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<absl::StatusOr<std::vector<WriteResult>>> results;
  results.reserve(requests.size());
  if (db_ == nullptr) {
    results.assign(requests.size(), absl::FailedPreconditionError("database is closed"));
    return results;
  }
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  PendingDocuments pending;
  const google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  for (std::vector<ParsedDocument>& documents : requests) {
    results.push_back(AddRequest(std::move(documents), now, &batch, &deltas, &pending));
  }
  if (batch.Count() > 0) {
    if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) {
      for (auto& result : results) {
        if (result.ok()) result = s;
      }
      return results;
    }
  }
  const uint64_t sequence = db_->GetLatestSequenceNumber();
  for (auto& result : results) {
    if (!result.ok()) continue;
    for (WriteResult& written : *result) written.sequence = sequence;
  }
  return results;
}

absl::StatusOr<uint64_t> DocumentWriter::Delete(absl::string_view doc_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  absl::StatusOr<v1::Document> old = ReadDocument(db_.get(), families_, doc_id);
  if (!old.ok()) return old.status();
  absl::StatusOr<std::vector<v1::Passage>> passages = ReadPassages(db_.get(), families_, doc_id);
  if (!passages.ok()) return passages.status();
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  deltas[kDocumentCountKey] -= 1;
  AddEntries(*old, *passages, /*remove=*/true, &batch, &deltas);
  if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) return s;
  return db_->GetLatestSequenceNumber();
}

absl::StatusOr<uint64_t> DocumentWriter::DocumentCount() {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  return ReadCounter(kDocumentCountKey);
}

absl::Status DocumentWriter::RecordVocabulary(const std::string& version,
                                              const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  rocksdb::WriteBatch batch;
  batch.Put(families_.meta, kVocabularyVersionKey, version);
  batch.Put(families_.meta, kVocabularyTextKey, text);
  return Commit(&batch);
}

absl::StatusOr<std::string> DocumentWriter::RecordedVocabularyVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  std::string version;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.meta, kVocabularyVersionKey, &version);
  if (status.IsNotFound()) return std::string();
  if (!status.ok()) return FromRocksStatus(status, "reading vocabulary version");
  return version;
}

absl::StatusOr<DocumentWriter::RetagResult> DocumentWriter::Retag(
    const TagFunction& tag, const std::string& version, bool force,
    const std::atomic<bool>* stop) {
  RetagResult result;
  std::string after;
  for (;;) {
    // Take ids in chunks without holding the lock, so ingest goes on.
    std::vector<std::string> ids;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
      std::unique_ptr<rocksdb::Iterator> it(
          db_->NewIterator(rocksdb::ReadOptions(), families_.documents));
      it->Seek(after);
      if (it->Valid() && it->key() == rocksdb::Slice(after)) it->Next();
      for (; it->Valid() && ids.size() < 256; it->Next()) ids.push_back(it->key().ToString());
      if (!it->status().ok()) return FromRocksStatus(it->status(), "listing documents");
    }
    if (ids.empty()) break;
    after = ids.back();
    for (const std::string& id : ids) {
      if (stop != nullptr && stop->load()) return result;
      std::lock_guard<std::mutex> lock(mu_);
      if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
      absl::StatusOr<v1::Document> document = ReadDocument(db_.get(), families_, id);
      if (absl::IsNotFound(document.status())) continue;  // Deleted meanwhile.
      if (!document.ok()) return document.status();
      ++result.examined;
      if (!force && document->vocabulary_version() == version) continue;
      absl::StatusOr<std::vector<v1::Passage>> passages = ReadPassages(db_.get(), families_, id);
      if (!passages.ok()) return passages.status();
      rocksdb::WriteBatch batch;
      CounterDeltas deltas;
      AddEntries(*document, *passages, /*remove=*/true, &batch, &deltas);
      tag(&*document, &*passages);
      AddEntries(*document, *passages, /*remove=*/false, &batch, &deltas);
      if (absl::Status s = CommitWithCounters(deltas, &batch); !s.ok()) return s;
      ++result.retagged;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (db_ != nullptr) result.sequence = db_->GetLatestSequenceNumber();
  }
  return result;
}

void DocumentWriter::AppendMetrics(std::string* out) const {
  AppendStorageMetrics(db_.get(), families_, out);
}

}  // namespace biocorpus
