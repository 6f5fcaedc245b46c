#include "query_service/store/corpus_reader.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <queue>

#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/prometheus_text.h"
#include "corpus/storage/schema.h"
#include "corpus/storage/storage_metrics.h"
#include "rocksdb/options.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

bool Matches(const v1::Document& doc, const DocumentFilter& filter) {
  if (filter.format != v1::DOCUMENT_FORMAT_UNSPECIFIED &&
      doc.format() != filter.format) {
    return false;
  }
  if (filter.year_min != 0 && doc.year() < filter.year_min) return false;
  if (filter.year_max != 0 && (doc.year() == 0 || doc.year() > filter.year_max)) {
    return false;
  }
  if (!filter.author.empty()) {
    bool found = false;
    for (const v1::Author& author : doc.authors()) {
      if (NormalizeForMatching(author.family()) == filter.author) found = true;
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CorpusReader>> CorpusReader::Open(
    const CorpusReaderOptions& options) {
  std::error_code error;
  if (!options.read_only) std::filesystem::create_directories(options.secondary_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", options.secondary_dir, ": ",
                     error.message()));
  }
  rocksdb::Options db_options;
  // RocksDB asks secondaries to keep every file open, so that files the
  // primary deletes after a compaction stay readable until the next catch-up.
  db_options.max_open_files = -1;
  std::vector<std::string> names;
  rocksdb::Status status =
      rocksdb::DB::ListColumnFamilies(db_options, options.data_dir, &names);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "no database at ", options.data_dir, " yet: ", status.ToString()));
  }
  auto reader = std::unique_ptr<CorpusReader>(new CorpusReader());
  reader->options_ = options;
  rocksdb::DB* db = nullptr;
  status = options.read_only
               ? rocksdb::DB::OpenForReadOnly(db_options, options.data_dir,
                                              ColumnFamilyDescriptors(), &reader->handles_,
                                              &db)
               : rocksdb::DB::OpenAsSecondary(db_options, options.data_dir,
                                              options.secondary_dir, ColumnFamilyDescriptors(),
                                              &reader->handles_, &db);
  if (!status.ok()) {
    return FromRocksStatus(status, absl::StrCat("opening ", options.data_dir,
                                                options.read_only ? " read-only"
                                                                  : " as a secondary"));
  }
  reader->db_.reset(db);
  reader->families_ = ColumnFamilies::From(reader->handles_);
  reader->RefreshVocabulary();
  if (!options.read_only) {
    // Opening reads the primary's current state: a first catch-up.
    reader->caught_up_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
    reader->catch_up_thread_ = std::thread([r = reader.get()] { r->CatchUpLoop(); });
  }
  return reader;
}

CorpusReader::~CorpusReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (catch_up_thread_.joinable()) catch_up_thread_.join();
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  if (db_ != nullptr) db_->Close().PermitUncheckedError();
}

void CorpusReader::CatchUpLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    stop_cv_.wait_for(lock,
                      std::chrono::milliseconds(options_.catch_up_interval_ms),
                      [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (absl::Status status = CatchUp(); !status.ok()) {
      spdlog::warn("catching up with the primary: {}", status.ToString());
    }
    lock.lock();
  }
}

absl::Status CorpusReader::CatchUp() {
  if (options_.read_only) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(catch_up_mu_);
  absl::Status status = FromRocksStatus(db_->TryCatchUpWithPrimary(),
                                        "catching up with the primary");
  if (status.ok()) {
    caught_up_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
    RefreshVocabulary();
  }
  return status;
}

void CorpusReader::RefreshVocabulary() {
  std::string version;
  if (!db_->Get(rocksdb::ReadOptions(), families_.meta, kVocabularyVersionKey, &version).ok()) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(vocabulary_mu_);
    if (vocabulary_ != nullptr && vocabulary_->version() == version) return;
  }
  std::string text;
  if (!db_->Get(rocksdb::ReadOptions(), families_.meta, kVocabularyTextKey, &text).ok()) return;
  absl::StatusOr<std::shared_ptr<const Vocabulary>> parsed =
      Vocabulary::Parse(text, "recorded vocabulary");
  if (!parsed.ok()) {
    spdlog::error("{}", parsed.status().ToString());
    return;
  }
  spdlog::info("vocabulary version {} ({} concepts)", (*parsed)->version(),
               (*parsed)->concepts().size());
  std::lock_guard<std::mutex> lock(vocabulary_mu_);
  vocabulary_ = std::move(*parsed);
}

absl::StatusOr<std::shared_ptr<const Vocabulary>> CorpusReader::vocabulary() const {
  std::lock_guard<std::mutex> lock(vocabulary_mu_);
  if (vocabulary_ == nullptr) {
    return absl::FailedPreconditionError(
        "the ingest service has not recorded a vocabulary yet");
  }
  return vocabulary_;
}

bool CorpusReader::HasTag(const std::string& concept_id,
                          absl::string_view position) const {
  std::string ignored;
  return db_->Get(rocksdb::ReadOptions(), families_.tags,
                  absl::StrCat(TagPrefix(concept_id), position), &ignored)
      .ok();
}

