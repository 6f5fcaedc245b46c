#include "ingest_service/parsers/plain_abstract_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/text/text_normalizer.h"
#include "ingest_service/parsers/person_names.h"
#include "ingest_service/passages/passage_builder.h"

namespace biocorpus {
namespace {

constexpr absl::string_view kFullWidthOpen = "\xEF\xBC\x88";   // （
constexpr absl::string_view kFullWidthClose = "\xEF\xBC\x89";  // ）
constexpr absl::string_view kFullWidthColon = "\xEF\xBC\x9A";  // ：

struct AuthorLabel {
  absl::string_view label;
  v1::Author::AuthorRole role;
};

// Longest labels first, so "Co-first author" is not read as "first author".
constexpr AuthorLabel kAuthorLabels[] = {
    {"co-first author", v1::Author::CO_FIRST_AUTHOR},
    {"corresponding author", v1::Author::CORRESPONDING_AUTHOR},
    {"first author", v1::Author::FIRST_AUTHOR},
    {"authors", v1::Author::AUTHOR_ROLE_UNSPECIFIED},
    {"author", v1::Author::AUTHOR_ROLE_UNSPECIFIED},
};

// If `line` starts with `label` and a colon, returns the rest.
std::optional<absl::string_view> AfterLabel(absl::string_view line,
                                           absl::string_view label) {
  if (!absl::StartsWithIgnoreCase(line, label)) return std::nullopt;
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(line.substr(label.size()));
  if (!absl::ConsumePrefix(&rest, ":") &&
      !absl::ConsumePrefix(&rest, kFullWidthColon)) {
    return std::nullopt;
  }
  return absl::StripAsciiWhitespace(rest);
}

// Reads "Name (Affiliation), Name（Affiliation）" into authors with `role`;
// a name seen before gets the role added.
void AddAuthors(absl::string_view text, v1::Author::AuthorRole role,
                v1::Document* document) {
  std::string unified = absl::StrReplaceAll(
      text, {{kFullWidthOpen, "("}, {kFullWidthClose, ")"}});
  absl::string_view rest = unified;
  while (!rest.empty()) {
    rest = absl::StripLeadingAsciiWhitespace(rest);
    while (absl::ConsumePrefix(&rest, ",") || absl::ConsumePrefix(&rest, ";")) {
      rest = absl::StripLeadingAsciiWhitespace(rest);
    }
    if (rest.empty()) break;
    const size_t cut = rest.find_first_of("(,;");
    const std::string name = NormalizeText(rest.substr(0, cut));
    rest = cut == absl::string_view::npos ? absl::string_view() : rest.substr(cut);
    std::vector<std::string> affiliations;
    while (absl::ConsumePrefix(&rest, "(")) {
      int depth = 1;
      size_t i = 0;
      for (; i < rest.size() && depth > 0; ++i) {
        if (rest[i] == '(') ++depth;
        if (rest[i] == ')') --depth;
      }
      const size_t length = depth == 0 ? i - 1 : i;
      const std::string affiliation = NormalizeText(rest.substr(0, length));
      // An e-mail address in parentheses is contact detail, not affiliation.
      const bool email = affiliation.find('@') != std::string::npos &&
                         affiliation.find(' ') == std::string::npos;
      if (!affiliation.empty() && !email) affiliations.push_back(affiliation);
      rest = rest.substr(i);
      rest = absl::StripLeadingAsciiWhitespace(rest);
    }
    if (name.empty()) continue;
    v1::Author* author = nullptr;
    for (v1::Author& existing : *document->mutable_authors()) {
      if (existing.literal() == name) author = &existing;
    }
    if (author == nullptr) {
      author = document->add_authors();
      *author = AuthorFromName(name, NameOrder::kUpperCaseFamily);
    }
    for (std::string& affiliation : affiliations) {
      if (std::find(author->affiliations().begin(), author->affiliations().end(),
                    affiliation) == author->affiliations().end()) {
        author->add_affiliations(std::move(affiliation));
      }
    }
    if (role != v1::Author::AUTHOR_ROLE_UNSPECIFIED &&
        std::find(author->roles().begin(), author->roles().end(), role) ==
            author->roles().end()) {
      author->add_roles(role);
    }
  }
}

std::vector<std::string> SplitKeywords(absl::string_view text) {
  const std::string unified = absl::StrReplaceAll(
      text, {{"\xEF\xBC\x8C", ","}, {"\xEF\xBC\x9B", ","}, {";", ","},
             {"\xE3\x80\x81", ","}});
  std::vector<std::string> keywords;
  for (absl::string_view k : absl::StrSplit(unified, ',')) {
    std::string keyword = NormalizeText(k);
    if (!keyword.empty()) keywords.push_back(std::move(keyword));
  }
  return keywords;
}

// An unlabelled keywords line: one line of short items joined by separators,
// not ending like a sentence.
bool LooksLikeKeywords(const std::vector<absl::string_view>& block) {
  if (block.size() != 1) return false;
  const absl::string_view line = absl::StripAsciiWhitespace(block[0]);
  if (line.empty() || absl::EndsWith(line, ".")) return false;
  const std::vector<std::string> items = SplitKeywords(line);
  if (items.size() < 2) return false;
  for (const std::string& item : items) {
    if (std::count(item.begin(), item.end(), ' ') >= 6) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<ParsedDocument> PlainAbstractParser::Parse(
    absl::string_view text) const {
  ParsedDocument parsed;
  v1::Document& doc = parsed.document;
  doc.set_format(v1::PLAIN_ABSTRACT);

  // Blocks of non-blank lines; author, title and keyword lines are taken
  // out wherever they stand.
  std::vector<std::vector<absl::string_view>> blocks(1);
  bool keywords_seen = false;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    const absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    bool taken = false;
    for (const AuthorLabel& label : kAuthorLabels) {
      if (std::optional<absl::string_view> rest = AfterLabel(line, label.label)) {
        AddAuthors(*rest, label.role, &doc);
        taken = true;
        break;
      }
    }
    if (taken) continue;
    if (std::optional<absl::string_view> title = AfterLabel(line, "title")) {
      const std::string value = NormalizeText(*title);
      if (!value.empty()) doc.set_title(value);
      continue;
    }
    std::optional<absl::string_view> keywords = AfterLabel(line, "keywords");
    if (!keywords) keywords = AfterLabel(line, "key words");
    if (!keywords) keywords = AfterLabel(line, "\xE5\x85\xB3\xE9\x94\xAE\xE8\xAF\x8D");
    if (keywords) {
      for (std::string& k : SplitKeywords(*keywords)) doc.add_keywords(std::move(k));
      keywords_seen = true;
      continue;
    }
    blocks.back().push_back(line);
  }

  if (doc.has_title()) {
    PassageBuilder title(v1::TITLE);
    title.AppendText(doc.title());
    parsed.passages.push_back(*title.Finish());
  }
  for (const std::vector<absl::string_view>& block : blocks) {
    if (block.empty()) continue;
    if (!keywords_seen && LooksLikeKeywords(block)) {
      for (std::string& k : SplitKeywords(block[0])) doc.add_keywords(std::move(k));
      keywords_seen = true;
      continue;
    }
    PassageBuilder abstract(v1::ABSTRACT);
    for (size_t i = 0; i < block.size(); ++i) {
      absl::string_view line = block[i];
      if (i == 0) {
        if (std::optional<absl::string_view> rest = AfterLabel(line, "abstract")) {
          line = *rest;
        }
      }
      abstract.AppendText(line);
      abstract.Break();
    }
    std::optional<v1::Passage> passage = abstract.Finish();
    if (passage.has_value()) parsed.passages.push_back(std::move(*passage));
  }
  const bool has_abstract =
      std::any_of(parsed.passages.begin(), parsed.passages.end(),
                  [](const v1::Passage& p) { return p.type() == v1::ABSTRACT; });
  if (!has_abstract) {
    return absl::InvalidArgumentError(
        "plain abstract has no abstract paragraph (only author, title or "
        "keyword lines)");
  }
  return parsed;
}

}  // namespace biocorpus
