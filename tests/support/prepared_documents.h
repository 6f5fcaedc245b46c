#ifndef BIOCORPUS_TESTS_SUPPORT_PREPARED_DOCUMENTS_H_
#define BIOCORPUS_TESTS_SUPPORT_PREPARED_DOCUMENTS_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/pipeline/document_preparer.h"

namespace biocorpus::testing {

// The documents of `text` as the ingest stages before the write leave them
// (parse, passages, citations), untagged; a test failure when the parser
// refuses the text.
inline std::vector<ParsedDocument> PrepareUntagged(const std::string& text,
                                                   const std::string& source_uri = "test") {
  static const DocumentPreparer* const kPreparer =
      new DocumentPreparer(DocumentParserOptions(), /*tagger=*/nullptr);
  absl::StatusOr<std::vector<ParsedDocument>> prepared =
      kPreparer->Prepare(text, v1::DOCUMENT_FORMAT_UNSPECIFIED, source_uri);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return prepared.ok() ? *std::move(prepared) : std::vector<ParsedDocument>();
}

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_SUPPORT_PREPARED_DOCUMENTS_H_
