#include "query_service/citations/citation_renderer.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"

namespace biocorpus {
namespace {

// Year, month, day of the document's date (or just its year), as far as known.
std::vector<int> DateParts(const v1::Document& document) {
  std::vector<int> parts;
  const std::string& date = document.date();
  int year = 0, month = 0, day = 0;
  if (date.size() >= 4 && absl::SimpleAtoi(date.substr(0, 4), &year)) {
    parts.push_back(year);
    if (date.size() >= 7 && date[4] == '-' && absl::SimpleAtoi(date.substr(5, 2), &month) &&
        month >= 1 && month <= 12) {
      parts.push_back(month);
      if (date.size() >= 10 && date[7] == '-' &&
          absl::SimpleAtoi(date.substr(8, 2), &day) && day >= 1 && day <= 31) {
        parts.push_back(day);
      }
    }
  } else if (document.year() > 0) {
    parts.push_back(document.year());
  }
  return parts;
}

// "55-71" -> {"55", "71"}; "e1042" -> {"e1042", ""}.
std::pair<std::string, std::string> PageRange(const std::string& pages) {
  for (absl::string_view dash : {"--", "\xE2\x80\x93", "-"}) {
    const size_t at = pages.find(std::string(dash));
    if (at != std::string::npos && at > 0) {
      return {std::string(absl::StripAsciiWhitespace(pages.substr(0, at))),
              std::string(absl::StripAsciiWhitespace(pages.substr(at + dash.size())))};
    }
  }
  return {pages, ""};
}

std::string DoiUrl(const v1::Document& document) {
  return document.doi().empty() ? "" : absl::StrCat("https://doi.org/", document.doi());
}

// Initials of given names for APA: "Peipei" -> "P.", "Jean-Paul" -> "J.-P.".
std::string Initials(const std::string& given) {
  std::vector<std::string> out;
  for (absl::string_view word : absl::StrSplit(given, ' ', absl::SkipEmpty())) {
    std::vector<std::string> parts;
    for (absl::string_view part : absl::StrSplit(word, '-', absl::SkipEmpty())) {
      // The first character, whole (it may be more than one byte).
      size_t n = 1;
      while (n < part.size() && (static_cast<unsigned char>(part[n]) & 0xC0) == 0x80) ++n;
      parts.push_back(absl::StrCat(part.substr(0, n), "."));
    }
    out.push_back(absl::StrJoin(parts, "-"));
  }
  return absl::StrJoin(out, " ");
}

std::string LatexEscape(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '~':
        out.append("\\textasciitilde{}");
        break;
      case '^':
        out.append("\\textasciicircum{}");
        break;
      case '\\':
        out.append("\\textbackslash{}");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

v1::Citation CitationOf(const v1::Document& document) {
  v1::Citation citation;
  citation.set_document(document.name());
  citation.set_format(document.format());
  if (document.has_title()) citation.set_title(document.title());
  *citation.mutable_authors() = document.authors();
  citation.set_container_title(document.container_title());
  citation.set_volume(document.volume());
  citation.set_issue(document.issue());
  citation.set_pages(document.pages());
  citation.set_year(document.year());
  citation.set_date(document.date());
  citation.set_doi(document.doi());
  citation.set_url(document.url());
  citation.set_issn(document.issn());
  return citation;
}

std::string RenderCslJson(const v1::Document& document) {
  google::protobuf::Struct item;
  auto& fields = *item.mutable_fields();
  auto set = [&](const char* name, const std::string& value) {
    if (!value.empty()) fields[name].set_string_value(value);
  };
  set("id", DocIdFromName(document.name()));
  switch (document.format()) {
    case v1::CITATION_RECORD:
      set("type", "article-journal");
      break;
    case v1::MIRRORED_ARTICLE:
      set("type", "article-newspaper");
      break;
    default:
      set("type", "article");
  }
  if (document.has_title()) set("title", document.title());
  if (document.authors_size() > 0) {
    auto* authors = fields["author"].mutable_list_value();
    for (const v1::Author& a : document.authors()) {
      auto& name = *authors->add_values()->mutable_struct_value()->mutable_fields();
      if (!a.family().empty()) {
        name["family"].set_string_value(a.family());
        if (!a.given().empty()) name["given"].set_string_value(a.given());
      } else {
        name["literal"].set_string_value(a.literal());
      }
    }
  }
  set("container-title", document.container_title());
  set("volume", document.volume());
  set("issue", document.issue());
  set("page", document.pages());
  const std::vector<int> parts = DateParts(document);
  if (!parts.empty()) {
    auto* date_parts = fields["issued"].mutable_struct_value()->mutable_fields();
    auto* outer = (*date_parts)["date-parts"].mutable_list_value();
    auto* inner = outer->add_values()->mutable_list_value();
    for (int part : parts) inner->add_values()->set_number_value(part);
  }
  set("DOI", document.doi());
  set("URL", document.url().empty() ? DoiUrl(document) : document.url());
  set("ISSN", document.issn());
  if (document.keywords_size() > 0) set("keyword", absl::StrJoin(document.keywords(), ", "));
  set("language", document.language());
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(item, &json, options).ok()) return "{}";
  // Struct numbers print as 2022 for integral values.
  return json;
}

std::string BibtexKey(const v1::Document& document) {
  std::string family;
  if (document.authors_size() > 0) {
    const v1::Author& a = document.authors(0);
    family = a.family().empty() ? a.literal() : a.family();
  }
  std::string key;
  for (const std::string& part :
       {NormalizeForMatching(family), document.year() > 0 ? absl::StrCat(document.year()) : "",
        document.has_title() && !TitleWords(document.title()).empty()
            ? TitleWords(document.title()).front()
            : ""}) {
    for (char c : part) {
      if (absl::ascii_isalnum(c)) key.push_back(c);
    }
  }
  // Keys must be ASCII; fall back to the document id.
  return key.empty() || !absl::ascii_isalpha(key[0])
             ? absl::StrCat("doc", DocIdFromName(document.name()))
             : key;
}

std::string RenderBibtex(const v1::Document& document) {
  const bool journal = document.format() == v1::CITATION_RECORD &&
                       !document.container_title().empty();
  std::vector<std::pair<std::string, std::string>> fields;
  if (document.authors_size() > 0) {
    std::vector<std::string> names;
    for (const v1::Author& a : document.authors()) {
      names.push_back(a.family().empty()
                          ? absl::StrCat("{", LatexEscape(a.literal()), "}")
                          : a.given().empty()
                                ? LatexEscape(a.family())
                                : absl::StrCat(LatexEscape(a.family()), ", ",
                                               LatexEscape(a.given())));
    }
    fields.push_back({"author", absl::StrJoin(names, " and ")});
  }
  if (document.has_title()) {
    // Double braces keep the title's capitalisation in every style.
    fields.push_back({"title", absl::StrCat("{", LatexEscape(document.title()), "}")});
  }
  if (journal) {
    fields.push_back({"journal", LatexEscape(document.container_title())});
  } else if (!document.container_title().empty()) {
    fields.push_back({"howpublished", LatexEscape(document.container_title())});
  }
  if (!document.volume().empty()) fields.push_back({"volume", LatexEscape(document.volume())});
  if (!document.issue().empty()) fields.push_back({"number", LatexEscape(document.issue())});
  if (!document.pages().empty()) {
    const auto [first, last] = PageRange(document.pages());
    fields.push_back({"pages", LatexEscape(last.empty() ? first : absl::StrCat(first, "--", last))});
  }
  if (document.year() > 0) fields.push_back({"year", absl::StrCat(document.year())});
  const std::vector<int> parts = DateParts(document);
  if (parts.size() >= 2) fields.push_back({"month", absl::StrCat(parts[1])});
  if (!document.doi().empty()) fields.push_back({"doi", LatexEscape(document.doi())});
  if (!document.url().empty()) fields.push_back({"url", document.url()});
  if (!document.issn().empty()) fields.push_back({"issn", document.issn()});
  if (document.keywords_size() > 0) {
    fields.push_back({"keywords", LatexEscape(absl::StrJoin(document.keywords(), ", "))});
  }
  std::string out = absl::StrCat("@", journal ? "article" : "misc", "{", BibtexKey(document));
  for (const auto& [name, value] : fields) {
    absl::StrAppend(&out, ",\n  ", name, " = {", value, "}");
  }
  absl::StrAppend(&out, "\n}\n");
  return out;
}

std::string RenderRis(const v1::Document& document) {
  std::string out;
  auto line = [&](const char* tag, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&out, tag, "  - ", value, "\n");
  };
  line("TY", document.format() == v1::CITATION_RECORD
                 ? "JOUR"
                 : document.format() == v1::MIRRORED_ARTICLE ? "NEWS" : "GEN");
  for (const v1::Author& a : document.authors()) {
    line("AU", a.family().empty() ? a.literal()
                                  : a.given().empty() ? a.family()
                                                      : absl::StrCat(a.family(), ", ", a.given()));
  }
  if (document.has_title()) line("TI", document.title());
  line("T2", document.container_title());
  line("VL", document.volume());
  line("IS", document.issue());
  if (!document.pages().empty()) {
    const auto [first, last] = PageRange(document.pages());
    line("SP", first);
    line("EP", last);
  }
  if (document.year() > 0) line("PY", absl::StrCat(document.year()));
  const std::vector<int> parts = DateParts(document);
  if (parts.size() >= 2) {  // PY already gives a bare year.
    std::string date = absl::StrCat(parts[0], "/");
    for (size_t i = 1; i < 3; ++i) {
      absl::StrAppend(&date, i < parts.size() ? absl::StrFormat("%02d", parts[i]) : "", "/");
    }
    line("DA", date);
  }
  line("DO", document.doi());
  line("UR", document.url().empty() ? DoiUrl(document) : document.url());
  line("SN", document.issn());
  for (const std::string& keyword : document.keywords()) line("KW", keyword);
  line("LA", document.language());
  // The end tag has nothing after its dash.
  absl::StrAppend(&out, "ER  - \n");
  return out;
}

std::string RenderApa(const v1::Document& document) {
  std::vector<std::string> names;
  for (const v1::Author& a : document.authors()) {
    if (a.family().empty()) {
      names.push_back(a.literal());
    } else if (a.given().empty()) {
      names.push_back(a.family());
    } else {
      names.push_back(absl::StrCat(a.family(), ", ", Initials(a.given())));
    }
  }
  std::string authors;
  if (names.size() == 1) {
    authors = names[0];
  } else if (names.size() >= 2 && names.size() <= 20) {
    authors = absl::StrCat(
        absl::StrJoin(std::vector<std::string>(names.begin(), names.end() - 1), ", "),
        ", & ", names.back());
  } else if (names.size() > 20) {
    // APA 7: the first 19, an ellipsis, then the last.
    authors = absl::StrCat(
        absl::StrJoin(std::vector<std::string>(names.begin(), names.begin() + 19), ", "),
        ", . . . ", names.back());
  }
  const std::vector<int> parts = DateParts(document);
  std::string date = "n.d.";
  if (!parts.empty()) {
    date = absl::StrCat(parts[0]);
    // News articles carry the full date: (2022, April 8).
    static const char* const kMonths[] = {"January", "February", "March", "April",
                                          "May", "June", "July", "August",
                                          "September", "October", "November", "December"};
    if (document.format() == v1::MIRRORED_ARTICLE && parts.size() >= 2) {
      absl::StrAppend(&date, ", ", kMonths[parts[1] - 1]);
      if (parts.size() >= 3) absl::StrAppend(&date, " ", parts[2]);
    }
  }
  std::string title;
  if (document.has_title()) {
    title = document.title();
  } else {
    title = document.format() == v1::PLAIN_ABSTRACT ? "[Untitled abstract]" : "[Untitled]";
  }
  auto sentence = [](std::string text) {
    if (!text.empty() && text.back() != '.' && text.back() != '?' && text.back() != '!') {
      text.push_back('.');
    }
    return text;
  };
  std::string out;
  if (!authors.empty()) {
    out = absl::StrCat(sentence(authors), " (", date, "). ", sentence(title));
  } else {
    out = absl::StrCat(sentence(title), " (", date, ").");
  }
  std::string source = document.container_title();
  if (!source.empty()) {
    if (!document.volume().empty()) {
      absl::StrAppend(&source, ", ", document.volume());
      if (!document.issue().empty()) absl::StrAppend(&source, "(", document.issue(), ")");
    }
    if (!document.pages().empty()) {
      const auto [first, last] = PageRange(document.pages());
      absl::StrAppend(&source, ", ", last.empty() ? first : absl::StrCat(first, "\xE2\x80\x93", last));
    }
    absl::StrAppend(&out, " ", sentence(source));
  }
  const std::string link = document.doi().empty() ? document.url() : DoiUrl(document);
  if (!link.empty()) absl::StrAppend(&out, " ", link);
  return out;
}

std::string Render(const v1::Document& document, v1::CitationFormat format) {
  switch (format) {
    case v1::CSL_JSON:
      return RenderCslJson(document);
    case v1::BIBTEX:
      return RenderBibtex(document);
    case v1::RIS:
      return RenderRis(document);
    case v1::APA:
      return RenderApa(document);
    default:
      return "";
  }
}

}  // namespace biocorpus
