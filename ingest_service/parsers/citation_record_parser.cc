#include "ingest_service/parsers/citation_record_parser.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

// One record: its fields in input order and the lines it spans.
struct Record {
  std::vector<Field> fields;
  int first_line = 0;
  int last_line = 0;
};

// Splits the input into records and each record into fields. A known key at
// the start of a line that the current record already has begins the next
// record; anywhere else a repeated key is text.
std::vector<Record> SplitRecords(const std::vector<CleanLine>& lines) {
  std::vector<Record> records;
  std::set<std::string, std::less<>> seen;
  for (const CleanLine& line : lines) {
    const absl::string_view text = line.text;
    const size_t first = text.find_first_not_of(' ');
    size_t value_start = 0;
    bool line_has_key = false;
    for (size_t pos = first == absl::string_view::npos ? text.size() : first;
         pos < text.size(); ++pos) {
      if (pos > 0 && text[pos - 1] != ' ') continue;
      const size_t length = KeyLengthAt(text, pos);
      if (length == 0) continue;
      const absl::string_view key = text.substr(pos, length);
      const bool known = KnownKeys().count(key) > 0;
      const bool repeated = seen.count(key) > 0;
      if (!known && pos != first) continue;
      if (repeated && pos != first) continue;
      if (!records.empty() && !records.back().fields.empty()) {
        Field& previous = records.back().fields.back();
        if (line_has_key) {
          absl::StrAppend(&previous.value,
                          text.substr(value_start, pos - value_start));
        } else {
          absl::StrAppend(&previous.value, "\n", text.substr(0, pos));
        }
      }
      if (records.empty() || repeated) {
        records.emplace_back();
        records.back().first_line = line.number;
        seen.clear();
      }
      seen.insert(std::string(key));
      records.back().fields.push_back(Field{std::string(key), "", line.number});
      value_start = pos + length + 1;
      pos = value_start - 1;
      line_has_key = true;
    }
    if (records.empty()) continue;  // Text before the first key is ignored.
    Field& current = records.back().fields.back();
    if (line_has_key) {
      absl::StrAppend(&current.value, text.substr(value_start));
    } else {
      absl::StrAppend(&current.value, "\n", text);
    }
    records.back().last_line = line.number;
  }
  for (Record& record : records) {
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
      if (pos > 0 && t[pos - 1] != ' ') continue;
      const size_t length = KeyLengthAt(t, pos);
      if (length > 0 && KnownKeys().count(t.substr(pos, length)) > 0) {
        return true;
      }
    }
  }
  return false;
}

namespace {

absl::StatusOr<ParsedDocument> ParseRecord(const Record& record) {
  const std::vector<Field>& fields = record.fields;
  ParsedDocument parsed;
  v1::Document& doc = parsed.document;
  doc.set_format(v1::CITATION_RECORD);
  std::string abstract;
  for (const Field& field : fields) {
    const std::string& v = field.value;
    const std::string& key = field.key;
    if (key == "AUTHOR" || key == "AUTHORS") {
      const char separator = v.find(';') != std::string::npos ? ';' : ',';
      for (absl::string_view name : absl::StrSplit(v, separator)) {
        name = absl::StripAsciiWhitespace(name);
        if (!name.empty()) *doc.add_authors() = AuthorFromName(name, NameOrder::kFamilyFirst);
      }
    } else if (key == "TITLE") {
      if (!v.empty()) doc.set_title(v);
    } else if (key == "JOURNAL") {
      doc.set_container_title(v);
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
