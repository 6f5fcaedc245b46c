#include "corpus/identity/identifiers.h"

#include <openssl/evp.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/text/text_normalizer.h"

namespace biocorpus {
namespace {

// The parts of an absolute URL: scheme "://" authority path ["?" query].
struct UrlParts {
  std::string scheme;
  std::string authority;
  std::string path;
  std::string query;
  bool has_query = false;
};

bool SplitUrl(absl::string_view url, UrlParts* parts) {
  const size_t colon = url.find("://");
  if (colon == absl::string_view::npos || colon == 0) return false;
  for (char c : url.substr(0, colon)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  parts->scheme = absl::AsciiStrToLower(url.substr(0, colon));
  absl::string_view rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  parts->authority = std::string(rest.substr(0, path_start));
  rest = path_start == absl::string_view::npos ? absl::string_view()
                                              : rest.substr(path_start);
  const size_t q = rest.find('?');
  parts->path = std::string(rest.substr(0, q));
  if (q != absl::string_view::npos) {
    parts->has_query = true;
    parts->query = std::string(rest.substr(q + 1));
  }
  return !parts->authority.empty();
}

bool IsTrackingParameter(absl::string_view param) {
  const absl::string_view key = param.substr(0, param.find('='));
  return absl::StartsWithIgnoreCase(key, "utm_") ||
         absl::EqualsIgnoreCase(key, "fbclid") ||
         absl::EqualsIgnoreCase(key, "gclid");
}

// Removes "." and ".." segments (RFC 3986 section 5.2.4).
std::string RemoveDotSegments(absl::string_view path) {
  std::vector<absl::string_view> out;
  const std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
  for (size_t i = 0; i < segments.size(); ++i) {
    const absl::string_view segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (segment == ".") {
      if (last) out.push_back("");
    } else if (segment == "..") {
      if (out.size() > 1) out.pop_back();
      if (last) out.push_back("");
    } else {
      out.push_back(segment);
    }
  }
  return absl::StrJoin(out, "/");
}

}  // namespace

std::string NormalizeDoi(absl::string_view doi) {
  absl::string_view d = absl::StripAsciiWhitespace(doi);
  for (absl::string_view prefix :
       {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
        "http://dx.doi.org/", "doi.org/", "dx.doi.org/", "doi:"}) {
    if (absl::StartsWithIgnoreCase(d, prefix)) {
      d.remove_prefix(prefix.size());
      break;
    }
  }
  d = absl::StripAsciiWhitespace(d);
  if (!absl::StartsWith(d, "10.") || d.find('/') == absl::string_view::npos) {
    return "";
  }
  return absl::AsciiStrToLower(d);
}

std::string DoiInUrl(absl::string_view url) {
  if (std::string doi = NormalizeDoi(url); !doi.empty()) return doi;
  for (absl::string_view marker : {"/doi/", "/articles/", "/article/"}) {
    const size_t at = url.find(marker);
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = url.substr(at + marker.size());
    rest = rest.substr(0, rest.find_first_of("?#"));
    for (absl::string_view kind : {"abs/", "full/", "pdf/", "epdf/"}) {
      if (absl::ConsumePrefix(&rest, kind)) break;
    }
    // Publisher suffixes after the DOI: /full, /pdf, /abstract.
    for (absl::string_view suffix : {"/full", "/pdf", "/abstract"}) {
      absl::ConsumeSuffix(&rest, suffix);
    }
    if (std::string doi = NormalizeDoi(rest); !doi.empty()) return doi;
  }
  return "";
}

std::string NormalizeUrl(absl::string_view url) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(url);
  UrlParts parts;
  if (!SplitUrl(trimmed, &parts)) return std::string(trimmed);
  std::string host = absl::AsciiStrToLower(parts.authority);
  if ((parts.scheme == "http" && absl::EndsWith(host, ":80")) ||
      (parts.scheme == "https" && absl::EndsWith(host, ":443"))) {
    host = host.substr(0, host.rfind(':'));
  }
  std::vector<absl::string_view> kept;
  if (parts.has_query) {
    for (absl::string_view param : absl::StrSplit(parts.query, '&')) {
      if (!param.empty() && !IsTrackingParameter(param)) kept.push_back(param);
    }
  }
  std::string path = parts.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string out = parts.scheme + "://" + host + path;
  if (!kept.empty()) out += "?" + absl::StrJoin(kept, "&");
  return out;
}

std::string ResolveUrl(absl::string_view base, absl::string_view reference) {
  const absl::string_view ref = absl::StripAsciiWhitespace(reference);
  UrlParts ref_parts;
  if (SplitUrl(ref, &ref_parts)) return std::string(ref);
  if (absl::StartsWithIgnoreCase(ref, "mailto:") ||
      absl::StartsWithIgnoreCase(ref, "tel:")) {
    return std::string(ref);
  }
  UrlParts b;
  if (!SplitUrl(base, &b)) return std::string(ref);
  if (absl::StartsWith(ref, "//")) return b.scheme + ":" + std::string(ref);
  const std::string origin = b.scheme + "://" + b.authority;
  if (ref.empty()) return origin + b.path + (b.has_query ? "?" + b.query : "");
  if (ref[0] == '#') {
    return origin + b.path + (b.has_query ? "?" + b.query : "") +
           std::string(ref);
  }
  if (ref[0] == '?') return origin + b.path + std::string(ref);
  absl::string_view ref_path = ref;
  absl::string_view suffix;
  const size_t cut = ref.find_first_of("?#");
  if (cut != absl::string_view::npos) {
    ref_path = ref.substr(0, cut);
    suffix = ref.substr(cut);
  }
  std::string merged;
  if (ref_path[0] == '/') {
    merged = std::string(ref_path);
  } else {
    const size_t slash = b.path.rfind('/');
    merged = (slash == std::string::npos ? "/" : b.path.substr(0, slash + 1)) +
             std::string(ref_path);
  }
  return origin + RemoveDotSegments(merged) + std::string(suffix);
}

std::string NormalizeForMatching(absl::string_view input) {
  // A possessive "'s" is not part of the word: "China’s" matches "China".
  std::string text;
  for (size_t i = 0; i < input.size();) {
    size_t apostrophe = 0;
    if (input[i] == '\'') apostrophe = 1;
    if (input.substr(i, 3) == "\xE2\x80\x99") apostrophe = 3;
    const size_t after = i + apostrophe + 1;
    if (apostrophe > 0 && i > 0 && after <= input.size() &&
        (input[i + apostrophe] == 's' || input[i + apostrophe] == 'S') &&
        (after == input.size() || !absl::ascii_isalnum(input[after]))) {
      i = after;
      continue;
    }
    text.push_back(input[i++]);
  }
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* folding =
      icu::Normalizer2::getNFKCCasefoldInstance(error);
  if (U_FAILURE(error)) return NormalizeText(text);
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString folded = folding->normalize(source, error);
  if (U_FAILURE(error)) return NormalizeText(text);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    // Punctuation and symbols go; a dash or slash between words still
    // separates them.
    if (u_ispunct(c) || (u_charType(c) >= U_MATH_SYMBOL &&
                         u_charType(c) <= U_OTHER_SYMBOL)) {
      if (c == '-' || c == '/' || u_charType(c) == U_DASH_PUNCTUATION) {
        kept.append(static_cast<UChar32>(' '));
      }
      continue;
    }
    kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return NormalizeText(out);
}

std::vector<std::string> TitleWords(absl::string_view title) {
  const std::string normalized = NormalizeForMatching(title);
  std::vector<std::string> words;
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaker(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), error));
  if (U_FAILURE(error)) return words;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(normalized.data(), static_cast<int32_t>(normalized.size())));
  breaker->setText(text);
  int32_t start = breaker->first();
  for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker->next()) {
    const int32_t status = breaker->getRuleStatus();
    const bool ideographic = status >= UBRK_WORD_IDEO && status < UBRK_WORD_IDEO_LIMIT;
    const bool word = (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT) ||
                      (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) ||
                      (status >= UBRK_WORD_KANA && status < UBRK_WORD_KANA_LIMIT) ||
                      ideographic;
    if (!word || (!ideographic && end - start < 2)) continue;
    std::string piece;
    text.tempSubStringBetween(start, end).toUTF8String(piece);
    if (std::find(words.begin(), words.end(), piece) == words.end()) {
      words.push_back(std::move(piece));
    }
  }
  return words;
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string DocumentIdFor(absl::string_view identity) {
  return Sha256Hex(identity).substr(0, 16);
}

}  // namespace biocorpus
