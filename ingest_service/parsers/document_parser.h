#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_DOCUMENT_PARSER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_DOCUMENT_PARSER_H_

#include <cstddef>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "biocorpus/v1/resources.pb.h"
#include "ingest_service/parsers/citation_record_parser.h"
#include "ingest_service/parsers/mirrored_article_parser.h"
#include "ingest_service/document/parsed_document.h"
#include "ingest_service/parsers/plain_abstract_parser.h"

namespace biocorpus {

struct DocumentParserOptions {
  // Largest document accepted, in bytes.
  size_t max_document_bytes = 16 << 20;
  // Deepest HTML element nesting accepted in an article body.
  int max_html_depth = 1000;
};

// The format a document's content has: front matter -> MIRRORED_ARTICLE;
// a known KEY= field at a field boundary -> CITATION_RECORD; otherwise
// PLAIN_ABSTRACT.
v1::DocumentFormat DetectFormat(absl::string_view content);

// Turns the bytes of one input into ParsedDocuments ready to store: checks
// them, picks the parser (the requested format, or the detected one), and
// sets each document's identity: name "documents/{id}" from the DOI, else the
// source URL, else the content SHA-256; content_sha256; source_uri. This is
// the parse stage: PassageNumberer numbers the passages next (see
// ingest_service/pipeline/). Most inputs give one document; a citation-record
// file holding several records gives one per record. Thread-safe.
//
// Errors: RESOURCE_EXHAUSTED for content over max_document_bytes;
// INVALID_ARGUMENT for empty content, content that is not UTF-8 text or is
// binary (NUL bytes, or control characters other than tab, line feed,
// carriage return and form feed in more than 5% of its bytes or more than 64
// of them; with the byte offset), a title over 8 KiB or metadata over 256
// KiB, two records with one identity,
// and what the format's parser refuses (naming the field or line).
//
// A few stray control characters in otherwise good text are dropped, each
// with a warning naming its byte offset.
class DocumentParser {
 public:
  explicit DocumentParser(DocumentParserOptions options = {});

  absl::StatusOr<std::vector<ParsedDocument>> Parse(absl::string_view content,
                                       v1::DocumentFormat format,
                                       absl::string_view source_uri) const;

 private:
  DocumentParserOptions options_;
  CitationRecordParser citation_records_;
  MirroredArticleParser mirrored_articles_;
  PlainAbstractParser plain_abstracts_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_DOCUMENT_PARSER_H_
