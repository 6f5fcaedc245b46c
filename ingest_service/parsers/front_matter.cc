#include "ingest_service/parsers/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/text/text_normalizer.h"
#include "ingest_service/parsers/person_names.h"

namespace biocorpus {
namespace {

std::string Clean(absl::string_view value) {
  return NormalizeText(DecodeEntities(value));
}

// The strings of a scalar or a sequence of scalars.
std::vector<std::string> StringsOf(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    const std::string value = Clean(node.Scalar());
    if (!value.empty()) out.push_back(value);
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) continue;
      const std::string value = Clean(item.Scalar());
      if (!value.empty()) out.push_back(value);
    }
  }
  return out;
}

void SetDate(const std::string& date, v1::Document* document) {
  document->set_date(date);
  int year = 0;
  if (date.size() >= 4 && absl::SimpleAtoi(date.substr(0, 4), &year) &&
      year >= 1000) {
    document->set_year(year);
  }
}

}  // namespace

absl::StatusOr<FrontMatterSplit> SplitFrontMatter(absl::string_view text) {
  size_t pos = 0;
  int line = 0;
  int open_line = 0;
  bool open = false;
  size_t yaml_start = 0;
  while (pos <= text.size()) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    const absl::string_view current =
        absl::StripTrailingAsciiWhitespace(text.substr(pos, end - pos));
    ++line;
    if (!open) {
      if (current == "---") {
        open = true;
        open_line = line;
        yaml_start = end + 1;
      } else if (!absl::StripAsciiWhitespace(current).empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line, ": expected front matter opening with '---'"));
      }
    } else if (current == "---" || current == "...") {
      FrontMatterSplit split;
      split.yaml = text.substr(yaml_start, pos - yaml_start);
      split.body = end >= text.size() ? absl::string_view() : text.substr(end + 1);
      split.body_first_line = line + 1;
      return split;
    }
    if (end >= text.size()) break;
    pos = end + 1;
  }
  if (!open) {
    return absl::InvalidArgumentError("document is empty: no front matter");
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "front matter opened on line ", open_line,
      " never closes (expected a '---' line)"));
}

void AddAuthorsFromByline(absl::string_view byline, v1::Document* document) {
  std::string normalized = absl::StrReplaceAll(
      byline, {{" & ", ","}, {"&", ","}, {" and ", ","}, {";", ","}});
  for (absl::string_view name : absl::StrSplit(normalized, ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (name.empty()) continue;
    *document->add_authors() = AuthorFromName(name, NameOrder::kFamilyLast);
  }
}

absl::Status ReadFrontMatter(absl::string_view yaml, v1::Document* document) {
  // yaml-cpp reports errors by exception; this is the one place they are
  // caught and turned into a status.
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("front matter line ", e.mark.line + 2,
                     ": YAML does not parse: ", e.msg));
  }
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        "front matter is not a YAML mapping of key: value lines");
  }
  try {
    for (const auto& entry : root) {
      if (!entry.first.IsScalar()) continue;
      const std::string key = absl::AsciiStrToLower(entry.first.Scalar());
      const YAML::Node& value = entry.second;
      if (key == "title") {
        const std::vector<std::string> title = StringsOf(value);
        if (!title.empty()) document->set_title(title.front());
      } else if (key == "date") {
        const std::vector<std::string> date = StringsOf(value);
        if (!date.empty()) SetDate(date.front(), document);
      } else if (key == "author" || key == "authors") {
        for (const std::string& byline : StringsOf(value)) {
          AddAuthorsFromByline(byline, document);
        }
      } else if (key == "from" || key == "url" || key == "source" ||
                 key == "source_url") {
        const std::vector<std::string> url = StringsOf(value);
        if (!url.empty() && document->url().empty()) {
          document->set_url(url.front());
        }
      } else if (key == "tags") {
        for (const std::string& tag : StringsOf(value)) {
          document->add_source_tags(tag);
        }
      } else if (key == "categories" || key == "category") {
        for (const std::string& category : StringsOf(value)) {
          document->add_categories(category);
        }
      } else if (key == "keywords") {
        for (const std::string& keyword : StringsOf(value)) {
          document->add_keywords(keyword);
        }
      } else if (key == "lang" || key == "language") {
        const std::vector<std::string> lang = StringsOf(value);
        if (!lang.empty()) document->set_language(lang.front());
      } else if (value.IsScalar()) {
        (*document->mutable_extra_metadata())[entry.first.Scalar()] =
            Clean(value.Scalar());
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("front matter line ", e.mark.line + 2, ": ", e.msg));
  }
  return absl::OkStatus();
}

}  // namespace biocorpus
