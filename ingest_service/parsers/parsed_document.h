#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_PARSED_DOCUMENT_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_PARSED_DOCUMENT_H_

#include <string>
#include <vector>

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// What a parser makes of one input document: its metadata and its passages
// in order. Parsers fill the bibliographic fields and passage type, text and
// links; DocumentParser then sets the identity (name, hash) and numbers the
// passages.
struct ParsedDocument {
  v1::Document document;
  std::vector<v1::Passage> passages;
  // Things the parser skipped or guessed, one sentence each.
  std::vector<std::string> warnings;
  // For one record of a file holding several: the record's own text, hashed
  // as its content. Empty when the document is the whole input.
  std::string source_text;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_PARSED_DOCUMENT_H_
