#include "corpus/analytics/counter_recount.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/storage/rocks_status.h"

namespace biocorpus {
namespace {

std::string Describe(absl::string_view key) {
  ParsedCounterKey parsed;
  if (!ParseCounterKey(key, &parsed)) return absl::StrCat("unreadable key ", key.size(), " bytes");
  return absl::StrCat(absl::string_view(&parsed.tag, 1), " ", parsed.name, " ", parsed.cell.year,
                      " ", v1::DocumentFormat_Name(parsed.cell.format), " ",
                      parsed.cell.language.empty() ? "-" : parsed.cell.language);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> RecountAnalyticsCounters(const CorpusDb& db,
                                                                  size_t limit) {
  const ColumnFamilies& families = db.families();
  CounterDeltaMap expected;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db.db()->NewIterator(rocksdb::ReadOptions(), families.documents));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::Document document;
      if (!document.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(absl::StrCat("stored document ", it->key().ToString(),
                                                " does not parse"));
      }
      absl::StatusOr<std::vector<v1::Passage>> passages = db.ReadPassages(it->key().ToString());
      if (!passages.ok()) return passages.status();
      AddDocumentCounters(document, *passages, +1, &expected);
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading documents");
  }
  // Drop what sums to nothing, as stored values do.
  for (auto it = expected.begin(); it != expected.end();) {
    CounterEntries& entries = it->second;
    for (auto e = entries.begin(); e != entries.end();) {
      e = e->second == PassageDocumentCounts() ? entries.erase(e) : std::next(e);
    }
    it = entries.empty() ? expected.erase(it) : std::next(it);
  }
  std::vector<std::string> differences;
  auto report = [&](absl::string_view key, const std::string& partner,
                    const PassageDocumentCounts& stored, const PassageDocumentCounts& recounted) {
    if (differences.size() >= limit) return;
    differences.push_back(absl::StrCat(Describe(key), partner.empty() ? "" : " with ", partner,
                                       ": stored passages ", stored.passages, " documents ",
                                       stored.documents, ", recounted ", recounted.passages,
                                       " and ", recounted.documents));
  };
  auto compare = [&](absl::string_view key, const CounterEntries& stored,
                     const CounterEntries* recounted) {
    static const CounterEntries kNone;
    const CounterEntries& want = recounted == nullptr ? kNone : *recounted;
    for (const auto& [partner, counts] : stored) {
      auto w = want.find(partner);
      const PassageDocumentCounts other = w == want.end() ? PassageDocumentCounts() : w->second;
      if (!(counts == other)) report(key, partner, counts, other);
    }
    for (const auto& [partner, counts] : want) {
      if (stored.count(partner) == 0) report(key, partner, PassageDocumentCounts(), counts);
    }
  };
  std::unique_ptr<rocksdb::Iterator> it(
      db.db()->NewIterator(rocksdb::ReadOptions(), families.analytics));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    CounterEntries stored;
    if (!DecodeCounterEntries(absl::string_view(it->value().data(), it->value().size()),
                              &stored)) {
      if (differences.size() < limit) {
        differences.push_back(absl::StrCat(Describe(key), ": the value does not decode"));
      }
      continue;
    }
    auto want = expected.find(key);
    compare(key, stored, want == expected.end() ? nullptr : &want->second);
    if (want != expected.end()) expected.erase(want);
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading analytics counters");
  for (const auto& [key, entries] : expected) compare(key, CounterEntries(), &entries);
  return differences;
}

}  // namespace biocorpus
