#include "corpus/check/consistency_check.h"

#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/analytics/counter_recount.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/rocks_status.h"
#include "corpus/storage/schema.h"
#include "corpus/text/utf8.h"
#include "rocksdb/utilities/backup_engine.h"

namespace biocorpus {
namespace {

constexpr size_t kDocIdSize = 16;

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer: spreads a hash over 64 bits.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashOf(absl::string_view bytes) {
  return Mix(std::hash<std::string_view>{}(std::string_view(bytes.data(), bytes.size())));
}

// A multiset of entries summed: equal sums mean (but for a 2^-64 chance) the
// same entries.
struct EntrySums {
  uint64_t count = 0;
  uint64_t hash = 0;
  void Add(absl::string_view entry) {
    ++count;
    hash += HashOf(entry);
  }
  bool operator==(const EntrySums& o) const { return count == o.count && hash == o.hash; }
};

// A posting as a string of its parts, for summing.
std::string PostingEntry(absl::string_view term_prefix, uint32_t ordinal, uint32_t length,
                         uint32_t count, const std::vector<uint32_t>& positions) {
  std::string entry(term_prefix);
  absl::StrAppend(&entry, ":", ordinal, ":", length, ":", count, ":",
                  absl::StrJoin(positions, ","));
  return entry;
}

struct DocumentState {
  int32_t passage_count = 0;  // As the document records it.
  uint32_t stored_passages = 0;
  bool indexed = false;  // Has a text block.
  uint64_t block = 0;
  EntrySums want_tags, have_tags;
  EntrySums want_citations, have_citations;
  EntrySums want_postings, have_postings;
};

// `bytes` with control bytes (and, unless it is UTF-8, every byte above
// 0x7F) escaped as \xHH.
std::string Printable(absl::string_view bytes) {
  const bool utf8 = ValidateUtf8(bytes).ok();
  std::string out;
  for (char c : bytes) {
    if (absl::ascii_isprint(static_cast<unsigned char>(c)) ||
        (utf8 && static_cast<unsigned char>(c) >= 0x80)) {
      out.push_back(c);
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    }
  }
  return out;
}

class Checker {
 public:
  Checker(const CorpusDb& db, size_t limit, ConsistencyReport* report)
      : db_(db), families_(db.families()), limit_(limit), report_(report) {}

  absl::Status Run() {
    if (absl::Status s = ReadMetaState(); !s.ok()) return s;
    if (absl::Status s = ReadDocuments(); !s.ok()) return s;
    if (absl::Status s = ScanPassages(); !s.ok()) return s;
    if (absl::Status s = ScanTags(); !s.ok()) return s;
    if (absl::Status s = ScanCitations(); !s.ok()) return s;
    if (absl::Status s = ScanText(); !s.ok()) return s;
    ReportOrphans();
    CompareIndexes();
    if (absl::Status s = CheckMeta(); !s.ok()) return s;
    return CheckAnalytics();
  }

 private:
  void Problem(std::string line) {
    if (report_->problems.size() < limit_) {
      report_->problems.push_back(std::move(line));
    } else {
      report_->truncated = true;
    }
  }

  std::unique_ptr<rocksdb::Iterator> Iterate(rocksdb::ColumnFamilyHandle* family) const {
    rocksdb::ReadOptions options;
    options.fill_cache = false;
    options.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(options, family));
    it->SeekToFirst();
    return it;
  }

  absl::Status ReadMetaState() {
    for (const char* key : {kTextIndexCompleteKey, kAnalyticsCompleteKey}) {
      absl::StatusOr<std::string> value = db_.ReadMeta(key);
      if (!value.ok() && !absl::IsNotFound(value.status())) return value.status();
      (key == kTextIndexCompleteKey ? text_complete_ : analytics_complete_) = value.ok();
    }
    return absl::OkStatus();
  }

