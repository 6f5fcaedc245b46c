#include "ingest_service/parsers/document_parser.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/text/utf8.h"

namespace biocorpus {
namespace {
constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr size_t kMaxTitleBytes = 8 << 10;
constexpr size_t kMaxMetadataBytes = 256 << 10;
// More stray control characters than this (or in more than 5% of the
// bytes) make the content binary.
constexpr size_t kMaxStrayControls = 64;
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

absl::StatusOr<std::vector<ParsedDocument>> DocumentParser::Parse(
    absl::string_view content, v1::DocumentFormat format,
    absl::string_view source_uri) const {
  if (content.size() > options_.max_document_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "content is ", content.size(), " bytes, over the limit of ",
        options_.max_document_bytes, " bytes (--max_document_bytes)"));
  }
  if (absl::Status utf8 = ValidateUtf8(content); !utf8.ok()) return utf8;
  // Stray control characters (a backspace left by copy and paste) are
  // dropped with a warning; content that holds many of them is binary.
  std::vector<size_t> controls;
  for (size_t i = 0; i < content.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(content[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') controls.push_back(i);
  }
  if (controls.size() > kMaxStrayControls || controls.size() * 20 > content.size()) {
    const unsigned char c = static_cast<unsigned char>(content[controls.front()]);
    return absl::InvalidArgumentError(absl::StrCat(
        "content holds control character 0x", absl::Hex(c, absl::kZeroPad2), " at byte ",
        controls.front(), " (binary data is not a document)"));
  }
  std::string cleaned;
  std::vector<std::string> dropped;
  if (!controls.empty()) {
    cleaned.reserve(content.size());
    size_t from = 0;
    for (size_t at : controls) {
      cleaned.append(content.data() + from, at - from);
      from = at + 1;
      dropped.push_back(absl::StrCat(
          "dropped control character 0x",
          absl::Hex(static_cast<unsigned char>(content[at]), absl::kZeroPad2), " at byte ", at));
    }
    cleaned.append(content.data() + from, content.size() - from);
  }
  absl::string_view text = controls.empty() ? content : absl::string_view(cleaned);
  absl::ConsumePrefix(&text, kByteOrderMark);
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError("content is empty");
  }
  if (format == v1::DOCUMENT_FORMAT_UNSPECIFIED) format = DetectFormat(text);

  std::vector<ParsedDocument> documents;
  switch (format) {
    case v1::CITATION_RECORD: {
      absl::StatusOr<std::vector<ParsedDocument>> records =
          citation_records_.Parse(text);
      if (!records.ok()) return records.status();
      documents = std::move(*records);
      break;
    }
    case v1::MIRRORED_ARTICLE:
    case v1::PLAIN_ABSTRACT: {
      absl::StatusOr<ParsedDocument> parsed =
          format == v1::MIRRORED_ARTICLE ? mirrored_articles_.Parse(text)
                                         : plain_abstracts_.Parse(text);
      if (!parsed.ok()) return parsed.status();
      documents.push_back(std::move(*parsed));
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format is not a known DocumentFormat: ", format));
  }

  std::set<std::string> names;
  for (ParsedDocument& parsed : documents) {
    v1::Document& doc = parsed.document;
    // Bibliographic fields are short; a huge one is a broken document (and
    // would make every response carrying the document huge).
    if (doc.title().size() > kMaxTitleBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "title is ", doc.title().size(), " bytes; a title may have at most ",
          kMaxTitleBytes));
    }
    if (doc.ByteSizeLong() > kMaxMetadataBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the document's metadata (authors, keywords, tags, other fields) is ",
          doc.ByteSizeLong(), " bytes; at most ", kMaxMetadataBytes, " are kept"));
    }
    const std::string sha = Sha256Hex(
        parsed.source_text.empty() ? content : parsed.source_text);
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
    if (!names.insert(doc.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the content holds two records with the same identity (",
          identity, "): each DOI or URL may appear once"));
    }
    doc.set_content_sha256(sha);
    doc.set_source_uri(std::string(source_uri));
    parsed.warnings.insert(parsed.warnings.begin(), dropped.begin(), dropped.end());
  }
  return documents;
}

}  // namespace biocorpus
