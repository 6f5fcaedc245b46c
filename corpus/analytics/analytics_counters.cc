#include "corpus/analytics/analytics_counters.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/model/varint.h"

namespace biocorpus {
namespace {

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void AppendYear(int32_t year, std::string* out) {
  const uint32_t biased = static_cast<uint32_t>(year) ^ 0x80000000u;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((biased >> shift) & 0xFF));
  }
}

int32_t ReadYear(absl::string_view four) {
  uint32_t biased = 0;
  for (char c : four) biased = (biased << 8) | static_cast<unsigned char>(c);
  return static_cast<int32_t>(biased ^ 0x80000000u);
}

bool ParseCell(absl::string_view in, CounterCell* cell) {
  if (in.size() < 5) return false;
  cell->year = ReadYear(in.substr(0, 4));
  cell->format = static_cast<v1::DocumentFormat>(static_cast<unsigned char>(in[4]));
  cell->language = std::string(in.substr(5));
  return true;
}

// One entry of a value, its partner still in the value's bytes.
struct EntryView {
  absl::string_view partner;
  PassageDocumentCounts counts;
};

// Appends the entries of `value` to `out`; false when it does not decode.
bool AppendEntryViews(absl::string_view value, std::vector<EntryView>* out) {
  while (!value.empty()) {
    uint64_t length = 0, passages = 0, documents = 0;
    if (!ReadVarint(&value, &length) || length > value.size()) return false;
    EntryView entry;
    entry.partner = value.substr(0, length);
    value.remove_prefix(length);
    if (!ReadVarint(&value, &passages) || !ReadVarint(&value, &documents)) return false;
    entry.counts.passages = UnZigZag(passages);
    entry.counts.documents = UnZigZag(documents);
    out->push_back(entry);
  }
  return true;
}

void AppendEntry(absl::string_view partner, const PassageDocumentCounts& counts,
                 std::string* out) {
  if (counts.passages == 0 && counts.documents == 0) return;
  AppendVarint(partner.size(), out);
  out->append(partner.data(), partner.size());
  AppendVarint(ZigZag(counts.passages), out);
  AppendVarint(ZigZag(counts.documents), out);
}

// The sum of `values`, encoded: entries sorted by partner, the counts of
// one partner added up, zeros left out.
bool SumValues(const std::vector<absl::string_view>& values, std::string* out) {
  std::vector<EntryView> entries;
  for (absl::string_view value : values) {
    if (!AppendEntryViews(value, &entries)) return false;
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const EntryView& a, const EntryView& b) { return a.partner < b.partner; });
  out->clear();
  for (size_t i = 0; i < entries.size();) {
    PassageDocumentCounts sum;
    size_t j = i;
    for (; j < entries.size() && entries[j].partner == entries[i].partner; ++j) {
      sum.passages += entries[j].counts.passages;
      sum.documents += entries[j].counts.documents;
    }
    AppendEntry(entries[i].partner, sum, out);
    i = j;
  }
  return true;
}

// Sums every operand (and the existing value) into one value. An operand
// that does not decode is a corruption, which the merge reports.
class CounterMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::vector<absl::string_view> values;
    values.reserve(in.operand_list.size() + 1);
    if (in.existing_value != nullptr) values.push_back(ToView(*in.existing_value));
    for (const rocksdb::Slice& operand : in.operand_list) values.push_back(ToView(operand));
    return SumValues(values, &out->new_value);
  }

  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operands, std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    std::vector<absl::string_view> values;
    values.reserve(operands.size());
    for (const rocksdb::Slice& operand : operands) values.push_back(ToView(operand));
    return SumValues(values, new_value);
  }

  const char* Name() const override { return "biocorpus.CounterSum"; }

 private:
  static absl::string_view ToView(const rocksdb::Slice& s) { return {s.data(), s.size()}; }
};

}  // namespace

std::string EncodeCell(const CounterCell& cell) {
  std::string out;
  AppendYear(cell.year, &out);
  out.push_back(static_cast<char>(static_cast<unsigned char>(cell.format)));
  out.append(cell.language);
  return out;
}

std::string TotalCounterKey(const CounterCell& cell) {
  return absl::StrCat(absl::string_view(&kTotalCounterTag, 1), EncodeCell(cell));
}

