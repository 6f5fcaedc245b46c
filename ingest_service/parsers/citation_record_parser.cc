#include "ingest_service/parsers/citation_record_parser.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/identity/identifiers.h"
#include "corpus/text/text_normalizer.h"
#include "ingest_service/parsers/person_names.h"
#include "ingest_service/passages/passage_builder.h"
#include "corpus/text/quoted.h"

namespace biocorpus {
namespace {

const std::set<std::string, std::less<>>& KnownKeys() {
  static const auto* const kKeys = new std::set<std::string, std::less<>>{
      "AUTHOR", "AUTHORS", "TITLE",   "JOURNAL",  "VOLUME", "ISSUE",
      "NUMBER", "PAGES",   "YEAR",    "DATE",     "URL",    "DOI",
      "ISSN",   "ABSTRACT", "KEYWORDS", "LANGUAGE", "PUBLISHER"};
  return *kKeys;
}

struct Field {
  std::string key;
  std::string value;
  int line = 0;
};

// One input line with Markdown quoting removed and tabs made spaces.
struct CleanLine {
  std::string text;
  int number = 0;
};

std::vector<CleanLine> CleanLines(absl::string_view text) {
  std::vector<CleanLine> lines;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view line = absl::StripTrailingAsciiWhitespace(raw);
    // "> " quoting, possibly nested.
    for (;;) {
      absl::string_view stripped = absl::StripLeadingAsciiWhitespace(line);
      if (!absl::ConsumePrefix(&stripped, ">")) break;
      line = stripped;
    }
    const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(trimmed, "```") || absl::StartsWith(trimmed, "~~~")) {
      continue;  // A Markdown code fence line.
    }
    std::string cleaned(line);
    for (char& c : cleaned) {
      if (c == '\t' || c == '\r') c = ' ';
    }
    lines.push_back(CleanLine{std::move(cleaned), number});
  }
  return lines;
}

// If a key starts at `pos` of `line` (an upper-case word then '='), returns
// its length; otherwise 0.
size_t KeyLengthAt(absl::string_view line, size_t pos) {
  size_t end = pos;
  while (end < line.size() &&
         (absl::ascii_isupper(line[end]) || line[end] == '_' ||
          (end > pos && absl::ascii_isdigit(line[end])))) {
    ++end;
  }
  if (end - pos < 2 || end >= line.size() || line[end] != '=') return 0;
  return end - pos;
}

// A key may start a line or follow white space or a separator of reference
// strings: "VOLUME=9, YEAR=2021", "AUTHOR=x | YEAR=2020", "(YEAR=2020)".
bool IsKeyBoundary(absl::string_view line, size_t pos) {
  if (pos == 0) return true;
  const char before = line[pos - 1];
  return before == ' ' || before == '|' || before == ',' || before == ';' ||
         before == '.' || before == '(' || before == '[';
}

// Length of a list-item marker at `pos` ("1. ", "12) ", "[3] ", "- ", "* ",
// "+ "), or 0.
size_t ListMarkerLength(absl::string_view line, size_t pos) {
  const absl::string_view rest = line.substr(pos);
  if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') &&
      rest[1] == ' ') {
    return 2;
  }
  size_t i = absl::StartsWith(rest, "[") ? 1 : 0;
  const size_t digits_start = i;
  while (i < rest.size() && absl::ascii_isdigit(rest[i])) ++i;
  if (i == digits_start || i - digits_start > 3 || i >= rest.size()) return 0;
  if (digits_start == 1) {
    if (rest[i] != ']') return 0;
  } else if (rest[i] != '.' && rest[i] != ')') {
    return 0;
  }
  ++i;
  if (i < rest.size() && rest[i] != ' ') return 0;
  return i;
}

// One record: the text before its first key (a reference string's title,
// authors and year), its fields in input order and the lines it spans.
struct Record {
  std::string lead;
  std::vector<Field> fields;
  int first_line = 0;
  int last_line = 0;
};

