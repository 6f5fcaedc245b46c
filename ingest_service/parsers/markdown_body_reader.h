#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_MARKDOWN_BODY_READER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_MARKDOWN_BODY_READER_H_

#include "absl/strings/string_view.h"
#include <vector>

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// Reads a plain Markdown body and appends its passages to `passages`: blocks
// separated by blank lines; "#" lines as HEADING; "- ", "* ", "1. " list
// items and "> " quotes as PARAGRAPH; other blocks as PARAGRAPH. Inline
// [text](url) links become links (resolved against `base_url`) with their
// text kept; "**" and "__" emphasis markers are dropped.
void ReadMarkdownBody(absl::string_view body, absl::string_view base_url,
                      std::vector<v1::Passage>* passages);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_MARKDOWN_BODY_READER_H_