  // Each document, and what its stored record says every index holds of it.
  absl::Status ReadDocuments() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.documents);
    for (; it->Valid(); it->Next()) {
      const std::string id = it->key().ToString();
      ++report_->documents;
      v1::Document document;
      if (!document.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        Problem(absl::StrCat("documents/", Printable(id), ": the stored record does not parse"));
        continue;
      }
      if (DocIdFromName(document.name()) != id) {
        Problem(absl::StrCat("documents/", Printable(id), ": stored under another id than its name ",
                             document.name()));
      }
      absl::StatusOr<std::vector<v1::Passage>> passages = db_.ReadPassages(id);
      if (!passages.ok()) {
        Problem(absl::StrCat("documents/", id, ": its passages do not read: ",
                             passages.status().message()));
        continue;
      }
      DocumentState& state = documents_[id];
      state.passage_count = document.passage_count();
      for (const std::string& key : TagKeysFor(document, *passages)) state.want_tags.Add(key);
      for (const std::string& key : CitationKeysFor(document, *passages)) {
        state.want_citations.Add(key);
      }
      absl::StatusOr<std::string> block = db_.ReadMeta(TextBlockKey(id));
      if (block.ok()) {
        state.indexed = true;
        for (char c : *block) state.block = (state.block << 8) | static_cast<unsigned char>(c);
        const DocumentTerms terms = TermsOf(document, *passages);
        want_text_tokens_ += terms.passage_tokens;
        for (const auto& [key, postings] : terms.postings) {
          const std::string prefix = TextTermPrefix(key[0], absl::string_view(key).substr(1));
          for (const TextPosting& p : postings) {
            state.want_postings.Add(PostingEntry(prefix, p.ordinal, p.length, p.count,
                                                 p.positions));
          }
        }
      } else if (!absl::IsNotFound(block.status())) {
        return block.status();
      } else if (text_complete_) {
        Problem(absl::StrCat("documents/", id,
                             ": not in the text index, which is marked complete"));
      }
      want_passages_ += passages->size();
      std::map<std::string, bool> in_document;
      for (const v1::DocumentTag& tag : document.tags()) in_document[tag.concept()] = true;
      for (const v1::Passage& passage : *passages) {
        std::map<std::string, bool> in_passage;
        for (const v1::Annotation& a : passage.annotations()) in_passage[a.concept()] = true;
        for (const auto& [concept_id, unused] : in_passage) {
          ++want_meta_[TagPassageCountKey(concept_id)];
          in_document[concept_id] = true;
        }
      }
      for (const auto& [concept_id, unused] : in_document) {
        ++want_meta_[TagDocumentCountKey(concept_id)];
      }
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading documents");
    want_meta_[kDocumentCountKey] = static_cast<int64_t>(documents_.size());
    want_meta_[kPassageCountKey] = static_cast<int64_t>(want_passages_);
    want_meta_[kTextTokenCountKey] = want_text_tokens_;
    return absl::OkStatus();
  }

  // The document an index entry names, or null (reported) when none is
  // stored.
  DocumentState* Owner(absl::string_view family, absl::string_view key, absl::string_view doc_id) {
    auto found = documents_.find(std::string(doc_id));
    if (found != documents_.end()) return &found->second;
    Orphans& orphans = orphans_[{std::string(family), std::string(doc_id)}];
    if (orphans.count++ == 0) orphans.first_key = std::string(key);
    return nullptr;
  }

  // One line per family and document not stored that its entries name.
  void ReportOrphans() {
    for (const auto& [where, orphans] : orphans_) {
      Problem(absl::StrCat(where.first, ": ", orphans.count, orphans.count == 1 ? " entry" : " entries",
                           " (first ", Printable(orphans.first_key), ") name document ",
                           Printable(where.second), ", which is not stored"));
    }
  }