// Splits the input into records and each record into fields. A record begins
// at a list item ("1. **Title** … YEAR=2021") or at a known key at the start
// of a line that the current record already has; anywhere else a repeated
// key is text. A list item that holds no key is text of the record before.
std::vector<Record> SplitRecords(const std::vector<CleanLine>& lines) {
  std::vector<Record> records(1);
  std::set<std::string, std::less<>> seen;
  auto begin_record = [&](int line_number) {
    if (records.back().fields.empty() && records.size() > 1) {
      // A list item without keys belongs to the record before it.
      const std::string lead = records.back().lead;
      records.pop_back();
      absl::StrAppend(&records.back().fields.back().value, "\n", lead);
    } else if (records.back().fields.empty()) {
      records.pop_back();  // Text before the first record.
    }
    records.emplace_back();
    records.back().first_line = line_number;
    seen.clear();
  };
  // Appends text to the current field, or to the lead before the first one.
  auto append = [&](absl::string_view text, bool new_line) {
    Record& record = records.back();
    std::string& target = record.fields.empty() ? record.lead : record.fields.back().value;
    if (new_line && !target.empty()) target += "\n";
    absl::StrAppend(&target, text);
  };
  for (const CleanLine& line : lines) {
    const absl::string_view text = line.text;
    size_t first = text.find_first_not_of(' ');
    if (first == absl::string_view::npos) first = text.size();
    if (const size_t marker = ListMarkerLength(text, first); marker > 0) {
      begin_record(line.number);
      first = text.find_first_not_of(' ', first + marker);
      if (first == absl::string_view::npos) first = text.size();
    }
    if (records.back().first_line == 0) records.back().first_line = line.number;
    size_t value_start = first;
    bool line_has_key = false;
    for (size_t pos = first; pos < text.size(); ++pos) {
      if (!IsKeyBoundary(text, pos)) continue;
      const size_t length = KeyLengthAt(text, pos);
      if (length == 0) continue;
      const absl::string_view key = text.substr(pos, length);
      const bool known = KnownKeys().count(key) > 0;
      const bool repeated = seen.count(key) > 0;
      if (!known && pos != first) continue;
      if (repeated && pos != first) continue;
      append(text.substr(value_start, pos - value_start), !line_has_key);
      if (repeated) begin_record(line.number);
      seen.insert(std::string(key));
      records.back().fields.push_back(Field{std::string(key), "", line.number});
      value_start = pos + length + 1;
      pos = value_start - 1;
      line_has_key = true;
    }
    append(text.substr(std::min(value_start, text.size())), !line_has_key);
    records.back().last_line = line.number;
  }
  begin_record(0);  // Settles the last record; the empty one it opens goes.
  records.pop_back();
  for (Record& record : records) {
    record.lead = NormalizeText(DecodeEntities(record.lead));
    for (Field& field : record.fields) {
      field.value = NormalizeText(DecodeEntities(field.value));
    }
  }
  return records;
}

// The first run of digits in `volume` ("Volume 10 - 2022" -> "10"), or
// `volume` itself when it has none.
std::string VolumeNumber(absl::string_view volume) {
  const size_t start = volume.find_first_of("0123456789");
  if (start == absl::string_view::npos) return std::string(volume);
  const size_t end = volume.find_first_not_of("0123456789", start);
  return std::string(volume.substr(start, end - start));
}

}  // namespace

bool CitationRecordParser::LooksLikeCitationRecord(absl::string_view text) {
  for (const CleanLine& line : CleanLines(text.substr(0, 1 << 16))) {
    const absl::string_view t = line.text;
    for (size_t pos = 0; pos < t.size(); ++pos) {
      if (!IsKeyBoundary(t, pos)) continue;
      const size_t length = KeyLengthAt(t, pos);
      if (length > 0 && KnownKeys().count(t.substr(pos, length)) > 0) {
        return true;
      }
    }
  }
  return false;
}

