#include "ingest_service/parsers/document_parser.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/text/utf8.h"
#include "ingest_service/passages/passage_builder.h"

namespace biocorpus {
namespace {
constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";
}  // namespace

v1::DocumentFormat DetectFormat(absl::string_view content) {
  if (MirroredArticleParser::HasFrontMatter(content)) {
    return v1::MIRRORED_ARTICLE;
  }
  if (CitationRecordParser::LooksLikeCitationRecord(content)) {
    return v1::CITATION_RECORD;
  }
  return v1::PLAIN_ABSTRACT;
}

DocumentParser::DocumentParser(DocumentParserOptions options)
    : options_(options),
      mirrored_articles_(MirroredArticleParserOptions{options.max_html_depth}) {}

absl::StatusOr<ParsedDocument> DocumentParser::Parse(
    absl::string_view content, v1::DocumentFormat format,
    absl::string_view source_uri) const {
  if (content.size() > options_.max_document_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "content is ", content.size(), " bytes, over the limit of ",
        options_.max_document_bytes, " bytes (--max_document_bytes)"));
  }
  if (absl::Status utf8 = ValidateUtf8(content); !utf8.ok()) return utf8;
  absl::string_view text = content;
  absl::ConsumePrefix(&text, kByteOrderMark);
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError("content is empty");
  }
  if (format == v1::DOCUMENT_FORMAT_UNSPECIFIED) format = DetectFormat(text);

  absl::StatusOr<ParsedDocument> parsed;
  switch (format) {
    case v1::CITATION_RECORD:
      parsed = citation_records_.Parse(text);
      break;
    case v1::MIRRORED_ARTICLE:
      parsed = mirrored_articles_.Parse(text);
      break;
    case v1::PLAIN_ABSTRACT:
      parsed = plain_abstracts_.Parse(text);
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format is not a known DocumentFormat: ", format));
  }
  if (!parsed.ok()) return parsed.status();

  v1::Document& doc = parsed->document;
  const std::string sha = Sha256Hex(content);
  std::string identity;
  if (!doc.doi().empty()) {
    identity = absl::StrCat("doi:", doc.doi());
  } else if (!doc.url().empty()) {
    identity = absl::StrCat("url:", NormalizeUrl(doc.url()));
  } else {
    identity = absl::StrCat("sha256:", sha);
  }
  const std::string id = DocumentIdFor(identity);
  doc.set_name(DocumentName(id));
  doc.set_content_sha256(sha);
  doc.set_source_uri(std::string(source_uri));
  FinalizePassages(id, &parsed->passages);
  doc.set_passage_count(static_cast<int32_t>(parsed->passages.size()));
  return parsed;
}

}  // namespace biocorpus
