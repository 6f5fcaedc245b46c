#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "ingest_service/parsers/parsed_document.h"

namespace biocorpus {

// Parses a journal citation record of KEY=value fields:
//
//   AUTHOR=Xue Yang , Shang Lijun TITLE=... JOURNAL=... VOLUME=Volume 10 - 2022
//   YEAR=2022 URL=... DOI=10.3389/... ISSN=... ABSTRACT=...
//
// Fields may share a line or each have their own, in any order; lines may be
// quoted with "> " and the record wrapped in a Markdown code fence. A key is
// an upper-case word followed by "=" at the start of the text or after white
// space; a known key counts once per record, so an abstract that repeats
// "TITLE=" or says "x=2" stays whole. Upper-case keys of no known meaning at
// the start of a line are kept in extra_metadata. AUTHOR lists family name
// first, names separated by commas (or semicolons).
//
// Passages: TITLE, then ABSTRACT. Errors (InvalidArgument, naming the line):
// no fields at all, neither TITLE nor DOI, a YEAR that is not a year, a DOI
// that is not a DOI.
class CitationRecordParser {
 public:
  absl::StatusOr<ParsedDocument> Parse(absl::string_view text) const;

  // True when `text` has a known KEY= field at a field boundary; used by
  // format detection.
  static bool LooksLikeCitationRecord(absl::string_view text);
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_