namespace {

// Fields whose values end at a full stop: "YEAR=2021. DOI=…".
bool IsCodeKey(absl::string_view key) {
  return key == "YEAR" || key == "VOLUME" || key == "ISSUE" || key == "NUMBER" ||
         key == "PAGES" || key == "DOI" || key == "URL" || key == "ISSN" ||
         key == "DATE" || key == "LANGUAGE";
}

// A value without the separators of a reference string after it.
std::string TrimSeparators(absl::string_view key, std::string value) {
  const bool abstract = key == "ABSTRACT";
  while (!value.empty()) {
    const char c = value.back();
    if (c == ' ' || c == '|' || (!abstract && (c == ',' || c == ';')) ||
        (c == '.' && IsCodeKey(key))) {
      value.pop_back();
    } else {
      break;
    }
  }
  return value;
}

// The URL of "<https://…>" or "[text](https://…)", else `value`.
std::string UnwrapUrl(const std::string& value) {
  absl::string_view v = value;
  if (absl::ConsumePrefix(&v, "<") && absl::ConsumeSuffix(&v, ">")) return std::string(v);
  const size_t open = value.find("](");
  if (absl::StartsWith(value, "[") && open != std::string::npos && absl::EndsWith(value, ")")) {
    return value.substr(open + 2, value.size() - open - 3);
  }
  return value;
}

bool IsYear(absl::string_view text, int* year) {
  return text.size() == 4 && absl::SimpleAtoi(text, year) && *year >= 1000 && *year <= 2999;
}

// "Frontiers in Neuroscience, 14, 2020": the journal, then the volume and
// year a reference string writes after it.
struct JournalParts {
  std::string journal;
  std::string volume;
  std::string issue;
  int year = 0;
};

JournalParts SplitJournal(absl::string_view value) {
  JournalParts parts;
  std::vector<absl::string_view> pieces = absl::StrSplit(value, ',');
  while (pieces.size() > 1) {
    absl::string_view piece = absl::StripAsciiWhitespace(pieces.back());
    absl::ConsumeSuffix(&piece, ".");
    int year = 0;
    if (parts.year == 0 && parts.volume.empty() && IsYear(piece, &year)) {
      parts.year = year;
    } else if (parts.volume.empty() && !piece.empty() && absl::ascii_isdigit(piece[0])) {
      // "14" or "14(3)".
      const size_t paren = piece.find('(');
      parts.volume = std::string(piece.substr(0, paren));
      if (paren != absl::string_view::npos && absl::EndsWith(piece, ")")) {
        parts.issue = std::string(piece.substr(paren + 1, piece.size() - paren - 2));
      }
      if (!std::all_of(parts.volume.begin(), parts.volume.end(),
                       [](char c) { return absl::ascii_isdigit(c); })) {
        parts.volume.clear();
        parts.issue.clear();
        break;
      }
    } else {
      break;
    }
    pieces.pop_back();
  }
  parts.journal = std::string(absl::StripAsciiWhitespace(absl::StrJoin(pieces, ",")));
  return parts;
}

// What the text before a reference string's first key gives.
struct Lead {
  std::string title;
  std::string url;
  std::string doi;
  int year = 0;
  std::vector<std::string> authors;
};

// Removes the first span from `open` to `close` in `text`, returning what
// it held.
std::optional<std::string> TakeDelimited(std::string* text, absl::string_view open,
                                         absl::string_view close) {
  const size_t start = text->find(open.data(), 0, open.size());
  if (start == std::string::npos) return std::nullopt;
  const size_t end = text->find(close.data(), start + open.size(), close.size());
  if (end == std::string::npos) return std::nullopt;
  std::string inside = text->substr(start + open.size(), end - start - open.size());
  text->replace(start, end + close.size() - start, " | ");
  return inside;
}

bool IsInitials(absl::string_view word) {
  // "J.", "JA", "J.-P.", "A.B."
  bool letter = false;
  for (char c : word) {
    if (absl::ascii_isupper(c)) {
      letter = true;
    } else if (c != '.' && c != '-') {
      return false;
    }
  }
  return letter && word.size() <= 5;
}

// Names of a plain author line: "Okafor Ngozi, Brandt Lukas", "Silva Ana;
// Mwangi Joseph", "Smith, J., & Doe, A.". Empty unless every piece is a name.
std::vector<std::string> ReadAuthorNames(absl::string_view text) {
  auto is_edge = [](char c) {
    return c == '.' || c == ',' || c == ';' || c == '|' || c == ':' || c == ' ';
  };
  while (!text.empty() && is_edge(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_edge(text.back())) {
    // The full stop of an initial stays: "Lee, C."
    if (text.back() == '.' && text.size() >= 2 && absl::ascii_isupper(text[text.size() - 2]) &&
        (text.size() == 2 || !absl::ascii_isalpha(text[text.size() - 3]))) {
      break;
    }
    text.remove_suffix(1);
  }
  if (text.empty()) return {};
  const char separator = text.find(';') != absl::string_view::npos ? ';' : ',';
  std::vector<std::string> names;
  for (absl::string_view piece : absl::StrSplit(text, separator)) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!absl::ConsumePrefix(&piece, "& ")) absl::ConsumePrefix(&piece, "and ");
    piece = absl::StripAsciiWhitespace(piece);
    if (piece.empty()) continue;
    const std::vector<absl::string_view> words = absl::StrSplit(piece, ' ', absl::SkipEmpty());
    const bool initials_only = std::all_of(words.begin(), words.end(), IsInitials);
    if (initials_only && !names.empty()) {
      absl::StrAppend(&names.back(), " ", piece);  // "Smith" then "J."
      continue;
    }
    if (words.size() > 5) return {};
    for (absl::string_view word : words) {
      const unsigned char c = static_cast<unsigned char>(word[0]);
      if (!(absl::ascii_isupper(c) || c >= 0x80)) return {};
      if (std::any_of(word.begin(), word.end(), [](char ch) { return absl::ascii_isdigit(ch); })) {
        return {};
      }
    }
    names.emplace_back(piece);
  }
  return names;
}

