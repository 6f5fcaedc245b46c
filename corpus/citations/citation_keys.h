#ifndef BIOCORPUS_CORPUS_CITATIONS_CITATION_KEYS_H_
#define BIOCORPUS_CORPUS_CITATIONS_CITATION_KEYS_H_

// The citation_index layout, for the writer and the readers alike:
//
//   kind, 0, normalized key, 0, doc id              -> ""   a document's own record
//   kind, 0, normalized key, 0, doc id, ordinal(BE) -> ""   a passage's outbound reference
//
// Kinds: "doi", "url", "title", "author" ("family year"), "titleword". A doc
// id is a fixed 16 hex digits, so the two shapes tell apart by length.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

enum class CitationKeyKind { kDoi, kUrl, kTitle, kAuthor, kTitleWord };

// One citation_index key. Without an ordinal it indexes a document's own
// record; with one, an outbound reference made by that passage.
std::string CitationKey(CitationKeyKind kind, absl::string_view normalized,
                        absl::string_view doc_id, int64_t ordinal = -1);

// The parts of a citation_index key; nullopt when `key` has neither shape.
struct CitationKeyParts {
  CitationKeyKind kind = CitationKeyKind::kDoi;
  std::string normalized;
  std::string doc_id;
  // Set for an outbound reference; unset for an own record.
  std::optional<uint32_t> ordinal;
};
std::optional<CitationKeyParts> DecodeCitationKey(absl::string_view key);

// The prefix of every citation_index key of `kind` whose normalized key is
// `normalized` exactly (with `exact`), or starts with it.
std::string CitationPrefix(CitationKeyKind kind, absl::string_view normalized, bool exact);

// The DOI a link cites: the one recorded on it, else the one its URL names
// (a resolver or publisher URL, DoiInUrl); "" when none.
std::string CitedDoi(const v1::Link& link);

// Every citation_index key a document and its passages own, sorted, unique:
// its DOI, URL (and the DOI's resolver URL), normalized title and each of its
// words, each author's family name with the year ("xue 2022"), and each
// outbound link of each passage (its URL, and the DOI it cites).
std::vector<std::string> CitationKeysFor(const v1::Document& document,
                                         const std::vector<v1::Passage>& passages);

// The number of citations a document makes and is: its own record plus each
// outbound reference of `passages`.
int CitationCount(const std::vector<v1::Passage>& passages);

// A URL and its usual variants: http and https, with and without "www.",
// normalized (NormalizeUrl), the given form first.
std::vector<std::string> UrlVariants(absl::string_view url);

// The exact citation_index prefixes under which a cited DOI (its own key and
// its resolver URL) or, without a DOI, a cited URL (each variant) is
// recorded. A URL that names a DOI is looked up by the DOI. InvalidArgument
// naming `doi` when `doi` is given but is not a DOI, or when neither is given.
absl::StatusOr<std::vector<std::string>> CitedPrefixes(absl::string_view doi,
                                                       absl::string_view url);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_CITATIONS_CITATION_KEYS_H_
