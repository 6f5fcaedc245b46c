#include "ingest_service/writer/document_writer.h"

#include <google/protobuf/util/time_util.h>

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {

absl::StatusOr<std::unique_ptr<DocumentWriter>> DocumentWriter::Open(
    const DocumentWriterOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : ColumnFamilyNames()) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  auto writer = std::unique_ptr<DocumentWriter>(new DocumentWriter());
  writer->options_ = options;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.data_dir,
                                             families, &writer->handles_, &db);
  if (!status.ok()) {
    return FromRocksStatus(status,
                           absl::StrCat("opening database ", options.data_dir));
  }
  writer->db_.reset(db);
  writer->documents_ = writer->handles_[1];
  writer->passages_ = writer->handles_[2];
  writer->citations_ = writer->handles_[4];
  writer->meta_ = writer->handles_[5];

  std::string version;
  status = db->Get(rocksdb::ReadOptions(), writer->meta_, kSchemaVersionKey,
                   &version);
  if (status.IsNotFound()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    status = db->Put(write_options, writer->meta_, kSchemaVersionKey,
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

absl::StatusOr<std::vector<v1::Passage>> DocumentWriter::ReadPassages(
    absl::string_view doc_id) {
  std::vector<v1::Passage> passages;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), passages_));
  for (it->Seek(rocksdb::Slice(doc_id.data(), doc_id.size()));
       it->Valid() && it->key().starts_with(
                          rocksdb::Slice(doc_id.data(), doc_id.size()));
       it->Next()) {
    v1::Passage passage;
    if (!passage.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored passage of ", doc_id, " does not parse"));
    }
    passages.push_back(std::move(passage));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading passages");
  return passages;
}

absl::StatusOr<uint64_t> DocumentWriter::ReadCounter(const char* key) {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_, key, &value);
  if (status.IsNotFound()) return 0;
  if (!status.ok()) return FromRocksStatus(status, key);
  return DecodeCounter(value);
}

absl::Status DocumentWriter::AddToCounter(const char* key, int64_t delta,
                                          rocksdb::WriteBatch* batch) {
  absl::StatusOr<uint64_t> current = ReadCounter(key);
  if (!current.ok()) return current.status();
  const int64_t next = static_cast<int64_t>(*current) + delta;
  batch->Put(meta_, key, EncodeCounter(next < 0 ? 0 : static_cast<uint64_t>(next)));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> DocumentWriter::DeleteStored(
    const v1::Document& old, rocksdb::WriteBatch* batch) {
  const std::string id = DocIdFromName(old.name());
  absl::StatusOr<std::vector<v1::Passage>> passages = ReadPassages(id);
  if (!passages.ok()) return passages.status();
  for (const std::string& key : CitationKeysFor(old, *passages)) {
    batch->Delete(citations_, key);
  }
  for (const v1::Passage& passage : *passages) {
    batch->Delete(passages_, PassageKey(id, passage.ordinal()));
  }
  batch->Delete(documents_, id);
  return static_cast<int64_t>(passages->size());
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
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  std::set<std::string> ids;
  for (const ParsedDocument& parsed : documents) {
    if (!ids.insert(parsed.document.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two records have the same identity (", parsed.document.name(),
          "): a file may hold each DOI or URL once"));
    }
  }

  rocksdb::WriteBatch batch;
  int64_t document_delta = 0;
  int64_t passage_delta = 0;
  bool changed = false;
  std::vector<WriteResult> results(documents.size());
  const google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  for (size_t i = 0; i < documents.size(); ++i) {
    ParsedDocument& parsed = documents[i];
    WriteResult& result = results[i];
    const std::string id = DocIdFromName(parsed.document.name());
    std::string stored;
    rocksdb::Status status =
        db_->Get(rocksdb::ReadOptions(), documents_, id, &stored);
    if (!status.ok() && !status.IsNotFound()) {
      return FromRocksStatus(status, "reading stored document");
    }
    if (status.ok()) {
      v1::Document old;
      if (!old.ParseFromString(stored)) {
        return absl::DataLossError(
            absl::StrCat("stored document ", id, " does not parse"));
      }
      if (old.content_sha256() == parsed.document.content_sha256()) {
        result.kind = WriteKind::kUnchanged;
        result.document = std::move(old);
        result.citation_count = static_cast<int>(
            CitationKeysFor(result.document, parsed.passages).size());
        continue;
      }
      result.kind = WriteKind::kUpdated;
      absl::StatusOr<int64_t> removed = DeleteStored(old, &batch);
      if (!removed.ok()) return removed.status();
      passage_delta -= *removed;
    } else {
      result.kind = WriteKind::kCreated;
      ++document_delta;
    }
    changed = true;
    v1::Document& doc = parsed.document;
    *doc.mutable_ingest_time() = now;
    doc.set_passage_count(static_cast<int32_t>(parsed.passages.size()));
    batch.Put(documents_, id, doc.SerializeAsString());
    for (const v1::Passage& passage : parsed.passages) {
      batch.Put(passages_, PassageKey(id, passage.ordinal()),
                passage.SerializeAsString());
    }
    const std::vector<std::string> citation_keys =
        CitationKeysFor(doc, parsed.passages);
    for (const std::string& key : citation_keys) {
      batch.Put(citations_, key, rocksdb::Slice());
    }
    passage_delta += static_cast<int64_t>(parsed.passages.size());
    result.citation_count = static_cast<int>(citation_keys.size());
    result.document = std::move(doc);
  }
  if (changed) {
    if (absl::Status s = AddToCounter(kDocumentCountKey, document_delta, &batch);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = AddToCounter(kPassageCountKey, passage_delta, &batch);
        !s.ok()) {
      return s;
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync_writes;
    rocksdb::Status status = db_->Write(write_options, &batch);
    if (!status.ok()) return FromRocksStatus(status, "writing document");
  }
  const uint64_t sequence = db_->GetLatestSequenceNumber();
  for (WriteResult& result : results) result.sequence = sequence;
  return results;
}

absl::StatusOr<uint64_t> DocumentWriter::Delete(absl::string_view doc_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  std::string stored;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), documents_,
                                    rocksdb::Slice(doc_id.data(), doc_id.size()),
                                    &stored);
  if (status.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat(DocumentName(doc_id), " is not stored"));
  }
  if (!status.ok()) return FromRocksStatus(status, "reading stored document");
  v1::Document old;
  if (!old.ParseFromString(stored)) {
    return absl::DataLossError(absl::StrCat("stored document ", doc_id,
                                            " does not parse"));
  }
  rocksdb::WriteBatch batch;
  absl::StatusOr<int64_t> removed = DeleteStored(old, &batch);
  if (!removed.ok()) return removed.status();
  if (absl::Status s = AddToCounter(kPassageCountKey, -*removed, &batch);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = AddToCounter(kDocumentCountKey, -1, &batch); !s.ok()) {
    return s;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  status = db_->Write(write_options, &batch);
  if (!status.ok()) return FromRocksStatus(status, "deleting document");
  return db_->GetLatestSequenceNumber();
}

absl::StatusOr<uint64_t> DocumentWriter::DocumentCount() {
  std::lock_guard<std::mutex> lock(mu_);
  if (db_ == nullptr) return absl::FailedPreconditionError("database is closed");
  return ReadCounter(kDocumentCountKey);
}

}  // namespace biocorpus
