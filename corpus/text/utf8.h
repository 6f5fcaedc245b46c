#ifndef BIOCORPUS_CORPUS_TEXT_UTF8_H_
#define BIOCORPUS_CORPUS_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace biocorpus {

// Returns OK when `text` is well-formed UTF-8 holding no NUL character.
// Otherwise returns InvalidArgument naming the byte offset of the first
// ill-formed sequence or NUL, e.g. "content is not valid UTF-8 at byte 17".
absl::Status ValidateUtf8(absl::string_view text, absl::string_view what = "content");

// The first and the last code point of `text` (well-formed UTF-8), or -1
// when it is empty.
int32_t FirstCodePoint(absl::string_view text);
int32_t LastCodePoint(absl::string_view text);

// Number of Unicode code points in `text`, which must be well-formed UTF-8.
int CodePointCount(absl::string_view text);

// A code point of a text and the bytes [start, end) it takes there; `c` is
// negative for an ill-formed sequence.
struct DecodedCodePoint {
  int32_t c = 0;
  size_t start = 0;
  size_t end = 0;
};
// The code points of `text`, in order.
std::vector<DecodedCodePoint> DecodeCodePoints(absl::string_view text);

// True for a Han (Chinese) character.
bool IsHanCharacter(int32_t c);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_TEXT_UTF8_H_
