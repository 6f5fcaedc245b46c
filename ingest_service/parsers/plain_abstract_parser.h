#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_PLAIN_ABSTRACT_PARSER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_PLAIN_ABSTRACT_PARSER_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "ingest_service/document/parsed_document.h"

namespace biocorpus {

// Parses a plain-text paper abstract:
//
//   Co-first author: Peipei LIU (National Institute ..., Beijing, China)
//   Corresponding author: Hao LU（Chinese Academy of Sciences）
//
//   biosafety,capacity building,talent training
//
//   Abstract paragraph. ...
//
// Author lines start with "First author:", "Co-first author:",
// "Corresponding author:" or "Author(s):" (ASCII or full-width colon); each
// name may carry affiliations in ASCII or full-width parentheses. An
// upper-case word is the family name ("Peipei LIU"), otherwise the last word.
// Keywords follow an optional "Keywords:" label, separated by , ; ， or ；.
// An optional "Title:" line gives the title; without one the title stays
// absent. Every other block separated by blank lines is an ABSTRACT passage.
//
// Abstracts as PDF converters write them are read too:
//
//   # Title of the paper
//   Hui Lyu1,2#, Jun Guo1#, Peng Sun2*          (or ¹ ² or $^{1}$ markers)
//   1 Department of …
//   2.Interdisciplinary Centre …
//   *Corresponding author. E-mail: …
//   【摘要】目的：…  /  Abstract: …  /  # Summary
//   【关键词】… ; …
//
// LaTeX fragments become text, markers link authors to numbered
// affiliations and give equal-contribution and corresponding roles, a
// second front matter (a translation) adds no authors, DOI lines give the
// DOI, and a paragraph cut by a page break stays one passage. docs/
// decisions.md ("Plain abstracts") lists every rule.
//
// Errors (InvalidArgument): no abstract text.
class PlainAbstractParser {
 public:
  absl::StatusOr<ParsedDocument> Parse(absl::string_view text) const;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_PLAIN_ABSTRACT_PARSER_H_
