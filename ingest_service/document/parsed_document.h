#ifndef BIOCORPUS_INGEST_SERVICE_DOCUMENT_PARSED_DOCUMENT_H_
#define BIOCORPUS_INGEST_SERVICE_DOCUMENT_PARSED_DOCUMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

struct DocumentTerms;    // corpus/search/text_index.h
struct EncodedCounters;  // corpus/analytics/analytics_counters.h

// One document on its way through the ingest stages (parse -> passages ->
// tags -> citations -> terms -> write; see ingest_service/pipeline/): its metadata and
// its passages in order. The parsers fill the bibliographic fields, the
// identity (name, hash) and each passage's type, text and hyperlinks;
// PassageNumberer numbers and places the passages; ConceptTagger adds the
// tags; CitationExtractor the cited DOIs; TermsOf the text's postings;
// DocumentWriter stores it.
struct ParsedDocument {
  v1::Document document;
  std::vector<v1::Passage> passages;
  // Things the parser skipped or guessed, one sentence each.
  std::vector<std::string> warnings;
  // For one record of a file holding several: the record's own text, hashed
  // as its content. Empty when the document is the whole input.
  std::string source_text;
  // The postings of its text for the full-text index, made by the terms
  // stage (in parallel, before the write); when absent the writer makes them.
  std::shared_ptr<const DocumentTerms> terms;
  // Its analytics counters as merge operands, made in the same stage; when
  // absent the writer makes them.
  std::shared_ptr<const EncodedCounters> counters;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_DOCUMENT_PARSED_DOCUMENT_H_
