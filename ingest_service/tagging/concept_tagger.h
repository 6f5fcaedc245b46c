#ifndef BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_TAGGER_H_
#define BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_TAGGER_H_

#include <memory>

#include "ingest_service/document/parsed_document.h"
#include "ingest_service/tagging/concept_matcher.h"

namespace biocorpus {

// Tags a parsed document with the vocabulary: every passage gets the
// annotations ConceptMatcher finds in its text, and the document gets a
// DocumentTag for each concept found in a keyword, source tag or category
// (the seed article's source tag "中参馆" among them), and for each
// organization or place named in an author's affiliation (source
// AFFILIATION). Replaces any tags the document had, and records the
// vocabulary version. Thread-safe.
class ConceptTagger {
 public:
  explicit ConceptTagger(std::unique_ptr<ConceptMatcher> matcher)
      : matcher_(std::move(matcher)) {}

  void Tag(ParsedDocument* document) const;
  // The same for a stored document and its passages (re-tagging).
  void Tag(v1::Document* document, std::vector<v1::Passage>* passages) const;

  const Vocabulary& vocabulary() const { return matcher_->vocabulary(); }

 private:
  std::unique_ptr<ConceptMatcher> matcher_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_TAGGER_H_
