#include "corpus/text/quoted.h"

#include "absl/strings/str_cat.h"

namespace biocorpus {
namespace {

// The longest prefix of `s` of at most `max_bytes` that ends at a UTF-8
// character boundary.
absl::string_view CutAtCharacter(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

std::string Quoted(absl::string_view value) {
  const absl::string_view kept = CutAtCharacter(value, kMaxEchoedBytes);
  if (kept.size() == value.size()) return absl::StrCat("'", value, "'");
  return absl::StrCat("'", kept, "'... (", value.size(), " bytes)");
}

std::string CapMessage(absl::string_view message, size_t max_bytes) {
  if (message.size() <= max_bytes) return std::string(message);
  constexpr absl::string_view kEllipsis = "...";
  return absl::StrCat(CutAtCharacter(message, max_bytes - kEllipsis.size()), kEllipsis);
}

}  // namespace biocorpus
