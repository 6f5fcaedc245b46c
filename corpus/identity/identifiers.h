#ifndef BIOCORPUS_CORPUS_IDENTITY_IDENTIFIERS_H_
#define BIOCORPUS_CORPUS_IDENTITY_IDENTIFIERS_H_

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

namespace biocorpus {

// The normal form of a DOI in any spelling (bare, `doi:`, `https://doi.org/`,
// `http://dx.doi.org/`, any case): lower case, no prefix, e.g.
// "10.3389/fbioe.2022.939295". Empty when `doi` is not a DOI (does not start
// with "10." once the prefix is removed).
std::string NormalizeDoi(absl::string_view doi);

// The normal form of an absolute http(s) URL: scheme and host lower case,
// default port, fragment and tracking parameters (utm_*, fbclid, gclid)
// dropped, trailing slash removed. Other strings are returned trimmed.
std::string NormalizeUrl(absl::string_view url);

// The DOI a URL names: a resolver URL (https://doi.org/10.1000/x), or a
// publisher's page with the DOI in its path after /doi/ (with an optional
// abs/, full/, pdf/ or epdf/), /article/ or /articles/, such as
// https://www.science.org/doi/10.1126/science.aan5197 or
// https://www.frontiersin.org/journals/x/articles/10.3389/fbioe.2022.939295/full.
// "" when it names none.
std::string DoiInUrl(absl::string_view url);

// Resolves `reference` (absolute, scheme-relative, root-relative or relative)
// against the absolute URL `base`. Returns `reference` unchanged when it is
// already absolute or `base` is not an absolute URL.
std::string ResolveUrl(absl::string_view base, absl::string_view reference);

// Titles and personal names for matching: possessive "'s" dropped, NFKC
// case-folded, punctuation dropped, white space collapsed.
// "China’s Advances!" -> "china advances".
std::string NormalizeForMatching(absl::string_view text);

// The distinct words of a title, for title-word lookups: NormalizeForMatching
// then ICU word segmentation (which also splits Chinese and Japanese into
// words), keeping words of letters or digits, at least two characters long
// unless ideographic. "China’s Advances in Biosafety" ->
// {"chinas", "advances", "in", "biosafety"}.
std::vector<std::string> TitleWords(absl::string_view title);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// The stable document id for an identity string such as "doi:10.1/x",
// "url:https://example.org/a" or "sha256:<hex>": the first 16 hex digits of
// its SHA-256.
std::string DocumentIdFor(absl::string_view identity);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_IDENTITY_IDENTIFIERS_H_
