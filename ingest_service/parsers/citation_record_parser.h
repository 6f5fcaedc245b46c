#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_

#include "absl/strings/string_view.h"

#include <vector>

#include "absl/status/statusor.h"
#include "ingest_service/document/parsed_document.h"

namespace biocorpus {

// Parses a journal citation record of KEY=value fields:
//
//   AUTHOR=Xue Yang , Shang Lijun TITLE=... JOURNAL=... VOLUME=Volume 10 - 2022
//   YEAR=2022 URL=... DOI=10.3389/... ISSN=... ABSTRACT=...
//
// Fields may share a line or each have their own, in any order; lines may be
// quoted with "> " and the record wrapped in a Markdown code fence. A key is
// an upper-case word followed by "=" at the start of the text or after white
// space (or a reference string's separator); a known key counts once per record, so an abstract that repeats
// "TITLE=" or says "x=2" stays whole. Upper-case keys of no known meaning at
// the start of a line are kept in extra_metadata. AUTHOR lists family name
// first, names separated by commas (or semicolons).
//
// A file may hold several records: a known key at the start of a line that
// the current record already has begins the next one. Each record becomes a
// document whose content (for its hash) is its own lines.
//
// Reference strings carry only some fields as keys:
//
//   1. **Title** Okafor Ngozi, Brandt Lukas (2021). JOURNAL=Frontiers in
//      Bioengineering, 9, 2021 VOLUME=9, YEAR=2021, DOI=10.x/y
//   - [Title](https://doi.org/10.x/y) | AUTHOR=Haddad Rami | YEAR=2022
//
// Keys may follow | , ; . ( [ as well as white space, separators after a
// value are dropped, each list item is a record, and the text before the
// first key gives the title (bold, linked, or after an APA year), authors,
// year and DOI the keys leave out. JOURNAL may end with volume and year.
//
// Without a DOI field, a DOI found in a publisher URL (/articles/10.x/y,
// /article/10.x/y, /doi/10.x/y) is used, with a warning. Article numbers in
// PAGES are kept as written.
//
// Passages: TITLE, then ABSTRACT. Errors (InvalidArgument, naming the line and,
// in a file of several, the record): no fields at all, neither TITLE nor DOI,
// a YEAR that is not a year, a DOI that is not a DOI. One bad record refuses
// the whole file.
class CitationRecordParser {
 public:
  absl::StatusOr<std::vector<ParsedDocument>> Parse(absl::string_view text) const;

  // True when `text` has a known KEY= field at a field boundary; used by
  // format detection.
  static bool LooksLikeCitationRecord(absl::string_view text);
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_CITATION_RECORD_PARSER_H_
