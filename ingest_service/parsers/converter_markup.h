#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_CONVERTER_MARKUP_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_CONVERTER_MARKUP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

// Reading the markup that PDF-to-text and PDF-to-Markdown converters leave in
// the front matter of a paper: LaTeX fragments, superscript affiliation
// markers on author names, numbered affiliation lines.

namespace biocorpus {

// Delimiters of a superscript in text from LatexToText(..., kMarked): private
// use code points U+E000 and U+E001, which no converter writes.
inline constexpr absl::string_view kSuperscriptOpen = "\xEE\x80\x80";
inline constexpr absl::string_view kSuperscriptClose = "\xEE\x80\x81";

enum class Superscripts {
  // Superscripts become Unicode superscript characters where they exist
  // ("10^{5}" -> "10⁵"), otherwise plain text: for passage text.
  kText,
  // Superscripts are wrapped in kSuperscriptOpen/Close: for author and
  // affiliation lines, where they are markers.
  kMarked,
};

// Replaces each LaTeX math fragment ($…$, $$…$$, \(…\)) of `line` by the
// text it shows: font commands and braces dropped, white space dropped as
// TeX drops it in math ("$8 5 . 7 \%$" -> "85.7%"), common symbol commands
// as their characters (\dagger -> †, \alpha -> α, \circ -> °). A $ pair
// holding no LaTeX markup (no backslash, ^, _ or brace), as in "$5 and $10",
// is left as written.
std::string LatexToText(absl::string_view line, Superscripts superscripts);

// One name of an author line and the markers written after it.
struct MarkedName {
  std::string name;
  // Affiliation markers in order ("1", "2", "a"); a run of digits written
  // without separators ("¹²") is one marker here, split by the caller when
  // no affiliation carries the whole run.
  std::vector<std::string> affiliations;
  bool equal_contribution = false;  // # † ‡
  bool corresponding = false;       // * ✉
};

// Reads an unlabelled author line ("Hui Lyu1,2#, Jun Guo1#, Peng Sun2*",
// "张伟¹，李明²", "Lei Xu<sup>1</sup> and Kai Zhou<sup>2*</sup>" with
// superscripts marked by LatexToText(kMarked)). Names are separated by , ，
// 、 ; ； or "and" / "&" / "和"; markers are superscripts, digits written
// right after a name, and the symbols # † ‡ * ✉. Returns nothing unless
// every item is a personal name (capitalised Latin words or two to five Han
// characters, no institution words) and, when `require_markers`, some name
// carries a marker.
std::optional<std::vector<MarkedName>> ReadAuthorLine(absl::string_view marked,
                                                      bool require_markers);

// An affiliation and the marker that numbers it ("" when unnumbered).
struct MarkedAffiliation {
  std::string marker;
  std::string text;
};

// Reads a numbered affiliation line: "1 Department of …", "2.Interdisciplinary
// …", "¹ School …", "(3) …", a marked superscript, or the one-line form
// "（1. A，北京 102206；2. B，上海 200032）". Returns nothing when the line
// is not numbered that way.
std::optional<std::vector<MarkedAffiliation>> ReadNumberedAffiliations(
    absl::string_view marked);

// True when `text` names an institution (University, Institute, 大学, 研究所,
// …): how an unnumbered affiliation line is told from other text.
bool NamesInstitution(absl::string_view text);

// Removes superscript delimiters, keeping what they hold.
std::string WithoutSuperscriptMarks(absl::string_view marked);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_CONVERTER_MARKUP_H_
