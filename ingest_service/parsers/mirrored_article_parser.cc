#include "ingest_service/parsers/mirrored_article_parser.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest_service/parsers/front_matter.h"
#include "ingest_service/parsers/html_body_reader.h"
#include "ingest_service/parsers/markdown_body_reader.h"
#include "ingest_service/passages/passage_builder.h"

namespace biocorpus {
namespace {

bool IsSetextUnderline(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return line.size() >= 2 &&
         (line.find_first_not_of('-') == absl::string_view::npos ||
          line.find_first_not_of('=') == absl::string_view::npos);
}

bool IsCommentLine(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return absl::StartsWith(line, "<!--") && absl::EndsWith(line, "-->");
}

// Removes what mirrors put before the body proper: blank and comment lines
// (the capture time as "<!--1649419560000-->"), and a Markdown title line
// with its setext underline. Advances `*first_line` past what it removed.
absl::string_view StripPreamble(absl::string_view body, int* first_line) {
  for (;;) {
    const size_t end = body.find('\n');
    const absl::string_view line = body.substr(0, end);
    const absl::string_view rest =
        end == absl::string_view::npos ? absl::string_view() : body.substr(end + 1);
    if (body.empty()) return body;
    if (absl::StripAsciiWhitespace(line).empty() || IsCommentLine(line) ||
        IsSetextUnderline(line)) {
      body = rest;
      ++*first_line;
      continue;
    }
    // A title line: followed by a setext underline.
    const absl::string_view next = rest.substr(0, rest.find('\n'));
    if (!LooksLikeHtml(line) && IsSetextUnderline(next)) {
      body = rest;
      ++*first_line;
      continue;
    }
    return body;
  }
}

}  // namespace

bool MirroredArticleParser::HasFrontMatter(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text.substr(0, 4096), '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) continue;
    return line == "---";
  }
  return false;
}

absl::StatusOr<ParsedDocument> MirroredArticleParser::Parse(
    absl::string_view text) const {
  absl::StatusOr<FrontMatterSplit> split = SplitFrontMatter(text);
  if (!split.ok()) return split.status();
  ParsedDocument parsed;
  v1::Document& doc = parsed.document;
  doc.set_format(v1::MIRRORED_ARTICLE);
  if (absl::Status status = ReadFrontMatter(split->yaml, &doc); !status.ok()) {
    return status;
  }
  if (doc.has_title() && !doc.title().empty()) {
    PassageBuilder title(v1::TITLE);
    title.AppendText(doc.title());
    parsed.passages.push_back(*title.Finish());
  } else {
    doc.clear_title();
    parsed.warnings.push_back("front matter has no title");
  }
  int first_line = split->body_first_line;
  const absl::string_view body = StripPreamble(split->body, &first_line);
  if (LooksLikeHtml(body)) {
    if (absl::Status status = ReadHtmlBody(body, first_line, doc.url(),
                                           options_.max_html_depth,
                                           &parsed.passages);
        !status.ok()) {
      return status;
    }
  } else {
    ReadMarkdownBody(body, doc.url(), &parsed.passages);
  }
  if (parsed.passages.size() <= (doc.has_title() ? 1u : 0u)) {
    parsed.warnings.push_back("article body has no text");
  }
  return parsed;
}

}  // namespace biocorpus
