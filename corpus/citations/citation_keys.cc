#include "corpus/citations/citation_keys.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"
#include "corpus/text/quoted.h"

namespace biocorpus {
namespace {

constexpr absl::string_view kSeparator("\0", 1);

struct KindName {
  CitationKeyKind kind;
  absl::string_view name;
};
constexpr KindName kKindNames[] = {
    {CitationKeyKind::kDoi, "doi"},         {CitationKeyKind::kUrl, "url"},
    {CitationKeyKind::kTitle, "title"},     {CitationKeyKind::kAuthor, "author"},
    {CitationKeyKind::kTitleWord, "titleword"},
};

absl::string_view NameOf(CitationKeyKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

bool IsDocId(absl::string_view s) {
  return s.size() == kDocumentIdLength &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string CitationKey(CitationKeyKind kind, absl::string_view normalized,
                        absl::string_view doc_id, int64_t ordinal) {
  std::string key = absl::StrCat(CitationPrefix(kind, normalized, /*exact=*/true), doc_id);
  if (ordinal >= 0) key = PassageKey(key, static_cast<uint32_t>(ordinal));
  return key;
}

std::optional<CitationKeyParts> DecodeCitationKey(absl::string_view key) {
  const size_t kind_end = key.find('\0');
  if (kind_end == absl::string_view::npos) return std::nullopt;
  CitationKeyParts parts;
  bool known = false;
  for (const KindName& k : kKindNames) {
    if (k.name == key.substr(0, kind_end)) {
      parts.kind = k.kind;
      known = true;
    }
  }
  if (!known) return std::nullopt;
  absl::string_view rest = key.substr(kind_end + 1);
  // Own record: ..., 0, doc id. Reference: ..., 0, doc id, 4 ordinal bytes.
  for (const size_t tail : {kDocumentIdLength, kDocumentIdLength + 4}) {
    if (rest.size() < tail + 1 || rest[rest.size() - tail - 1] != '\0') continue;
    const absl::string_view id = rest.substr(rest.size() - tail, kDocumentIdLength);
    if (!IsDocId(id)) continue;
    parts.normalized = std::string(rest.substr(0, rest.size() - tail - 1));
    parts.doc_id = std::string(id);
    if (tail > kDocumentIdLength) parts.ordinal = PassageOrdinalFromKey(rest);
    return parts;
  }
  return std::nullopt;
}

std::string CitationPrefix(CitationKeyKind kind, absl::string_view normalized, bool exact) {
  std::string prefix = absl::StrCat(NameOf(kind), kSeparator, normalized);
  if (exact) prefix.append(kSeparator.data(), kSeparator.size());
  return prefix;
}

std::string CitedDoi(const v1::Link& link) {
  return link.doi().empty() ? DoiInUrl(link.url()) : link.doi();
}

std::vector<std::string> CitationKeysFor(const v1::Document& document,
                                         const std::vector<v1::Passage>& passages) {
  const std::string id = DocIdFromName(document.name());
  std::vector<std::string> keys;
  if (!document.doi().empty()) {
    keys.push_back(CitationKey(CitationKeyKind::kDoi, document.doi(), id));
    keys.push_back(CitationKey(CitationKeyKind::kUrl,
                               NormalizeUrl(absl::StrCat("https://doi.org/", document.doi())), id));
  }
  if (!document.url().empty()) {
    keys.push_back(CitationKey(CitationKeyKind::kUrl, NormalizeUrl(document.url()), id));
  }
  if (document.has_title()) {
    const std::string title = NormalizeForMatching(document.title());
    if (!title.empty()) keys.push_back(CitationKey(CitationKeyKind::kTitle, title, id));
    for (const std::string& word : TitleWords(document.title())) {
      keys.push_back(CitationKey(CitationKeyKind::kTitleWord, word, id));
    }
  }
  for (const v1::Author& author : document.authors()) {
    const std::string family =
        NormalizeForMatching(author.family().empty() ? author.literal() : author.family());
    if (family.empty()) continue;
    keys.push_back(
        CitationKey(CitationKeyKind::kAuthor, absl::StrCat(family, " ", document.year()), id));
  }
  for (const v1::Passage& passage : passages) {
    for (const v1::Link& link : passage.links()) {
      const std::string doi = CitedDoi(link);
      const std::string url = NormalizeUrl(link.url());
      if (!doi.empty()) {
        keys.push_back(CitationKey(CitationKeyKind::kDoi, doi, id, passage.ordinal()));
      }
      if (!url.empty()) {
        keys.push_back(CitationKey(CitationKeyKind::kUrl, url, id, passage.ordinal()));
      }
    }
  }
  // A document may link the same target twice from one passage: one entry.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

int CitationCount(const std::vector<v1::Passage>& passages) {
  int count = 1;  // The document's own record.
  for (const v1::Passage& passage : passages) count += passage.links_size();
  return count;
}

std::vector<std::string> UrlVariants(absl::string_view url) {
  const std::string normalized = NormalizeUrl(url);
  std::vector<std::string> out = {normalized};
  const size_t colon = normalized.find("://");
  if (colon == std::string::npos) return out;
  const std::string scheme = normalized.substr(0, colon);
  if (scheme != "http" && scheme != "https") return out;
  const std::string rest = normalized.substr(colon + 3);
  const std::string bare = absl::StartsWith(rest, "www.") ? rest.substr(4) : rest;
  for (const char* s : {"https://", "http://"}) {
    for (const std::string& host : {bare, "www." + bare}) {
      const std::string variant = s + host;
      if (std::find(out.begin(), out.end(), variant) == out.end()) out.push_back(variant);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CitedPrefixes(absl::string_view doi_field,
                                                       absl::string_view url_field) {
  const std::string doi = doi_field.empty() ? DoiInUrl(url_field) : NormalizeDoi(doi_field);
  if (!doi_field.empty() && doi.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("doi: ", Quoted(doi_field), " is not a DOI (10.prefix/suffix)"));
  }
  std::vector<std::string> prefixes;
  if (!doi.empty()) {
    prefixes.push_back(CitationPrefix(CitationKeyKind::kDoi, doi, true));
    prefixes.push_back(CitationPrefix(
        CitationKeyKind::kUrl, NormalizeUrl(absl::StrCat("https://doi.org/", doi)), true));
    return prefixes;
  }
  if (url_field.empty()) return absl::InvalidArgumentError("give a doi or a url");
  for (const std::string& variant : UrlVariants(url_field)) {
    prefixes.push_back(CitationPrefix(CitationKeyKind::kUrl, variant, true));
  }
  return prefixes;
}

}  // namespace biocorpus