std::string SourceTagCounterPrefix(absl::string_view tag) {
  std::string key(1, kSourceTagCounterTag);
  key.append(tag.data(), tag.size());
  key.push_back('\0');
  return key;
}

std::string SourceTagCounterKey(absl::string_view tag, const CounterCell& cell) {
  return absl::StrCat(SourceTagCounterPrefix(tag), EncodeCell(cell));
}

std::string CategoryCounterPrefix(v1::ConceptCategory category) {
  std::string key(1, kCategoryCounterTag);
  key.push_back(static_cast<char>(static_cast<unsigned char>(category)));
  return key;
}

std::string CategoryCounterKey(v1::ConceptCategory category, const CounterCell& cell) {
  return absl::StrCat(CategoryCounterPrefix(category), EncodeCell(cell));
}

std::string ConceptCounterPrefix(absl::string_view concept_id) {
  std::string key(1, kConceptCounterTag);
  key.append(concept_id.data(), concept_id.size());
  key.push_back('\0');
  return key;
}

std::string ConceptCounterKey(absl::string_view concept_id, const CounterCell& cell) {
  return absl::StrCat(ConceptCounterPrefix(concept_id), EncodeCell(cell));
}

bool ParseCounterKey(absl::string_view key, ParsedCounterKey* out) {
  if (key.empty()) return false;
  *out = ParsedCounterKey();
  out->tag = key.front();
  absl::string_view rest = key.substr(1);
  switch (out->tag) {
    case kTotalCounterTag:
      return ParseCell(rest, &out->cell);
    case kCategoryCounterTag:
      if (rest.empty()) return false;
      out->name = absl::StrCat(static_cast<unsigned char>(rest.front()));
      return ParseCell(rest.substr(1), &out->cell);
    case kSourceTagCounterTag:
    case kConceptCounterTag: {
      const size_t zero = rest.find('\0');
      if (zero == absl::string_view::npos) return false;
      out->name = std::string(rest.substr(0, zero));
      rest.remove_prefix(zero + 1);
      return ParseCell(rest, &out->cell);
    }
    default:
      return false;
  }
}

std::string EncodeCounterEntries(const CounterEntries& entries) {
  std::string out;
  for (const auto& [partner, counts] : entries) AppendEntry(partner, counts, &out);
  return out;
}

bool DecodeCounterEntries(absl::string_view value, CounterEntries* out) {
  out->clear();
  std::vector<EntryView> entries;
  if (!AppendEntryViews(value, &entries)) return false;
  for (const EntryView& entry : entries) {
    PassageDocumentCounts& counts = (*out)[std::string(entry.partner)];
    counts.passages += entry.counts.passages;
    counts.documents += entry.counts.documents;
  }
  return true;
}

bool DecodeOwnCounts(absl::string_view value, PassageDocumentCounts* out) {
  *out = PassageDocumentCounts();
  if (value.empty()) return true;
  uint64_t length = 0, passages = 0, documents = 0;
  if (!ReadVarint(&value, &length) || length > value.size()) return false;
  if (length != 0) return true;  // Entries are sorted: "" would come first.
  if (!ReadVarint(&value, &passages) || !ReadVarint(&value, &documents)) return false;
  out->passages = UnZigZag(passages);
  out->documents = UnZigZag(documents);
  return true;
}

std::shared_ptr<rocksdb::MergeOperator> NewCounterMergeOperator() {
  return std::make_shared<CounterMergeOperator>();
}

void EncodedCounters::Append(const EncodedCounters& other) {
  for (const auto& [key, value] : other.values) values[key].append(value);
}

