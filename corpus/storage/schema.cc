#include "corpus/storage/schema.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"

namespace biocorpus {
namespace {

void AppendBigEndian32(uint32_t value, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

absl::string_view KindName(CitationKeyKind kind) {
  switch (kind) {
    case CitationKeyKind::kDoi:
      return "doi";
    case CitationKeyKind::kUrl:
      return "url";
    case CitationKeyKind::kTitle:
      return "title";
    case CitationKeyKind::kAuthor:
      return "author";
    case CitationKeyKind::kTitleWord:
      return "titleword";
  }
  return "unknown";
}

}  // namespace

const std::vector<std::string>& ColumnFamilyNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "default",       kDocumentsFamily,     kPassagesFamily,
      kTagIndexFamily, kCitationIndexFamily, kMetaFamily};
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

std::string CitationKey(CitationKeyKind kind, absl::string_view normalized,
                        absl::string_view doc_id, int64_t ordinal) {
  std::string key = absl::StrCat(KindName(kind), absl::string_view("\0", 1),
                                 normalized, absl::string_view("\0", 1), doc_id);
  if (ordinal >= 0) AppendBigEndian32(static_cast<uint32_t>(ordinal), &key);
  return key;
}

std::string CitationPrefix(CitationKeyKind kind, absl::string_view normalized,
                           bool exact) {
  std::string prefix =
      absl::StrCat(KindName(kind), absl::string_view("\0", 1), normalized);
  if (exact) prefix.push_back('\0');
  return prefix;
}

std::vector<std::string> CitationKeysFor(
    const v1::Document& document, const std::vector<v1::Passage>& passages) {
  const std::string id = DocIdFromName(document.name());
  std::vector<std::string> keys;
  if (!document.doi().empty()) {
    keys.push_back(CitationKey(CitationKeyKind::kDoi, document.doi(), id));
    keys.push_back(CitationKey(
        CitationKeyKind::kUrl,
        NormalizeUrl(absl::StrCat("https://doi.org/", document.doi())), id));
  }
  if (!document.url().empty()) {
    keys.push_back(
        CitationKey(CitationKeyKind::kUrl, NormalizeUrl(document.url()), id));
  }
  if (document.has_title()) {
    const std::string title = NormalizeForMatching(document.title());
    if (!title.empty()) {
      keys.push_back(CitationKey(CitationKeyKind::kTitle, title, id));
    }
    for (const std::string& word : TitleWords(document.title())) {
      keys.push_back(CitationKey(CitationKeyKind::kTitleWord, word, id));
    }
  }
  for (const v1::Author& author : document.authors()) {
    const std::string family = NormalizeForMatching(
        author.family().empty() ? author.literal() : author.family());
    if (family.empty()) continue;
    keys.push_back(CitationKey(CitationKeyKind::kAuthor,
                               absl::StrCat(family, " ", document.year()), id));
  }
  for (const v1::Passage& passage : passages) {
    for (const v1::Link& link : passage.links()) {
      const std::string doi =
          link.doi().empty() ? NormalizeDoi(link.url()) : link.doi();
      const std::string url = NormalizeUrl(link.url());
      if (!doi.empty()) {
        keys.push_back(
            CitationKey(CitationKeyKind::kDoi, doi, id, passage.ordinal()));
      }
      if (!url.empty()) {
        keys.push_back(
            CitationKey(CitationKeyKind::kUrl, url, id, passage.ordinal()));
      }
    }
  }
  // A document may link the same target twice from one passage: one entry.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string DocIdFromName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                     : name.substr(slash + 1));
}

absl::Status FromRocksStatus(const rocksdb::Status& status,
                             absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNotSupported()) return absl::UnimplementedError(message);
  if (status.IsIOError() && status.IsNoSpace()) {
    return absl::ResourceExhaustedError(message);
  }
  return absl::InternalError(message);
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