Lead ReadLead(absl::string_view text) {
  Lead lead;
  std::string rest(text);
  // A linked title: "[Title](https://doi.org/10.x/y)".
  const size_t link = rest.find("](");
  if (link != std::string::npos) {
    const size_t open = rest.rfind('[', link);
    const size_t close = rest.find(')', link + 2);
    if (open != std::string::npos && close != std::string::npos) {
      lead.title = rest.substr(open + 1, link - open - 1);
      lead.url = rest.substr(link + 2, close - link - 2);
      rest.replace(open, close + 1 - open, " | ");
    }
  }
  for (auto [open, close] : {std::pair<absl::string_view, absl::string_view>{"**", "**"},
                             {"__", "__"}, {"<b>", "</b>"}, {"<strong>", "</strong>"}}) {
    if (std::optional<std::string> bold = TakeDelimited(&rest, open, close)) {
      if (lead.title.empty()) lead.title = *bold;
    }
  }
  // URLs and DOIs written in the text.
  std::vector<std::string> kept;
  for (absl::string_view word : absl::StrSplit(rest, ' ', absl::SkipEmpty())) {
    std::string w(word);
    while (!w.empty() && (w.back() == '.' || w.back() == ',' || w.back() == ')')) w.pop_back();
    if (absl::StartsWithIgnoreCase(w, "http://") || absl::StartsWithIgnoreCase(w, "https://")) {
      if (lead.url.empty()) lead.url = w;
      if (lead.doi.empty()) lead.doi = NormalizeDoi(w);
      continue;
    }
    if (absl::StartsWithIgnoreCase(w, "doi:")) {
      if (lead.doi.empty()) lead.doi = NormalizeDoi(w.substr(4));
      continue;
    }
    kept.emplace_back(word);
  }
  rest = absl::StrJoin(kept, " ");
  if (lead.doi.empty() && !lead.url.empty()) lead.doi = NormalizeDoi(lead.url);
  // An APA year: "Smith J (2018). Title."
  std::string before = rest;
  std::string after;
  for (size_t open = rest.find('('); open != std::string::npos; open = rest.find('(', open + 1)) {
    const size_t close = rest.find(')', open);
    if (close == std::string::npos) break;
    std::string inside = rest.substr(open + 1, close - open - 1);
    if (inside.size() == 5 && absl::ascii_islower(inside.back())) inside.pop_back();  // 2018a
    int year = 0;
    if (IsYear(inside, &year)) {
      lead.year = year;
      before = rest.substr(0, open);
      after = rest.substr(close + 1);
      break;
    }
  }
  lead.authors = ReadAuthorNames(before);
  if (lead.title.empty()) {
    // A plain title: after the year, or the first sentence when there is none.
    absl::string_view candidate = lead.year != 0 ? absl::string_view(after)
                                                 : absl::string_view(rest);
    if (lead.year == 0 && !lead.authors.empty()) candidate = {};
    candidate = absl::StripAsciiWhitespace(candidate);
    while (absl::ConsumePrefix(&candidate, ".") || absl::ConsumePrefix(&candidate, "|")) {
      candidate = absl::StripAsciiWhitespace(candidate);
    }
    const size_t stop = candidate.find(". ");
    candidate = candidate.substr(0, stop);
    while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == '|' ||
                                  candidate.back() == ' ')) {
      candidate.remove_suffix(1);
    }
    lead.title = std::string(candidate);
  }
  lead.title = NormalizeText(lead.title);
  while (!lead.title.empty() && (lead.title.back() == '.' || lead.title.back() == ',')) {
    lead.title.pop_back();
  }
  return lead;
}

