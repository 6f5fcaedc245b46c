#include "ingest_service/parsers/plain_abstract_parser.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "corpus/identity/identifiers.h"
#include "corpus/text/text_normalizer.h"
#include "corpus/text/utf8.h"
#include "ingest_service/parsers/converter_markup.h"
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

// Contact details that end the names of an author or correspondence line.
constexpr absl::string_view kContactWords[] = {
    "E-mail", "e-mail", "Email", "email", "EMAIL", "E-MAIL", "Tel:", "Tel.",
    "电话", "邮箱", "Electronic address"};

absl::string_view BeforeContact(absl::string_view text) {
  size_t cut = text.size();
  for (absl::string_view word : kContactWords) {
    cut = std::min(cut, text.find(word));
  }
  return text.substr(0, cut);
}

// Reads "Name (Affiliation), Name（Affiliation）" into authors with `role`;
// a name seen before gets the role added.
void AddAuthors(absl::string_view text, v1::Author::AuthorRole role,
                v1::Document* document) {
  std::string unified = absl::StrReplaceAll(
      BeforeContact(text), {{kFullWidthOpen, "("}, {kFullWidthClose, ")"}});
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
    if (name.empty() || name.find('@') != std::string::npos) continue;
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
    while (!keyword.empty() && keyword.back() == '.') keyword.pop_back();
    if (!keyword.empty()) keywords.push_back(std::move(keyword));
  }
  return keywords;
}

