#include "ingest_service/parsers/person_names.h"

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace biocorpus {
namespace {

// Byte length of the first code point when every code point of `name` is a
// Han character, else 0.
int HanFamilyLength(absl::string_view name) {
  const auto* s = reinterpret_cast<const uint8_t*>(name.data());
  const int32_t length = static_cast<int32_t>(name.size());
  int32_t i = 0;
  int first = 0;
  int count = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    UErrorCode error = U_ZERO_ERROR;
    if (c < 0 || uscript_getScript(c, &error) != USCRIPT_HAN) return 0;
    if (count++ == 0) first = i;
  }
  return count >= 2 ? first : 0;
}

bool IsUpperWord(absl::string_view word) {
  bool letters = false;
  for (char c : word) {
    if (absl::ascii_islower(c)) return false;
    if (absl::ascii_isupper(c)) letters = true;
  }
  return letters && word.size() >= 2;
}

}  // namespace

v1::Author AuthorFromName(absl::string_view name, NameOrder order) {
  name = absl::StripAsciiWhitespace(name);
  v1::Author author;
  author.set_literal(std::string(name));
  if (const int han = HanFamilyLength(name); han > 0) {
    author.set_family(std::string(name.substr(0, han)));
    author.set_given(std::string(name.substr(han)));
    return author;
  }
  std::vector<absl::string_view> words =
      absl::StrSplit(name, ' ', absl::SkipEmpty());
  if (words.size() < 2) {
    author.set_family(std::string(name));
    return author;
  }
  size_t family = 0;
  switch (order) {
    case NameOrder::kFamilyFirst:
      family = 0;
      break;
    case NameOrder::kFamilyLast:
      family = words.size() - 1;
      break;
    case NameOrder::kUpperCaseFamily:
      family = words.size() - 1;
      for (size_t i = 0; i < words.size(); ++i) {
        if (IsUpperWord(words[i])) {
          family = i;
          break;
        }
      }
      break;
  }
  std::vector<absl::string_view> given;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i != family) given.push_back(words[i]);
  }
  author.set_family(std::string(words[family]));
  author.set_given(absl::StrJoin(given, " "));
  return author;
}

}  // namespace biocorpus