// A name of an author list: "J. Smith" puts the family name last; "Smith J"
// and "Xue Yang" put it first, as citation records do.
v1::Author ReferenceAuthor(absl::string_view name) {
  const std::vector<absl::string_view> words = absl::StrSplit(name, ' ', absl::SkipEmpty());
  const bool initials_first = words.size() > 1 && IsInitials(words.front()) &&
                              !IsInitials(words.back());
  return AuthorFromName(name, initials_first ? NameOrder::kFamilyLast : NameOrder::kFamilyFirst);
}

absl::StatusOr<ParsedDocument> ParseRecord(const Record& record) {
  const std::vector<Field>& fields = record.fields;
  ParsedDocument parsed;
  v1::Document& doc = parsed.document;
  doc.set_format(v1::CITATION_RECORD);
  JournalParts journal;
  std::string abstract;
  for (const Field& field : fields) {
    const std::string& key = field.key;
    std::string v = TrimSeparators(key, field.value);
    if (key == "URL" || key == "DOI") v = UnwrapUrl(v);
    if (key == "AUTHOR" || key == "AUTHORS") {
      const char separator = v.find(';') != std::string::npos ? ';' : ',';
      for (absl::string_view name : absl::StrSplit(v, separator)) {
        name = absl::StripAsciiWhitespace(name);
        if (!name.empty()) *doc.add_authors() = AuthorFromName(name, NameOrder::kFamilyFirst);
      }
    } else if (key == "TITLE") {
      if (!v.empty()) doc.set_title(v);
    } else if (key == "JOURNAL") {
      journal = SplitJournal(v);
      doc.set_container_title(journal.journal);
    } else if (key == "VOLUME") {
      doc.set_volume(VolumeNumber(v));
    } else if (key == "ISSUE" || key == "NUMBER") {
      doc.set_issue(v);
    } else if (key == "PAGES") {
      doc.set_pages(v);
    } else if (key == "YEAR") {
      int year = 0;
      if (!absl::SimpleAtoi(v, &year) || year < 1000 || year > 9999) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", field.line, ": YEAR is not a year: ", Quoted(v)));
      }
      doc.set_year(year);
    } else if (key == "DATE") {
      doc.set_date(v);
    } else if (key == "URL") {
      doc.set_url(v);
    } else if (key == "DOI") {
      if (v.empty()) continue;
      const std::string doi = NormalizeDoi(v);
      if (doi.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", field.line, ": DOI is not a DOI (10.prefix/suffix): ", Quoted(v)));
      }
      doc.set_doi(doi);
    } else if (key == "ISSN") {
      doc.set_issn(v);
    } else if (key == "ABSTRACT") {
      abstract = v;
    } else if (key == "KEYWORDS") {
      for (absl::string_view k : absl::StrSplit(v, absl::ByAnyChar(",;"))) {
        k = absl::StripAsciiWhitespace(k);
        if (!k.empty()) doc.add_keywords(std::string(k));
      }
    } else if (key == "LANGUAGE") {
      doc.set_language(v);
    } else {
      (*doc.mutable_extra_metadata())[key] = v;
    }
  }
  // What a reference string gives around its keys fills what the keys
  // leave out.
  if (doc.volume().empty()) doc.set_volume(journal.volume);
  if (doc.issue().empty()) doc.set_issue(journal.issue);
  if (doc.year() == 0) doc.set_year(journal.year);
  if (!record.lead.empty()) {
    const Lead lead = ReadLead(record.lead);
    if (!doc.has_title() && !lead.title.empty()) doc.set_title(lead.title);
    if (doc.authors_size() == 0) {
      for (const std::string& name : lead.authors) *doc.add_authors() = ReferenceAuthor(name);
    }
    if (doc.year() == 0) doc.set_year(lead.year);
    if (doc.doi().empty()) doc.set_doi(lead.doi);
    if (doc.url().empty()) doc.set_url(lead.url);
  }
  if (doc.doi().empty() && !doc.url().empty()) {
    doc.set_doi(DoiInUrl(doc.url()));
    if (!doc.doi().empty()) {
      parsed.warnings.push_back(
          absl::StrCat("DOI ", doc.doi(), " taken from the URL"));
    }
  }
  if (!doc.has_title() && doc.doi().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", record.first_line,
        ": citation record has neither TITLE nor DOI: one of them is required"));
  }
  if (doc.year() == 0 && !doc.date().empty()) {
    int year = 0;
    if (absl::SimpleAtoi(doc.date().substr(0, 4), &year)) doc.set_year(year);
  }
  if (doc.has_title()) {
    PassageBuilder title(v1::TITLE);
    title.AppendText(doc.title());
    parsed.passages.push_back(*title.Finish());
  }
  if (!abstract.empty()) {
    PassageBuilder builder(v1::ABSTRACT);
    builder.AppendText(abstract);
    parsed.passages.push_back(*builder.Finish());
  }
  return parsed;
}

}  // namespace

absl::StatusOr<std::vector<ParsedDocument>> CitationRecordParser::Parse(
    absl::string_view text) const {
  const std::vector<CleanLine> lines = CleanLines(text);
  const std::vector<Record> records = SplitRecords(lines);
  if (records.empty()) {
    return absl::InvalidArgumentError(
        "citation record has no KEY=value fields (expected e.g. TITLE=...)");
  }
  std::vector<ParsedDocument> documents;
  for (size_t i = 0; i < records.size(); ++i) {
    absl::StatusOr<ParsedDocument> parsed = ParseRecord(records[i]);
    if (!parsed.ok()) {
      if (records.size() == 1) return parsed.status();
      return absl::InvalidArgumentError(
          absl::StrCat("record ", i + 1, " of ", records.size(), ", ",
                       parsed.status().message()));
    }
    if (records.size() > 1) {
      // Each record is its own document: its own lines are its content.
      for (const CleanLine& line : lines) {
        if (line.number >= records[i].first_line &&
            line.number <= records[i].last_line) {
          absl::StrAppend(&parsed->source_text, line.text, "\n");
        }
      }
    }
    documents.push_back(std::move(*parsed));
  }
  return documents;
}

}  // namespace biocorpus