absl::Status CorpusReader::ForEachPosition(
    rocksdb::ColumnFamilyHandle* family, const std::vector<std::string>& prefixes,
    absl::string_view after, const std::function<bool(const std::string&)>& visit) const {
  // A k-way merge of the prefixes' key ranges by what follows the prefix.
  struct Cursor {
    std::string prefix;
    std::unique_ptr<rocksdb::Iterator> it;
  };
  std::vector<Cursor> cursors;
  using Entry = std::pair<std::string, size_t>;  // position, cursor
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto push = [&](size_t i) {
    Cursor& c = cursors[i];
    if (c.it->Valid() && c.it->key().starts_with(c.prefix)) {
      heap.push({c.it->key().ToString().substr(c.prefix.size()), i});
    }
  };
  for (const std::string& prefix : prefixes) {
    Cursor cursor{prefix, std::unique_ptr<rocksdb::Iterator>(
                              db_->NewIterator(rocksdb::ReadOptions(), family))};
    const std::string start = prefix + std::string(after);
    cursor.it->Seek(start);
    if (!after.empty() && cursor.it->Valid() && cursor.it->key() == rocksdb::Slice(start)) {
      cursor.it->Next();
    }
    cursors.push_back(std::move(cursor));
    push(cursors.size() - 1);
  }
  std::string last;
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    cursors[top.second].it->Next();
    push(top.second);
    if (top.first == last) continue;  // The same position under two prefixes.
    last = top.first;
    if (!visit(top.first)) break;
  }
  for (const Cursor& c : cursors) {
    if (!c.it->status().ok()) return FromRocksStatus(c.it->status(), "reading an index");
  }
  return absl::OkStatus();
}

absl::StatusOr<Page<v1::Passage>> CorpusReader::SearchPassages(
    const PassageSearch& search, int page_size, absl::string_view after) const {
  Page<v1::Passage> page;
  if (search.groups.empty()) return page;
  // Candidates come from every group (ANY) or from the first (ALL, where the
  // other groups are checked per passage).
  std::vector<std::string> prefixes;
  for (size_t g = 0; g < (search.match_all ? 1 : search.groups.size()); ++g) {
    for (const std::string& c : search.groups[g]) prefixes.push_back(TagPrefix(c));
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());

  std::map<std::string, std::optional<v1::Document>> documents;  // By id.
  std::string last;
  int examined = 0;
  bool more = false;
  absl::Status failure;
  absl::Status status = ForEachPosition(families_.tags, prefixes, after, [&](const std::string& position) {
    if (static_cast<int>(page.items.size()) == page_size || examined >= search.max_examined) {
      more = true;
      return false;
    }
    last = position;
    ++examined;
    if (position.size() != kDocumentIdLength + 4) return true;
    if (PassageOrdinalFromKey(position) == kDocumentLevelOrdinal) return true;
    if (search.match_all) {
      for (size_t g = 1; g < search.groups.size(); ++g) {
        if (!std::any_of(search.groups[g].begin(), search.groups[g].end(),
                         [&](const std::string& c) { return HasTag(c, position); })) {
          return true;
        }
      }
    }
    const std::string doc_id = position.substr(0, kDocumentIdLength);
    auto cached = documents.find(doc_id);
    if (cached == documents.end()) {
      absl::StatusOr<v1::Document> document = GetDocument(doc_id);
      std::optional<v1::Document> kept;
      if (document.ok() && Matches(*document, search.documents)) kept = std::move(*document);
      cached = documents.emplace(doc_id, std::move(kept)).first;
    }
    if (!cached->second.has_value()) return true;
    absl::StatusOr<v1::Passage> passage = ReadPassage(db_.get(), families_, position);
    if (absl::IsNotFound(passage.status())) return true;  // Deleted meanwhile.
    if (!passage.ok()) {
      failure = passage.status();
      return false;
    }
    if (search.type != v1::PASSAGE_TYPE_UNSPECIFIED && passage->type() != search.type) {
      return true;
    }
    page.items.push_back(std::move(*passage));
    return true;
  });
  if (!status.ok()) return status;
  if (!failure.ok()) return failure;
  if (more) page.next_after = last;
  return page;
}

absl::StatusOr<Page<v1::Passage>> CorpusReader::ListCitingPassages(
    const std::vector<std::string>& prefixes, int page_size, absl::string_view after) const {
  Page<v1::Passage> page;
  std::string last;
  bool more = false;
  absl::Status failure;
  absl::Status status = ForEachPosition(families_.citations, prefixes, after, [&](const std::string& position) {
    if (static_cast<int>(page.items.size()) == page_size) {
      more = true;
      return false;
    }
    last = position;
    // Entries without an ordinal are documents' own records, not citations.
    if (position.size() != kDocumentIdLength + 4) return true;
    absl::StatusOr<v1::Passage> passage = ReadPassage(db_.get(), families_, position);
    if (absl::IsNotFound(passage.status())) return true;
    if (!passage.ok()) {
      failure = passage.status();
      return false;
    }
    page.items.push_back(std::move(*passage));
    return true;
  });
  if (!status.ok()) return status;
  if (!failure.ok()) return failure;
  if (more) page.next_after = last;
  return page;
}

