#ifndef BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_NUMBERER_H_
#define BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_NUMBERER_H_

#include "ingest_service/document/parsed_document.h"

namespace biocorpus {

// The passages stage: numbers a parsed document's passages in order and
// places them in the document: ordinal, name
// "documents/{id}/passages/{ordinal}", document, and offset in the document's
// text (every passage's text, each followed by a newline, as BioC counts);
// sets the document's passage count. The document's name must be set.
// Thread-safe.
class PassageNumberer {
 public:
  void Number(ParsedDocument* parsed) const;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_NUMBERER_H_
