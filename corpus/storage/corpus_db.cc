#include "corpus/storage/corpus_db.h"

#include <cstdarg>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/model/resource_names.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/rocks_status.h"
#include "corpus/storage/schema.h"
#include "corpus/storage/storage_metrics.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {
namespace {

absl::Status Closed() { return absl::FailedPreconditionError("the database is closed"); }

rocksdb::Slice SliceOf(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// An info log that keeps nothing.
class SilentLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

// The prefix of a key up to and including its `separators`-th 0 byte: a
// concept id in tag_index (one), a kind and normalized key in
// citation_index (two). Keys with fewer are outside the domain.
class SeparatedPrefix : public rocksdb::SliceTransform {
 public:
  SeparatedPrefix(int separators, const char* name) : separators_(separators), name_(name) {}
  const char* Name() const override { return name_; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), End(key));
  }
  bool InDomain(const rocksdb::Slice& key) const override { return End(key) != 0; }

 private:
  // The length of the prefix, or 0 when `key` has too few separators.
  size_t End(const rocksdb::Slice& key) const {
    int seen = 0;
    for (size_t i = 0; i < key.size(); ++i) {
      if (key[i] == '\0' && ++seen == separators_) return i + 1;
    }
    return 0;
  }

  const int separators_;
  const char* const name_;
};

}  // namespace

std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilyDescriptors(
    const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table_options.block_cache = block_cache;
  const std::shared_ptr<rocksdb::TableFactory> tables(
      rocksdb::NewBlockBasedTableFactory(table_options));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : ColumnFamilyNames()) {
    rocksdb::ColumnFamilyOptions family_options;
    family_options.table_factory = tables;
    if (name == kTagIndexFamily) {
      family_options.prefix_extractor =
          std::make_shared<SeparatedPrefix>(1, "biocorpus.TagPrefix");
    }
    if (name == kCitationIndexFamily) {
      family_options.prefix_extractor =
          std::make_shared<SeparatedPrefix>(2, "biocorpus.CitationPrefix");
    }
    // A document's passages go into the memtable in key order, each insert
    // starting where the previous one went, not from the top of the skip
    // list.
    if (name == kPassagesFamily) {
      family_options.memtable_insert_with_hint_prefix_extractor.reset(
          rocksdb::NewFixedPrefixTransform(kDocumentIdLength));
    }
    // A Bloom filter over each memtable's keys (over prefixes where the
    // family has an extractor): a read looks into only the memtables that
    // may hold its key, where it had searched every skip list in turn.
    family_options.memtable_prefix_bloom_size_ratio = 0.02;
    family_options.memtable_whole_key_filtering = family_options.prefix_extractor == nullptr;
    if (name == kTextIndexFamily) family_options.merge_operator = NewPostingsMergeOperator();
    if (name == kAnalyticsFamily) family_options.merge_operator = NewCounterMergeOperator();
    descriptors.emplace_back(name, family_options);
  }
  return descriptors;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty() && static_cast<unsigned char>(successor.back()) == 0xff) {
    successor.pop_back();
  }
  if (!successor.empty()) successor.back() = static_cast<char>(successor.back() + 1);
  return successor;
}