  absl::Status ScanPassages() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.passages);
    for (; it->Valid(); it->Next()) {
      ++report_->passages;
      const absl::string_view key(it->key().data(), it->key().size());
      if (key.size() != kDocIdSize + 4) {
        Problem(absl::StrCat("passages: key ", Printable(key), " has ", key.size(),
                             " bytes, not ", kDocIdSize + 4));
        continue;
      }
      DocumentState* owner = Owner("passages", key, key.substr(0, kDocIdSize));
      if (owner == nullptr) continue;
      ++owner->stored_passages;
      v1::Passage passage;
      if (!passage.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        Problem(absl::StrCat("passages: ", key.substr(0, kDocIdSize), " #",
                             PassageOrdinalFromKey(key), " does not parse"));
      } else if (static_cast<uint32_t>(passage.ordinal()) != PassageOrdinalFromKey(key)) {
        Problem(absl::StrCat("passages: ", key.substr(0, kDocIdSize), " #",
                             PassageOrdinalFromKey(key), " records ordinal ", passage.ordinal()));
      }
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading passages");
    return absl::OkStatus();
  }

  absl::Status ScanTags() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.tags);
    constexpr size_t kTail = 1 + kDocIdSize + 4;  // 0, doc id, ordinal.
    for (; it->Valid(); it->Next()) {
      ++report_->tag_entries;
      const absl::string_view key(it->key().data(), it->key().size());
      if (key.size() <= kTail || key[key.size() - kTail] != '\0') {
        Problem(absl::StrCat("tag_index: key ", Printable(key), " has no concept, 0, doc id, ordinal"));
        continue;
      }
      DocumentState* owner = Owner("tag_index", key, key.substr(key.size() - kTail + 1, kDocIdSize));
      if (owner != nullptr) owner->have_tags.Add(key);
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading tag_index");
    return absl::OkStatus();
  }

  absl::Status ScanCitations() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.citations);
    for (; it->Valid(); it->Next()) {
      ++report_->citation_entries;
      const absl::string_view key(it->key().data(), it->key().size());
      std::optional<CitationKeyParts> parts = DecodeCitationKey(key);
      if (!parts.has_value()) {
        Problem(absl::StrCat("citation_index: key ", Printable(key), " does not decode"));
        continue;
      }
      DocumentState* owner = Owner("citation_index", key, parts->doc_id);
      if (owner != nullptr) owner->have_citations.Add(key);
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading citation_index");
    return absl::OkStatus();
  }

  absl::Status ScanText() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.text);
    std::vector<uint32_t> positions;
    for (; it->Valid(); it->Next()) {
      const absl::string_view key(it->key().data(), it->key().size());
      const absl::string_view value(it->value().data(), it->value().size());
      if (key.size() < 10 || key[key.size() - 9] != '\0') {
        Problem(absl::StrCat("text_index: key ", Printable(key), " has no namespace, term, 0, block"));
        continue;
      }
      if (!value.empty() && value[0] == 'R') continue;  // Removals with nothing left to remove.
      if (value.empty() || value[0] != 'P') {
        Problem(absl::StrCat("text_index: ", Printable(key), " holds no postings"));
        continue;
      }
      const uint64_t block = BlockOfTermKey(key);
      if (block >= text_blocks_seen_) text_blocks_seen_ = block + 1;
      const absl::string_view prefix = key.substr(0, key.size() - 8);
      const bool exact = absl::ascii_isupper(static_cast<unsigned char>(key[0]));
      TextPostingReader reader(value.substr(1), exact);
      while (reader.Next()) {
        ++report_->text_postings;
        positions.clear();
        if (exact && !reader.AppendPositions(&positions)) break;
        DocumentState* owner = Owner("text_index", key, reader.doc_id());
        if (owner == nullptr) continue;
        if (!owner->indexed || owner->block != block) {
          Problem(absl::StrCat("text_index: ", Printable(TermOfKey(key)), " in block ", block,
                               " has a posting of ", reader.doc_id(), ", whose postings are ",
                               owner->indexed ? absl::StrCat("in block ", owner->block)
                                              : std::string("not recorded")));
          continue;
        }
        owner->have_postings.Add(PostingEntry(prefix, reader.ordinal(), reader.length(),
                                              reader.count(), positions));
      }
      if (!reader.ok()) {
        Problem(absl::StrCat("text_index: the postings of ", Printable(key), " do not decode"));
      }
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading text_index");
    return absl::OkStatus();
  }

  // Reports, for each document, an index that holds other entries of it
  // than its record implies (the missing ones named where a point read
  // finds them).
  void CompareIndexes() {
    for (const auto& [id, state] : documents_) {
      if (static_cast<int64_t>(state.stored_passages) != state.passage_count) {
        Problem(absl::StrCat("documents/", id, ": records ", state.passage_count,
                             " passages, ", state.stored_passages, " are stored"));
      }
      Compare(id, "tag_index", state.want_tags, state.have_tags);
      Compare(id, "citation_index", state.want_citations, state.have_citations);
      Compare(id, "text_index", state.want_postings, state.have_postings);
    }
  }

  void Compare(const std::string& id, absl::string_view family, const EntrySums& want,
               const EntrySums& have) {
    if (want == have) return;
    std::string line = absl::StrCat(family, ": document ", id, " has ", have.count,
                                    " entries, its record implies ", want.count);
    if (want.count == have.count) absl::StrAppend(&line, " (other entries)");
    if (family != "text_index") {
      const std::vector<std::string> missing = MissingKeys(id, family);
      if (!missing.empty()) {
        absl::StrAppend(&line, "; missing ", missing.size(), ", first ", Printable(missing[0]));
      }
    }
    Problem(std::move(line));
  }

  std::vector<std::string> MissingKeys(const std::string& id, absl::string_view family) {
    std::vector<std::string> missing;
    absl::StatusOr<v1::Document> document = db_.ReadDocument(id);
    absl::StatusOr<std::vector<v1::Passage>> passages = db_.ReadPassages(id);
    if (!document.ok() || !passages.ok()) return missing;
    const bool tags = family == "tag_index";
    rocksdb::ColumnFamilyHandle* handle = tags ? families_.tags : families_.citations;
    std::string unused;
    for (const std::string& key : tags ? TagKeysFor(*document, *passages)
                                       : CitationKeysFor(*document, *passages)) {
      if (db_.db()->Get(rocksdb::ReadOptions(), handle, key, &unused).IsNotFound()) {
        missing.push_back(key);
      }
    }
    return missing;
  }

  absl::Status CheckMeta() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.meta);
    const std::string block_prefix = TextBlockKey("");
    uint64_t text_blocks = 0;
    bool text_blocks_recorded = false;
    for (; it->Valid(); it->Next()) {
      const std::string key = it->key().ToString();
      const absl::string_view value(it->value().data(), it->value().size());
      if (absl::StartsWith(key, block_prefix)) {
        const std::string id = key.substr(block_prefix.size());
        if (documents_.count(id) == 0) {
          Problem(absl::StrCat("meta: ", key, " records the text block of a document not stored"));
        }
        continue;
      }
      if (key == kTextBlockCountKey) {
        text_blocks = DecodeCounter(value);
        text_blocks_recorded = true;
      }
      const bool counted = want_meta_.count(key) > 0 ||
                           absl::StartsWith(key, kTagPassageCountPrefix) ||
                           absl::StartsWith(key, kTagDocumentCountPrefix);
      if (!counted) continue;
      ++report_->meta_counters;
      if (value.size() != 8) {
        Problem(absl::StrCat("meta: counter ", key, " is ", value.size(), " bytes, not 8"));
        continue;
      }
      seen_meta_[key] = static_cast<int64_t>(DecodeCounter(value));
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading meta");
    for (const auto& [key, want] : want_meta_) {
      auto seen = seen_meta_.find(key);
      const int64_t have = seen == seen_meta_.end() ? 0 : seen->second;
      if (have != want) {
        Problem(absl::StrCat("meta: counter ", key, " is ", have, ", a recount gives ", want));
      }
    }
    for (const auto& [key, have] : seen_meta_) {
      if (want_meta_.count(key) == 0 && have != 0) {
        Problem(absl::StrCat("meta: counter ", key, " is ", have, ", a recount gives 0"));
      }
    }
    if (text_blocks_seen_ > 0 && (!text_blocks_recorded || text_blocks < text_blocks_seen_)) {
      Problem(absl::StrCat("meta: ", kTextBlockCountKey, " is ", text_blocks,
                           ", but block ", text_blocks_seen_ - 1, " is written"));
    }
    if (!text_complete_) {
      report_->notes.push_back(
          "the text index is still being built: documents without postings are not counted as "
          "problems");
    }
    return absl::OkStatus();
  }

  absl::Status CheckAnalytics() {
    std::unique_ptr<rocksdb::Iterator> it = Iterate(families_.analytics);
    for (; it->Valid(); it->Next()) ++report_->analytics_counters;
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading analytics");
    if (!analytics_complete_) {
      report_->notes.push_back(
          "the analytics counters are still being counted: they are not compared with a recount");
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<std::string>> differences =
        RecountAnalyticsCounters(db_, limit_ + 1);
    if (!differences.ok()) return differences.status();
    for (std::string& line : *differences) Problem(absl::StrCat("analytics: ", line));
    return absl::OkStatus();
  }

  const CorpusDb& db_;
  const ColumnFamilies& families_;
  const size_t limit_;
  ConsistencyReport* report_;
  bool text_complete_ = false;
  bool analytics_complete_ = false;
  std::unordered_map<std::string, DocumentState> documents_;
  uint64_t want_passages_ = 0;
  int64_t want_text_tokens_ = 0;
  uint64_t text_blocks_seen_ = 0;
  std::map<std::string, int64_t> want_meta_;
  std::map<std::string, int64_t> seen_meta_;
  struct Orphans {
    uint64_t count = 0;
    std::string first_key;
  };
  std::map<std::pair<std::string, std::string>, Orphans> orphans_;  // By family, doc id.
};

}  // namespace

