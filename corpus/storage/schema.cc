#include "corpus/storage/schema.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace biocorpus {
namespace {

void AppendBigEndian32(uint32_t value, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

}  // namespace

const std::vector<std::string>& ColumnFamilyNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "default",       kDocumentsFamily,     kPassagesFamily,
      kTagIndexFamily, kCitationIndexFamily, kMetaFamily, "text_index", "analytics"};
  return *kNames;
}

std::string PassageKey(absl::string_view doc_id, uint32_t ordinal) {
  std::string key(doc_id);
  AppendBigEndian32(ordinal, &key);
  return key;
}

uint32_t PassageOrdinalFromKey(absl::string_view key) {
  if (key.size() < 4) return 0;
  uint32_t value = 0;
  for (size_t i = key.size() - 4; i < key.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(key[i]);
  }
  return value;
}

std::string TagPassageCountKey(absl::string_view concept_id) {
  return absl::StrCat(kTagPassageCountPrefix, concept_id);
}

std::string TagDocumentCountKey(absl::string_view concept_id) {
  return absl::StrCat(kTagDocumentCountPrefix, concept_id);
}

std::string TagPrefix(absl::string_view concept_id) {
  return absl::StrCat(concept_id, absl::string_view("\0", 1));
}

std::string TagKey(absl::string_view concept_id, absl::string_view doc_id,
                   uint32_t ordinal) {
  std::string key = absl::StrCat(TagPrefix(concept_id), doc_id);
  AppendBigEndian32(ordinal, &key);
  return key;
}

std::vector<std::string> TagKeysFor(const v1::Document& document,
                                    const std::vector<v1::Passage>& passages) {
  const std::string id = DocIdFromName(document.name());
  std::vector<std::string> keys;
  for (const v1::DocumentTag& tag : document.tags()) {
    keys.push_back(TagKey(tag.concept(), id, kDocumentLevelOrdinal));
  }
  for (const v1::Passage& passage : passages) {
    for (const v1::Annotation& annotation : passage.annotations()) {
      keys.push_back(TagKey(annotation.concept(), id,
                            static_cast<uint32_t>(passage.ordinal())));
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string DocIdFromName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                     : name.substr(slash + 1));
}

std::string EncodeCounter(uint64_t value) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
  return out;
}

uint64_t DecodeCounter(absl::string_view value) {
  uint64_t out = 0;
  for (char c : value) out = (out << 8) | static_cast<unsigned char>(c);
  return out;
}

}  // namespace biocorpus
