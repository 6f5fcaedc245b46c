#include "ingest_service/parsers/person_names.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/text/utf8.h"

namespace biocorpus {
namespace {

// Byte length of the first code point when every code point of `name` is a
// Han character, else 0.
int HanFamilyLength(absl::string_view name) {
  const std::vector<DecodedCodePoint> points = DecodeCodePoints(name);
  for (const DecodedCodePoint& p : points) {
    if (!IsHanCharacter(p.c)) return 0;
  }
  return points.size() >= 2 ? static_cast<int>(points[0].end) : 0;
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