absl::StatusOr<ConsistencyReport> CheckConsistency(const CorpusDb& db, size_t limit) {
  if (!db.is_open()) return absl::FailedPreconditionError("database is closed");
  ConsistencyReport report;
  Checker checker(db, limit, &report);
  if (absl::Status s = checker.Run(); !s.ok()) return s;
  return report;
}

absl::StatusOr<std::unique_ptr<CorpusDb>> OpenForCheck(const std::string& dir) {
  CorpusDbOptions options;
  options.path = dir;
  options.mode = CorpusDbOptions::Mode::kReadOnly;
  options.write_info_log = false;
  return CorpusDb::Open(options);
}

absl::StatusOr<ConsistencyReport> CheckSnapshot(const std::string& snapshot_dir,
                                                uint32_t snapshot_id, size_t limit,
                                                uint32_t* checked) {
  rocksdb::BackupEngineReadOnly* opened = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngineReadOnly::Open(
      rocksdb::BackupEngineOptions(snapshot_dir), rocksdb::Env::Default(), &opened);
  if (!status.ok()) return FromRocksStatus(status, absl::StrCat("opening ", snapshot_dir));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(opened);
  if (snapshot_id == 0) {
    rocksdb::BackupInfo latest;
    if (!engine->GetLatestBackupInfo(&latest).ok()) {
      return absl::NotFoundError(absl::StrCat("no snapshot in ", snapshot_dir));
    }
    snapshot_id = latest.backup_id;
  }
  *checked = snapshot_id;
  std::error_code error;
  std::string target =
      (std::filesystem::temp_directory_path(error) / "biocorpus-check-XXXXXX").string();
  if (mkdtemp(target.data()) == nullptr) {
    return absl::FailedPreconditionError("cannot create a temporary directory");
  }
  absl::StatusOr<ConsistencyReport> report;
  status = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), snapshot_id, target, target);
  if (!status.ok()) {
    report = FromRocksStatus(status, absl::StrCat("restoring snapshot ", snapshot_id));
  } else if (absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenForCheck(target); !db.ok()) {
    report = db.status();
  } else {
    report = CheckConsistency(**db, limit);
  }
  std::filesystem::remove_all(target, error);
  return report;
}

std::string FormatConsistencyReport(const ConsistencyReport& report) {
  std::string out;
  for (const std::string& line : report.problems) absl::StrAppend(&out, "problem: ", line, "\n");
  if (report.truncated) absl::StrAppend(&out, "problem: ... (more problems not listed)\n");
  for (const std::string& line : report.notes) absl::StrAppend(&out, "note: ", line, "\n");
  absl::StrAppend(&out, report.ok() ? "consistent: " : "INCONSISTENT: ", report.documents,
                  " documents, ", report.passages, " passages, ", report.tag_entries,
                  " tag entries, ", report.citation_entries, " citation entries, ",
                  report.text_postings, " postings, ", report.meta_counters, " meta counters, ",
                  report.analytics_counters, " analytics counters; ",
                  report.problems.size() + (report.truncated ? 1 : 0) == 0
                      ? std::string("no problems")
                      : absl::StrCat(report.problems.size(), report.truncated ? "+" : "",
                                     " problems"),
                  "\n");
  return out;
}

}  // namespace biocorpus
