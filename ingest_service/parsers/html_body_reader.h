#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_HTML_BODY_READER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_HTML_BODY_READER_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// True when `body` holds HTML markup (an element tag), not plain Markdown.
bool LooksLikeHtml(absl::string_view body);

// Reads an HTML body with the HTML5 parser and appends its passages to
// `passages`: p, li, dd, pre and leaf blockquotes as PARAGRAPH; h1-h6 as
// HEADING; figcaption, caption and elements whose class names a caption as
// CAPTION; elements whose class names a credit as CREDIT; loose text in
// containers as PARAGRAPH. Scripts, styles, forms and navigation are dropped,
// and containers without text leave nothing. Each <a href> becomes a link of
// its passage, resolved against `base_url`.
//
// InvalidArgument when elements nest deeper than `max_depth` (checked on the
// markup before parsing, so deep input costs no parse), naming the line.
absl::Status ReadHtmlBody(absl::string_view body, int first_line,
                          absl::string_view base_url, int max_depth,
                          std::vector<v1::Passage>* passages);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_HTML_BODY_READER_H_
