#include "corpus/analytics/analytics_counters.h"

#include <deque>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace biocorpus {
namespace {

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(absl::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

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

void AddEntries(const CounterEntries& from, CounterEntries* to) {
  for (const auto& [partner, counts] : from) {
    PassageDocumentCounts& sum = (*to)[partner];
    sum.passages += counts.passages;
    sum.documents += counts.documents;
  }
}

// Sums every operand (and the existing value) into one value. An operand
// that does not decode is a corruption, which the merge reports.
class CounterMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    CounterEntries sum;
    if (in.existing_value != nullptr) {
      CounterEntries existing;
      if (!DecodeCounterEntries(ToView(*in.existing_value), &existing)) return false;
      AddEntries(existing, &sum);
    }
    for (const rocksdb::Slice& operand : in.operand_list) {
      CounterEntries entries;
      if (!DecodeCounterEntries(ToView(operand), &entries)) return false;
      AddEntries(entries, &sum);
    }
    out->new_value = EncodeCounterEntries(sum);
    return true;
  }

  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operands, std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    CounterEntries sum;
    for (const rocksdb::Slice& operand : operands) {
      CounterEntries entries;
      if (!DecodeCounterEntries(ToView(operand), &entries)) return false;
      AddEntries(entries, &sum);
    }
    *new_value = EncodeCounterEntries(sum);
    return true;
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

std::string PairCounterPrefix(absl::string_view concept_id) {
  std::string key(1, kPairCounterTag);
  key.append(concept_id.data(), concept_id.size());
  key.push_back('\0');
  return key;
}

std::string PairCounterKey(absl::string_view concept_id, int32_t year) {
  std::string key = PairCounterPrefix(concept_id);
  AppendYear(year, &key);
  return key;
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
    case kConceptCounterTag:
    case kPairCounterTag: {
      const size_t zero = rest.find('\0');
      if (zero == absl::string_view::npos) return false;
      out->name = std::string(rest.substr(0, zero));
      rest.remove_prefix(zero + 1);
      if (out->tag == kPairCounterTag) {
        if (rest.size() != 4) return false;
        out->cell.year = ReadYear(rest);
        return true;
      }
      return ParseCell(rest, &out->cell);
    }
    default:
      return false;
  }
}

std::string EncodeCounterEntries(const CounterEntries& entries) {
  std::string out;
  for (const auto& [partner, counts] : entries) {
    if (counts.passages == 0 && counts.documents == 0) continue;
    AppendVarint(partner.size(), &out);
    out.append(partner);
    AppendVarint(ZigZag(counts.passages), &out);
    AppendVarint(ZigZag(counts.documents), &out);
  }
  return out;
}

bool DecodeCounterEntries(absl::string_view value, CounterEntries* out) {
  out->clear();
  while (!value.empty()) {
    uint64_t length = 0, passages = 0, documents = 0;
    if (!ReadVarint(&value, &length) || length > value.size()) return false;
    std::string partner(value.substr(0, length));
    value.remove_prefix(length);
    if (!ReadVarint(&value, &passages) || !ReadVarint(&value, &documents)) return false;
    PassageDocumentCounts& counts = (*out)[std::move(partner)];
    counts.passages += UnZigZag(passages);
    counts.documents += UnZigZag(documents);
  }
  return true;
}

std::shared_ptr<rocksdb::MergeOperator> NewCounterMergeOperator() {
  return std::make_shared<CounterMergeOperator>();
}

void AddDocumentCounters(const v1::Document& document, const std::vector<v1::Passage>& passages,
                         int sign, CounterDeltaMap* deltas) {
  CounterCell cell;
  cell.year = document.year();
  cell.format = document.format();
  cell.language = document.language();
  const int64_t passage_count = static_cast<int64_t>(passages.size());
  auto add = [&](const std::string& key, const std::string& partner, int64_t p, int64_t d) {
    PassageDocumentCounts& counts = (*deltas)[key][partner];
    counts.passages += sign * p;
    counts.documents += sign * d;
  };
  add(TotalCounterKey(cell), "", passage_count, 1);
  for (const std::string& tag : std::set<std::string>(document.source_tags().begin(),
                                                      document.source_tags().end())) {
    add(SourceTagCounterKey(tag, cell), "", passage_count, 1);
  }
  // Concepts and categories anywhere in the document, and pairs of concepts
  // within a passage (counted once per passage).
  std::map<std::string, v1::ConceptCategory> in_document;
  for (const v1::DocumentTag& tag : document.tags()) in_document.emplace(tag.concept(), tag.category());
  std::map<std::pair<std::string, std::string>, int64_t> passage_pairs;
  for (const v1::Passage& passage : passages) {
    std::map<std::string, v1::ConceptCategory> in_passage;
    for (const v1::Annotation& a : passage.annotations()) in_passage.emplace(a.concept(), a.category());
    std::set<v1::ConceptCategory> categories;
    for (const auto& [concept_id, category] : in_passage) {
      add(ConceptCounterKey(concept_id, cell), "", 1, 0);
      categories.insert(category);
      in_document.emplace(concept_id, category);
    }
    for (v1::ConceptCategory category : categories) add(CategoryCounterKey(category, cell), "", 1, 0);
    for (auto a = in_passage.begin(); a != in_passage.end(); ++a) {
      for (auto b = std::next(a); b != in_passage.end(); ++b) ++passage_pairs[{a->first, b->first}];
    }
  }
  std::set<v1::ConceptCategory> categories;
  for (const auto& [concept_id, category] : in_document) {
    add(ConceptCounterKey(concept_id, cell), "", 0, 1);
    categories.insert(category);
  }
  for (v1::ConceptCategory category : categories) add(CategoryCounterKey(category, cell), "", 0, 1);
  for (auto a = in_document.begin(); a != in_document.end(); ++a) {
    if (std::next(a) == in_document.end()) break;
    const std::string key = PairCounterKey(a->first, cell.year);
    for (auto b = std::next(a); b != in_document.end(); ++b) {
      auto in_passages = passage_pairs.find({a->first, b->first});
      add(key, b->first, in_passages == passage_pairs.end() ? 0 : in_passages->second, 1);
    }
  }
}

void MergeCounterDeltas(const CounterDeltaMap& deltas, rocksdb::ColumnFamilyHandle* family,
                        rocksdb::WriteBatch* batch) {
  for (const auto& [key, entries] : deltas) {
    const std::string value = EncodeCounterEntries(entries);
    if (!value.empty()) batch->Merge(family, key, value);
  }
}

}  // namespace biocorpus
