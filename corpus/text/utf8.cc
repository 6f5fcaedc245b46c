#include "corpus/text/utf8.h"

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace biocorpus {

absl::Status ValidateUtf8(absl::string_view text, absl::string_view what) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " is not valid UTF-8 at byte ", start));
    }
    if (c == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " holds a NUL byte at byte ", start,
                       " (binary data is not a document)"));
    }
  }
  return absl::OkStatus();
}

int32_t FirstCodePoint(absl::string_view text) {
  if (text.empty()) return -1;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i,
          static_cast<int32_t>(text.size()), c);
  return c;
}

int32_t LastCodePoint(absl::string_view text) {
  if (text.empty()) return -1;
  int32_t i = static_cast<int32_t>(text.size());
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, i, c);
  return c;
}

int CodePointCount(absl::string_view text) {
  int count = 0;
  for (char c : text) {
    // Count every byte that is not a continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::vector<DecodedCodePoint> DecodeCodePoints(absl::string_view text) {
  std::vector<DecodedCodePoint> out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    out.push_back(DecodedCodePoint{c, static_cast<size_t>(start), static_cast<size_t>(i)});
  }
  return out;
}

bool IsHanCharacter(int32_t c) {
  if (c < 0x2E80) return false;  // Below the CJK radicals: no Han.
  UErrorCode error = U_ZERO_ERROR;
  return uscript_getScript(c, &error) == USCRIPT_HAN;
}

}  // namespace biocorpus
