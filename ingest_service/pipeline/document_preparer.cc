#include "ingest_service/pipeline/document_preparer.h"

#include <memory>
#include <utility>

#include "corpus/analytics/analytics_counters.h"
#include "corpus/search/text_index.h"

namespace biocorpus {

DocumentPreparer::DocumentPreparer(const DocumentParserOptions& parser_options,
                                   const ConceptTagger* tagger)
    : parser_(parser_options), tagger_(tagger) {}

absl::StatusOr<std::vector<ParsedDocument>> DocumentPreparer::Prepare(
    absl::string_view content, v1::DocumentFormat format, absl::string_view source_uri) const {
  absl::StatusOr<std::vector<ParsedDocument>> documents =
      parser_.Parse(content, format, source_uri);
  if (!documents.ok()) return documents;
  for (ParsedDocument& document : *documents) {
    passages_.Number(&document);
    if (tagger_ != nullptr) tagger_->Tag(&document);
    citations_.Extract(&document);
    document.terms = std::make_shared<const DocumentTerms>(TermsOf(document.document, document.passages));
    auto counters = std::make_shared<EncodedCounters>();
    AppendDocumentCounters(document.document, document.passages, +1, counters.get());
    document.counters = std::move(counters);
  }
  return documents;
}

}  // namespace biocorpus