absl::StatusOr<std::unique_ptr<CorpusDb>> CorpusDb::Open(const CorpusDbOptions& options) {
  using Mode = CorpusDbOptions::Mode;
  rocksdb::Options db_options;
  const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors =
      ColumnFamilyDescriptors(rocksdb::NewLRUCache(options.block_cache_bytes));
  auto corpus = std::unique_ptr<CorpusDb>(new CorpusDb());
  corpus->options_ = options;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status;
  if (options.mode == Mode::kPrimary) {
    db_options.create_if_missing = true;
    db_options.create_missing_column_families = true;
    status = rocksdb::DB::Open(db_options, options.path, descriptors, &corpus->handles_, &db);
    if (!status.ok()) return FromRocksStatus(status, absl::StrCat("opening database ", options.path));
  } else {
    std::vector<std::string> names;
    status = rocksdb::DB::ListColumnFamilies(db_options, options.path, &names);
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("no database at ", options.path, " yet: ", status.ToString()));
    }
    // RocksDB asks secondaries to keep every file open, so that files the
    // primary deletes after a compaction stay readable until the next
    // catch-up.
    db_options.max_open_files = -1;
    if (options.mode == Mode::kSecondary) {
      std::error_code error;
      std::filesystem::create_directories(options.secondary_path, error);
      if (error) {
        return absl::FailedPreconditionError(
            absl::StrCat("cannot create ", options.secondary_path, ": ", error.message()));
      }
      status = rocksdb::DB::OpenAsSecondary(db_options, options.path, options.secondary_path,
                                            descriptors, &corpus->handles_, &db);
    } else {
      if (!options.write_info_log) db_options.info_log = std::make_shared<SilentLogger>();
      status = rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors,
                                            &corpus->handles_, &db);
    }
    if (!status.ok()) {
      return FromRocksStatus(
          status, absl::StrCat("opening ", options.path,
                               options.mode == Mode::kReadOnly ? " read-only" : " as a secondary"));
    }
  }
  corpus->db_.reset(db);
  // Handles come in ColumnFamilyNames() order, "default" first.
  ColumnFamilies& f = corpus->families_;
  f.documents = corpus->handles_[1];
  f.passages = corpus->handles_[2];
  f.tags = corpus->handles_[3];
  f.citations = corpus->handles_[4];
  f.meta = corpus->handles_[5];
  f.text = corpus->handles_[6];
  f.analytics = corpus->handles_[7];
  if (absl::Status s = corpus->CheckSchemaVersion(); !s.ok()) return s;
  return corpus;
}

absl::Status CorpusDb::CheckSchemaVersion() {
  absl::StatusOr<std::string> version = ReadMeta(kSchemaVersionKey);
  if (absl::IsNotFound(version.status())) {
    if (options_.mode != CorpusDbOptions::Mode::kPrimary) return absl::OkStatus();
    // A new database: its text index and counters are complete from the
    // start.
    rocksdb::WriteBatch batch;
    batch.Put(families_.meta, kSchemaVersionKey, kSchemaVersion);
    batch.Put(families_.meta, kTextIndexCompleteKey, "1");
    batch.Put(families_.meta, kAnalyticsCompleteKey, "1");
    return Write(&batch, /*sync=*/true);
  }
  if (!version.ok()) return version.status();
  if (*version != kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat("database ", options_.path,
                                                      " has schema version ", *version,
                                                      "; this build reads version ",
                                                      kSchemaVersion));
  }
  return absl::OkStatus();
}

CorpusDb::~CorpusDb() { Close().IgnoreError(); }

absl::Status CorpusDb::Close() {
  if (db_ == nullptr) return absl::OkStatus();
  for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  handles_.clear();
  families_ = ColumnFamilies();
  const rocksdb::Status status = db_->Close();
  db_.reset();
  return FromRocksStatus(status, absl::StrCat("closing database ", options_.path));
}

absl::Status CorpusDb::CheckDocumentStored(absl::string_view doc_id) const {
  if (db_ == nullptr) return Closed();
  rocksdb::PinnableSlice value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.documents, SliceOf(doc_id), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(DocumentName(doc_id), " is not stored"));
  }
  return FromRocksStatus(status, "reading document");
}

absl::StatusOr<v1::Document> CorpusDb::ReadDocument(absl::string_view doc_id) const {
  if (db_ == nullptr) return Closed();
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.documents, SliceOf(doc_id), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(DocumentName(doc_id), " is not stored"));
  }
  if (!status.ok()) return FromRocksStatus(status, "reading document");
  v1::Document document;
  if (!document.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("stored document ", doc_id, " does not parse"));
  }
  return document;
}