void AppendDocumentCounters(const v1::Document& document,
                            const std::vector<v1::Passage>& passages, int sign,
                            EncodedCounters* out) {
  CounterCell cell;
  cell.year = document.year();
  cell.format = document.format();
  cell.language = document.language();
  const std::string encoded_cell = EncodeCell(cell);
  auto append = [&](const std::string& key, absl::string_view partner, int64_t p, int64_t d) {
    AppendEntry(partner, PassageDocumentCounts{sign * p, sign * d}, &out->values[key]);
  };
  const int64_t passage_count = static_cast<int64_t>(passages.size());
  append(absl::StrCat(absl::string_view(&kTotalCounterTag, 1), encoded_cell), "", passage_count, 1);
  for (const std::string& tag : std::set<std::string>(document.source_tags().begin(),
                                                      document.source_tags().end())) {
    append(absl::StrCat(SourceTagCounterPrefix(tag), encoded_cell), "", passage_count, 1);
  }
  // Every concept of the document in id order, numbered.
  std::map<absl::string_view, v1::ConceptCategory> in_document;
  for (const v1::DocumentTag& tag : document.tags()) in_document.emplace(tag.concept(), tag.category());
  for (const v1::Passage& passage : passages) {
    for (const v1::Annotation& a : passage.annotations()) in_document.emplace(a.concept(), a.category());
  }
  std::vector<absl::string_view> concepts;
  concepts.reserve(in_document.size());
  for (const auto& [concept_id, category] : in_document) concepts.push_back(concept_id);
  const size_t n = concepts.size();
  auto number = [&](absl::string_view id) {
    return static_cast<size_t>(std::lower_bound(concepts.begin(), concepts.end(), id) -
                               concepts.begin());
  };
  // Passages per concept, per category, and per pair (a < b at a * n + b).
  std::vector<int64_t> concept_passages(n, 0);
  std::map<size_t, int64_t> pair_passages;
  std::map<v1::ConceptCategory, int64_t> category_passages;
  std::vector<size_t> in_passage;
  for (const v1::Passage& passage : passages) {
    in_passage.clear();
    std::set<v1::ConceptCategory> categories;
    for (const v1::Annotation& a : passage.annotations()) {
      in_passage.push_back(number(a.concept()));
      categories.insert(a.category());
    }
    std::sort(in_passage.begin(), in_passage.end());
    in_passage.erase(std::unique(in_passage.begin(), in_passage.end()), in_passage.end());
    for (size_t i = 0; i < in_passage.size(); ++i) {
      ++concept_passages[in_passage[i]];
      if (n > kMaxConceptsForPairs) continue;
      for (size_t j = i + 1; j < in_passage.size(); ++j) {
        ++pair_passages[in_passage[i] * n + in_passage[j]];
      }
    }
    for (v1::ConceptCategory category : categories) ++category_passages[category];
  }
  std::set<v1::ConceptCategory> categories;
  for (const auto& [concept_id, category] : in_document) categories.insert(category);
  for (v1::ConceptCategory category : categories) {
    append(absl::StrCat(CategoryCounterPrefix(category), encoded_cell), "",
           category_passages[category], 1);
  }
  auto pair = pair_passages.begin();
  for (size_t a = 0; a < n; ++a) {
    std::string& value = out->values[absl::StrCat(ConceptCounterPrefix(concepts[a]), encoded_cell)];
    AppendEntry("", PassageDocumentCounts{sign * concept_passages[a], sign}, &value);
    if (n > kMaxConceptsForPairs) continue;
    for (size_t b = a + 1; b < n; ++b) {
      int64_t together = 0;
      if (pair != pair_passages.end() && pair->first == a * n + b) {
        together = pair->second;
        ++pair;
      }
      AppendEntry(concepts[b], PassageDocumentCounts{sign * together, sign}, &value);
    }
  }
}

void AddDocumentCounters(const v1::Document& document, const std::vector<v1::Passage>& passages,
                         int sign, CounterDeltaMap* deltas) {
  EncodedCounters encoded;
  AppendDocumentCounters(document, passages, sign, &encoded);
  for (const auto& [key, value] : encoded.values) {
    CounterEntries entries;
    DecodeCounterEntries(value, &entries);
    CounterEntries& sum = (*deltas)[key];
    for (const auto& [partner, counts] : entries) {
      sum[partner].passages += counts.passages;
      sum[partner].documents += counts.documents;
    }
  }
}

void MergeCounterDeltas(const EncodedCounters& deltas, rocksdb::ColumnFamilyHandle* family,
                        rocksdb::WriteBatch* batch) {
  for (const auto& [key, value] : deltas.values) {
    if (!value.empty()) batch->Merge(family, key, value);
  }
}

}  // namespace biocorpus