absl::StatusOr<std::vector<std::string>> CorpusReader::OwnRecords(
    const std::string& prefix, bool exact, int limit) const {
  std::vector<std::string> ids;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), families_.citations));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) &&
                         static_cast<int>(ids.size()) < limit;
       it->Next()) {
    const std::string key = it->key().ToString();
    // Own records end "\0" + doc id; with an exact prefix nothing else follows.
    if (key.size() < prefix.size() + kDocumentIdLength) continue;
    if (exact && key.size() != prefix.size() + kDocumentIdLength) continue;
    if (!exact && key[key.size() - kDocumentIdLength - 1] != '\0') continue;
    std::string id = key.substr(key.size() - kDocumentIdLength);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading citation index");
  return ids;
}

void CorpusReader::AppendMetrics(std::string* out) const {
  AppendStorageMetrics(db_.get(), families_, out);
  if (!options_.read_only) {
    const int64_t at = caught_up_at_.load();
    const double age =
        at == 0 ? -1
                : std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch() -
                                                std::chrono::steady_clock::duration(at))
                      .count();
    AppendGauge("biocorpus_query_catch_up_age_seconds",
                "Seconds since the secondary last caught up with the primary (-1: not yet).", age,
                out);
  }
}

uint64_t CorpusReader::Sequence() const { return db_->GetLatestSequenceNumber(); }

absl::Status CorpusReader::WaitForSequence(uint64_t sequence,
                                           std::chrono::steady_clock::time_point deadline) {
  if (options_.read_only && Sequence() < sequence) {
    return absl::UnavailableError(absl::StrCat(
        "this replica serves a snapshot at commit ", Sequence(), ", older than commit ",
        sequence, "; retry (another replica, or after the next snapshot is published)"));
  }
  while (Sequence() < sequence) {
    if (std::chrono::steady_clock::now() < deadline) {
      if (absl::Status status = CatchUp(); !status.ok()) return status;
      if (Sequence() >= sequence) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::UnavailableError(absl::StrCat(
          "not caught up with commit ", sequence, " yet (at ", Sequence(),
          "); retry, or send the request later"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, TagCounts>> CorpusReader::ListTagCounts() const {
  std::map<std::string, TagCounts> counts;
  for (const bool passages : {true, false}) {
    const std::string prefix = passages ? kTagPassageCountPrefix : kTagDocumentCountPrefix;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), families_.meta));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      TagCounts& c = counts[it->key().ToString().substr(prefix.size())];
      const int64_t value = static_cast<int64_t>(
          DecodeCounter(absl::string_view(it->value().data(), it->value().size())));
      (passages ? c.passages : c.documents) = value;
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading tag counts");
  }
  return counts;
}

absl::StatusOr<v1::Document> CorpusReader::GetDocument(
    absl::string_view doc_id) const {
  return ReadDocument(db_.get(), families_, doc_id);
}

absl::StatusOr<Page<v1::Document>> CorpusReader::ListDocuments(
    const DocumentFilter& filter, int page_size,
    absl::string_view after_id) const {
  Page<v1::Document> page;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_.documents));
  if (after_id.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(rocksdb::Slice(after_id.data(), after_id.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(after_id.data(), after_id.size())) {
      it->Next();
    }
  }
  for (; it->Valid(); it->Next()) {
    v1::Document document;
    if (!document.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "stored document ", it->key().ToString(), " does not parse"));
    }
    if (!Matches(document, filter)) continue;
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_after = DocIdFromName(page.items.back().name());
      break;
    }
    page.items.push_back(std::move(document));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing documents");
  return page;
}

absl::StatusOr<Page<v1::Passage>> CorpusReader::ListPassages(
    absl::string_view doc_id, int page_size, int64_t after_ordinal) const {
  if (absl::StatusOr<v1::Document> doc = GetDocument(doc_id); !doc.ok()) {
    return doc.status();
  }
  // One more than a page tells whether there is a next one.
  absl::StatusOr<std::vector<v1::Passage>> passages =
      ReadPassages(db_.get(), families_, doc_id, static_cast<uint32_t>(after_ordinal + 1),
                   static_cast<size_t>(page_size) + 1);
  if (!passages.ok()) return passages.status();
  Page<v1::Passage> page;
  page.items = std::move(*passages);
  if (static_cast<int>(page.items.size()) > page_size) {
    page.items.pop_back();
    page.next_after = absl::StrCat(page.items.back().ordinal());
  }
  return page;
}

absl::StatusOr<uint64_t> CorpusReader::DocumentCount() const {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.meta, kDocumentCountKey, &value);
  if (status.IsNotFound()) return 0;
  if (!status.ok()) return FromRocksStatus(status, "reading document count");
  return DecodeCounter(value);
}

}  // namespace biocorpus