absl::StatusOr<std::vector<std::optional<v1::Document>>> CorpusDb::ReadDocuments(
    const std::vector<std::string>& doc_ids) const {
  if (db_ == nullptr) return Closed();
  std::vector<rocksdb::Slice> keys(doc_ids.begin(), doc_ids.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), families_.documents, keys.size(), keys.data(),
                values.data(), statuses.data());
  std::vector<std::optional<v1::Document>> documents(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocksStatus(statuses[i], "reading documents");
    if (!documents[i].emplace().ParseFromArray(values[i].data(),
                                               static_cast<int>(values[i].size()))) {
      return absl::DataLossError(
          absl::StrCat("stored document ", doc_ids[i], " does not parse"));
    }
  }
  return documents;
}

absl::StatusOr<std::string> CorpusDb::ReadPassageEncoding(absl::string_view position) const {
  if (db_ == nullptr) return Closed();
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.passages, SliceOf(position), &value);
  if (status.IsNotFound()) return absl::NotFoundError("passage is not stored");
  if (!status.ok()) return FromRocksStatus(status, "reading passage");
  return value;
}

absl::StatusOr<v1::Passage> CorpusDb::ReadPassage(absl::string_view position) const {
  absl::StatusOr<std::string> encoding = ReadPassageEncoding(position);
  if (!encoding.ok()) return encoding.status();
  v1::Passage passage;
  if (!passage.ParseFromString(*encoding)) {
    return absl::DataLossError("stored passage does not parse");
  }
  return passage;
}

absl::StatusOr<std::vector<std::string>> CorpusDb::ReadPassageEncodings(
    absl::string_view doc_id, uint32_t first_ordinal, size_t limit) const {
  if (db_ == nullptr) return Closed();
  std::vector<std::string> encodings;
  const rocksdb::Slice prefix = SliceOf(doc_id);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_.passages));
  for (it->Seek(PassageKey(doc_id, first_ordinal));
       it->Valid() && it->key().starts_with(prefix) && encodings.size() < limit; it->Next()) {
    encodings.emplace_back(it->value().data(), it->value().size());
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading passages");
  return encodings;
}

absl::StatusOr<std::vector<v1::Passage>> CorpusDb::ReadPassages(absl::string_view doc_id,
                                                                uint32_t first_ordinal,
                                                                size_t limit) const {
  absl::StatusOr<std::vector<std::string>> encodings =
      ReadPassageEncodings(doc_id, first_ordinal, limit);
  if (!encodings.ok()) return encodings.status();
  std::vector<v1::Passage> passages(encodings->size());
  for (size_t i = 0; i < encodings->size(); ++i) {
    if (!passages[i].ParseFromString((*encodings)[i])) {
      return absl::DataLossError(absl::StrCat("stored passage of ", doc_id, " does not parse"));
    }
  }
  return passages;
}

absl::StatusOr<std::string> CorpusDb::ReadMeta(absl::string_view key) const {
  if (db_ == nullptr) return Closed();
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.meta, SliceOf(key), &value);
  if (status.IsNotFound()) return absl::NotFoundError(absl::StrCat("meta ", key, " is not stored"));
  if (!status.ok()) return FromRocksStatus(status, absl::StrCat("reading meta ", key));
  return value;
}

absl::StatusOr<uint64_t> CorpusDb::ReadCounter(absl::string_view key) const {
  absl::StatusOr<std::string> value = ReadMeta(key);
  if (absl::IsNotFound(value.status()) && db_ != nullptr) return 0;
  if (!value.ok()) return value.status();
  return DecodeCounter(*value);
}

absl::Status CorpusDb::Write(rocksdb::WriteBatch* batch, bool sync) {
  if (db_ == nullptr) return Closed();
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  return FromRocksStatus(db_->Write(write_options, batch), "writing to the database");
}

uint64_t CorpusDb::Sequence() const { return db_ == nullptr ? 0 : db_->GetLatestSequenceNumber(); }

absl::Status CorpusDb::CatchUpWithPrimary() {
  if (db_ == nullptr) return Closed();
  if (options_.mode != CorpusDbOptions::Mode::kSecondary) return absl::OkStatus();
  return FromRocksStatus(db_->TryCatchUpWithPrimary(), "catching up with the primary");
}

void CorpusDb::AppendMetrics(std::string* out) const {
  if (db_ != nullptr) AppendStorageMetrics(db_.get(), families_, out);
}

}  // namespace biocorpus
