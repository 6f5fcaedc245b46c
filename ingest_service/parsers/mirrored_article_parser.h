#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_MIRRORED_ARTICLE_PARSER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_MIRRORED_ARTICLE_PARSER_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "ingest_service/document/parsed_document.h"

namespace biocorpus {

struct MirroredArticleParserOptions {
  // Deepest element nesting accepted in an HTML body; deeper bodies are
  // refused before they reach the HTML parser.
  int max_html_depth = 1000;
};

// Parses a news or policy article mirrored as a Jekyll post:
//
//   ---
//   title: "..."            date: 2022-04-08T12:06:00.000Z
//   author: A &#38; B        from: https://source.example/article
//   tags: [ ... ]           categories: [ ... ]
//   ---
//   <!--epoch-millis-->
//   [Title](https://source.example/article)
//   ------
//   <div>... HTML body ...</div>
//
// The front matter is read with yaml-cpp (entities decoded, authors split on
// "&", "and" and commas, scalar or list tags); unknown scalar keys go to
// extra_metadata. The body is read with the HTML5 parser gumbo: paragraphs,
// headings, list items and block quotes become PARAGRAPH / HEADING passages,
// elements whose class names a caption or credit become CAPTION / CREDIT;
// scripts, styles, navigation and empty containers are dropped. Every
// <a href> inside a passage becomes a link, resolved against the `from` URL.
// A body with no HTML is read as Markdown paragraphs with [text](url) links.
// The title is passage 0.
//
// Errors (InvalidArgument): no front matter, front matter that never closes
// or is not a YAML mapping (naming the line), HTML nested deeper than
// max_html_depth.
class MirroredArticleParser {
 public:
  explicit MirroredArticleParser(MirroredArticleParserOptions options = {})
      : options_(options) {}

  absl::StatusOr<ParsedDocument> Parse(absl::string_view text) const;

  // True when `text` opens with a "---" front matter line.
  static bool HasFrontMatter(absl::string_view text);

 private:
  MirroredArticleParserOptions options_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_MIRRORED_ARTICLE_PARSER_H_