// An unlabelled keywords line: one line of short items joined by separators,
// not ending like a sentence.
bool LooksLikeKeywords(const std::vector<std::string>& block) {
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

// ---- Section labels --------------------------------------------------------

enum class Section { kAbstract, kKeywords };

struct SectionStart {
  Section section;
  absl::string_view rest;  // Text after the label on the same line.
};

constexpr absl::string_view kAbstractLabels[] = {
    "abstract", "summary", "摘要", "摘 要", "内容摘要", "内容提要", "提要"};
constexpr absl::string_view kKeywordLabels[] = {
    "keywords", "key words", "key-words", "keyword", "关键词", "关 键 词",
    "关键字"};

bool IsHanLabel(absl::string_view label) {
  return !label.empty() && static_cast<unsigned char>(label[0]) >= 0x80;
}

// Reads a section label at the start of `line`: "【摘要】…", "[Abstract] …",
// "Abstract: …", "摘要：…", "摘要 …", "ABSTRACT …", or the label alone on
// its line. "Abstract art is…" is a sentence, not a label.
std::optional<SectionStart> SectionLabel(absl::string_view line) {
  struct Kind {
    Section section;
    absl::Span<const absl::string_view> labels;
  };
  const Kind kinds[] = {{Section::kAbstract, kAbstractLabels},
                        {Section::kKeywords, kKeywordLabels}};
  for (const Kind& kind : kinds) {
    for (absl::string_view label : kind.labels) {
      absl::string_view rest = line;
      const bool bracket = absl::ConsumePrefix(&rest, "【") ||
                           absl::ConsumePrefix(&rest, "[") ||
                           absl::ConsumePrefix(&rest, "〔");
      if (!absl::StartsWithIgnoreCase(rest, label)) continue;
      const absl::string_view written = rest.substr(0, label.size());
      rest.remove_prefix(label.size());
      if (bracket && !absl::ConsumePrefix(&rest, "】") &&
          !absl::ConsumePrefix(&rest, "]") && !absl::ConsumePrefix(&rest, "〕")) {
        continue;
      }
      if (!bracket && !rest.empty() && absl::ascii_isalnum(static_cast<unsigned char>(rest[0]))) {
        continue;  // "Abstracts", "Summarize".
      }
      rest = absl::StripLeadingAsciiWhitespace(rest);
      const bool colon = absl::ConsumePrefix(&rest, ":") ||
                         absl::ConsumePrefix(&rest, kFullWidthColon);
      while (absl::ConsumePrefix(&rest, "\xE3\x80\x80") || absl::ConsumePrefix(&rest, " ")) {
      }
      rest = absl::StripAsciiWhitespace(rest);
      const bool capitals = written == absl::AsciiStrToUpper(written);
      if (bracket || colon || rest.empty() || IsHanLabel(label) || capitals) {
        return SectionStart{kind.section, rest};
      }
    }
  }
  return std::nullopt;
}

// Labels that open a structured abstract ("Background:", "目的："): the
// abstract starts here and the label is part of its text.
bool StartsStructuredAbstract(absl::string_view line) {
  static constexpr absl::string_view kLabels[] = {
      "background", "objective", "objectives", "purpose", "aim", "aims",
      "introduction", "context", "目的", "背景", "目 的"};
  for (absl::string_view label : kLabels) {
    if (AfterLabel(line, label).has_value()) return true;
  }
  return false;
}

// Metadata lines of Chinese and English journals that are not the abstract.
bool IsJournalMetadata(absl::string_view line) {
  static constexpr absl::string_view kLabels[] = {
      "中图分类号", "中图法分类号", "文献标志码", "文献标识码", "文章编号",
      "收稿日期", "修回日期", "基金项目", "作者简介", "引用格式", "引用本文",
      "CLC number", "Document code", "Article ID", "Received", "Accepted",
      "Published online", "Foundation item", "Funding", "Citation"};
  for (absl::string_view label : kLabels) {
    if (AfterLabel(line, label).has_value()) return true;
  }
  return false;
}

// The DOI of a "DOI: 10.x/y", "doi:10.x/y" or "https://doi.org/10.x/y" line.
std::optional<std::string> DoiLine(absl::string_view line) {
  absl::string_view rest = line;
  if (absl::StartsWithIgnoreCase(rest, "doi")) {
    rest.remove_prefix(3);
    rest = absl::StripLeadingAsciiWhitespace(rest);
    absl::ConsumePrefix(&rest, ":") || absl::ConsumePrefix(&rest, kFullWidthColon);
  } else if (!absl::StartsWithIgnoreCase(rest, "https://doi.org/") &&
             !absl::StartsWithIgnoreCase(rest, "http://dx.doi.org/")) {
    return std::nullopt;
  }
  rest = absl::StripAsciiWhitespace(rest);
  if (rest.find(' ') != absl::string_view::npos) return std::nullopt;
  std::string doi = NormalizeDoi(rest);
  if (doi.empty()) return std::nullopt;
  return doi;
}

// Correspondence labels; a line may begin with * or ✉ before them.
constexpr absl::string_view kCorrespondenceLabels[] = {
    "通讯作者", "通信作者", "Corresponding author", "Corresponding Author",
    "Correspondence to", "Correspondence", "E-mail", "Email", "e-mail"};

// If `line` is a correspondence line, returns the name it gives ("" when it
// gives only an address).
std::optional<std::string> CorrespondenceName(absl::string_view line) {
  absl::string_view rest = absl::StripAsciiWhitespace(line);
  const bool starred = absl::ConsumePrefix(&rest, "*") || absl::ConsumePrefix(&rest, "✉") ||
                       absl::ConsumePrefix(&rest, "＊");
  rest = absl::StripLeadingAsciiWhitespace(rest);
  for (absl::string_view label : kCorrespondenceLabels) {
    if (!absl::StartsWith(rest, label)) continue;
    absl::string_view after = rest.substr(label.size());
    after = absl::StripLeadingAsciiWhitespace(after);
    const bool separated = absl::ConsumePrefix(&after, ":") ||
                           absl::ConsumePrefix(&after, kFullWidthColon) ||
                           absl::ConsumePrefix(&after, ".");
    // "Corresponding author: Name (…)" without a star is a labelled author
    // line, read with its affiliations elsewhere.
    if (!separated && !starred) continue;
    absl::string_view name = BeforeContact(after);
    const size_t cut = name.find_first_of(",;(");
    name = name.substr(0, std::min(cut, name.size()));
    for (absl::string_view wide : {"，", "；", "（"}) {
      name = name.substr(0, std::min(name.find(wide), name.size()));
    }
    std::string out = NormalizeText(name);
    if (out.find('@') != std::string::npos || out.find("http") != std::string::npos) out.clear();
    return out;
  }
  return std::nullopt;
}

// Splits an author line that a converter ran together with the
// correspondence line: "Peng Sun2* *Corresponding author. E-mail: …".
std::pair<absl::string_view, absl::string_view> SplitCorrespondence(
    absl::string_view line) {
  size_t cut = absl::string_view::npos;
  for (absl::string_view label : kCorrespondenceLabels) {
    const size_t at = line.find(label);
    if (at != absl::string_view::npos && at > 0) cut = std::min(cut, at);
  }
  if (cut == absl::string_view::npos) return {line, {}};
  size_t start = cut;
  // A star written right before the label ("… Sun2* *Corresponding") belongs
  // to the correspondence; the one after the name stays a marker.
  if (start > 0 && line[start - 1] == '*' && (start == 1 || line[start - 2] == ' ')) --start;
  return {absl::StripAsciiWhitespace(line.substr(0, start)),
          absl::StripAsciiWhitespace(line.substr(start))};
}

// A line holding only a page number ("2", "- 2 -", "· 12 ·").
bool IsPageNumber(absl::string_view line) {
  const std::string bare =
      absl::StrReplaceAll(line, {{"·", ""}, {"—", ""}, {"–", ""}, {"-", ""}, {" ", ""}});
  return !bare.empty() && bare.size() <= 4 &&
         std::all_of(bare.begin(), bare.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

// ---- Code points at line joins ----------------------------------------------

bool IsCjk(UChar32 c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) || IsHanCharacter(c);
}

bool EndsSentence(absl::string_view line) {
  const UChar32 c = LastCodePoint(line);
  return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' ||
         c == 0x3002 /*。*/ || c == 0xFF01 /*！*/ || c == 0xFF1F /*？*/ ||
         c == 0xFF1B /*；*/ || c == 0x2026 /*…*/ || c == '"' || c == 0x201D || c == ')' ||
         c == 0xFF09;
}

// ---- The parse ----------------------------------------------------------------

// The front matter between a title and its abstract: author lines with
// markers, numbered affiliations, correspondence.
struct FrontMatter {
  std::vector<MarkedName> names;
  std::map<std::string, std::string> numbered;
  std::vector<std::string> unnumbered;
  // A second front matter (a translation of the first) adds nothing.
  bool translation = false;
  int lines = 0;
  bool after_heading = false;

  void Clear() { *this = FrontMatter(); }
};

// The affiliation texts a name's markers point to.
std::vector<std::string> LinkedAffiliations(const MarkedName& name,
                                            const FrontMatter& front) {
  std::vector<std::string> out;
  auto add = [&](const std::string& marker) {
    auto it = front.numbered.find(marker);
    if (it == front.numbered.end()) return false;
    if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
    return true;
  };
  for (const std::string& marker : name.affiliations) {
    if (add(marker)) continue;
    // "¹²" is markers 1 and 2 when no affiliation is numbered 12.
    for (char digit : marker) add(std::string(1, digit));
  }
  return out;
}

void AddRole(v1::Author* author, v1::Author::AuthorRole role) {
  if (std::find(author->roles().begin(), author->roles().end(), role) ==
      author->roles().end()) {
    author->add_roles(role);
  }
}

void FlushFrontMatter(FrontMatter* front, v1::Document* doc) {
  if (!front->translation) {
    const bool any_numbered_marker =
        std::any_of(front->names.begin(), front->names.end(),
                    [](const MarkedName& n) { return !n.affiliations.empty(); });
    for (const MarkedName& name : front->names) {
      v1::Author* author = nullptr;
      for (v1::Author& existing : *doc->mutable_authors()) {
        if (existing.literal() == name.name) author = &existing;
      }
      if (author == nullptr) {
        author = doc->add_authors();
        *author = AuthorFromName(name.name, NameOrder::kUpperCaseFamily);
      }
      std::vector<std::string> affiliations = LinkedAffiliations(name, *front);
      if (!any_numbered_marker || front->numbered.empty()) {
        for (const std::string& a : front->unnumbered) affiliations.push_back(a);
      }
      for (std::string& a : affiliations) {
        if (std::find(author->affiliations().begin(), author->affiliations().end(), a) ==
            author->affiliations().end()) {
          author->add_affiliations(std::move(a));
        }
      }
      if (name.equal_contribution) AddRole(author, v1::Author::CO_FIRST_AUTHOR);
      if (name.corresponding) AddRole(author, v1::Author::CORRESPONDING_AUTHOR);
    }
  }
  front->Clear();
}

// The words of a name, lower-cased and sorted: "WANG Fang" and "Fang Wang"
// are the same person.
std::vector<std::string> NameWords(absl::string_view name) {
  std::vector<std::string> words = absl::StrSplit(absl::AsciiStrToLower(name), ' ',
                                                  absl::SkipEmpty());
  std::sort(words.begin(), words.end());
  return words;
}

void MarkCorresponding(const std::string& name, v1::Document* doc) {
  if (name.empty()) return;
  for (v1::Author& author : *doc->mutable_authors()) {
    if (author.literal() == name || NameWords(author.literal()) == NameWords(name)) {
      AddRole(&author, v1::Author::CORRESPONDING_AUTHOR);
      return;
    }
  }
  if (doc->authors_size() == 0) {
    *doc->add_authors() = AuthorFromName(name, NameOrder::kUpperCaseFamily);
    AddRole(doc->mutable_authors(0), v1::Author::CORRESPONDING_AUTHOR);
  }
}

struct Block {
  v1::PassageType type = v1::ABSTRACT;
  std::vector<std::string> lines;
};

// One input line: as marked for author lines and as passage text.
struct InputLine {
  std::string marked;
  std::string text;
  bool page_break_before = false;
};

std::vector<InputLine> InputLines(absl::string_view text) {
  std::vector<InputLine> lines;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    bool page_break = false;
    for (absl::string_view piece : absl::StrSplit(raw, '\f')) {
      InputLine line;
      line.page_break_before = page_break;
      const absl::string_view stripped = absl::StripAsciiWhitespace(piece);
      line.marked = std::string(
          absl::StripAsciiWhitespace(LatexToText(stripped, Superscripts::kMarked)));
      line.text = std::string(
          absl::StripAsciiWhitespace(LatexToText(stripped, Superscripts::kText)));
      lines.push_back(std::move(line));
      page_break = true;
    }
  }
  return lines;
}

}  // namespace

