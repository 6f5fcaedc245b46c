#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_PREPARER_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_PREPARER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ingest_service/citations/citation_extractor.h"
#include "ingest_service/document/parsed_document.h"
#include "ingest_service/parsers/document_parser.h"
#include "ingest_service/passages/passage_numberer.h"
#include "ingest_service/tagging/concept_tagger.h"

namespace biocorpus {

// The stages before the write, in their one order:
//
//   parse      DocumentParser      format, metadata, identity, passage texts, hyperlinks
//   passages   PassageNumberer     ordinals, names, offsets
//   tags       ConceptTagger       annotations and document-level tags
//   citations  CitationExtractor   cited DOIs: in hyperlinks and in the text
//   terms      TermsOf             the text's postings for the full-text index
//
// (then the write: DocumentWriter). Thread-safe; `tagger` must outlive it.
class DocumentPreparer {
 public:
  // Without a tagger nothing is tagged (tests of the other stages).
  DocumentPreparer(const DocumentParserOptions& parser_options, const ConceptTagger* tagger);

  // The documents of one input, ready to write, or what the parser refused.
  absl::StatusOr<std::vector<ParsedDocument>> Prepare(absl::string_view content,
                                                      v1::DocumentFormat format,
                                                      absl::string_view source_uri) const;

  const ConceptTagger* tagger() const { return tagger_; }

 private:
  DocumentParser parser_;
  PassageNumberer passages_;
  const ConceptTagger* tagger_;
  CitationExtractor citations_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_PREPARER_H_