absl::StatusOr<ParsedDocument> PlainAbstractParser::Parse(
    absl::string_view text) const {
  ParsedDocument parsed;
  v1::Document& doc = parsed.document;
  doc.set_format(v1::PLAIN_ABSTRACT);

  const std::vector<InputLine> lines = InputLines(text);
  std::vector<Block> blocks;
  bool block_open = false;
  bool page_break = false;
  bool keywords_seen = false;
  bool keywords_pending = false;
  bool in_front_matter = true;
  FrontMatter front;
  std::vector<std::string> corresponding;

  auto close_block = [&]() { block_open = false; };
  auto start_body = [&]() {
    if (in_front_matter) FlushFrontMatter(&front, &doc);
    in_front_matter = false;
  };
  auto add_keywords = [&](absl::string_view list) {
    for (std::string& k : SplitKeywords(list)) doc.add_keywords(std::move(k));
    keywords_seen = true;
  };
  auto append_body = [&](const std::string& line) {
    if (!block_open) {
      // A paragraph that a page break (or a converter's blank line) cut in
      // two continues in the same passage.
      const bool continues =
          !blocks.empty() && blocks.back().type == v1::ABSTRACT &&
          !EndsSentence(blocks.back().lines.back()) &&
          (page_break || u_islower(FirstCodePoint(line)));
      if (!continues) blocks.push_back(Block{});
      block_open = true;
    }
    blocks.back().lines.push_back(line);
    page_break = false;
  };
  // The next line (from `i`) that holds text.
  auto next_text_line = [&](size_t i) -> const InputLine* {
    for (size_t j = i + 1; j < lines.size(); ++j) {
      if (!lines[j].marked.empty()) return &lines[j];
    }
    return nullptr;
  };

  for (size_t i = 0; i < lines.size(); ++i) {
    const InputLine& input = lines[i];
    if (input.page_break_before) page_break = true;
    const absl::string_view line = input.text;
    if (line.empty()) {
      close_block();
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
    // Markdown headings: "# Title", "# Summary", "## Keywords".
    absl::string_view heading;
    const bool is_heading = absl::StartsWith(line, "#") && [&] {
      absl::string_view h = line;
      while (absl::ConsumePrefix(&h, "#")) {
      }
      if (h.empty() || h[0] != ' ') return false;
      heading = absl::StripAsciiWhitespace(h);
      return !heading.empty();
    }();
    const absl::string_view labelled = is_heading ? heading : line;
    if (std::optional<SectionStart> section = SectionLabel(labelled)) {
      close_block();
      if (section->section == Section::kKeywords) {
        if (section->rest.empty()) {
          keywords_pending = true;
        } else {
          add_keywords(section->rest);
        }
        continue;
      }
      start_body();
      if (!section->rest.empty()) append_body(std::string(section->rest));
      continue;
    }
    if (keywords_pending) {
      keywords_pending = false;
      add_keywords(line);
      close_block();
      continue;
    }
    if (std::optional<std::string> doi = DoiLine(line)) {
      if (doc.doi().empty()) doc.set_doi(*doi);
      close_block();
      continue;
    }
    if (IsJournalMetadata(line)) {
      close_block();
      continue;
    }
    if (std::optional<std::string> name = CorrespondenceName(line)) {
      corresponding.push_back(*name);
      close_block();
      continue;
    }
    if (IsPageNumber(line)) continue;
    if (is_heading) {
      close_block();
      if (!doc.has_title() && blocks.empty()) {
        doc.set_title(NormalizeText(heading));
        front.Clear();
        front.after_heading = true;
        in_front_matter = true;
        continue;
      }
      // A later heading: a translated title or a section of the abstract;
      // the front matter under it repeats the first.
      if (in_front_matter) FlushFrontMatter(&front, &doc);
      blocks.push_back(Block{v1::HEADING, {NormalizeText(heading)}});
      in_front_matter = true;
      front.translation = doc.authors_size() > 0;
      front.after_heading = true;
      continue;
    }
    if (StartsStructuredAbstract(line)) start_body();
    if (in_front_matter) {
      const auto [names_part, correspondence] = SplitCorrespondence(input.marked);
      const bool right_after_heading = front.after_heading && front.lines == 0;
      if (std::optional<std::vector<MarkedName>> names =
              ReadAuthorLine(names_part, /*require_markers=*/!right_after_heading)) {
        for (MarkedName& n : *names) front.names.push_back(std::move(n));
        if (!correspondence.empty()) {
          if (std::optional<std::string> name = CorrespondenceName(correspondence)) {
            corresponding.push_back(*name);
          }
        }
        ++front.lines;
        close_block();
        continue;
      }
      if (std::optional<std::vector<MarkedAffiliation>> affiliations =
              ReadNumberedAffiliations(input.marked);
          affiliations && (!front.names.empty() || NamesInstitution(line))) {
        for (MarkedAffiliation& a : *affiliations) {
          if (a.marker.empty()) {
            front.unnumbered.push_back(std::move(a.text));
          } else {
            front.numbered.emplace(a.marker, std::move(a.text));
          }
        }
        ++front.lines;
        close_block();
        continue;
      }
      // An unnumbered affiliation: an institution named after the authors,
      // not a sentence.
      if (!front.names.empty() && NamesInstitution(line) && line.size() < 400 &&
          !absl::EndsWith(line, ".") && !absl::EndsWith(line, "。")) {
        front.unnumbered.push_back(NormalizeText(line));
        ++front.lines;
        close_block();
        continue;
      }
      // PDF-to-text writes the title as the first line, right above the
      // author line.
      if (!doc.has_title() && blocks.empty() && front.lines == 0) {
        const InputLine* next = next_text_line(i);
        if (next != nullptr &&
            ReadAuthorLine(SplitCorrespondence(next->marked).first, true).has_value()) {
          doc.set_title(NormalizeText(line));
          front.after_heading = true;
          continue;
        }
      }
      start_body();
    }
    append_body(std::string(line));
  }
  if (in_front_matter) FlushFrontMatter(&front, &doc);
  for (const std::string& name : corresponding) MarkCorresponding(name, &doc);

  if (doc.has_title()) {
    PassageBuilder title(v1::TITLE);
    title.AppendText(doc.title());
    parsed.passages.push_back(*title.Finish());
  }
  for (const Block& block : blocks) {
    if (block.type == v1::ABSTRACT && !keywords_seen && LooksLikeKeywords(block.lines)) {
      add_keywords(block.lines[0]);
      continue;
    }
    PassageBuilder builder(block.type);
    for (size_t i = 0; i < block.lines.size(); ++i) {
      // Lines of Chinese text join without a space.
      if (i > 0 && !(IsCjk(LastCodePoint(block.lines[i - 1])) &&
                     IsCjk(FirstCodePoint(block.lines[i])))) {
        builder.Break();
      }
      builder.AppendText(block.lines[i]);
    }
    std::optional<v1::Passage> passage = builder.Finish();
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
