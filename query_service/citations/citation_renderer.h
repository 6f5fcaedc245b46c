#ifndef BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_RENDERER_H_
#define BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_RENDERER_H_

#include <string>

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// Renders a document's bibliographic record in the formats reference tools
// take. What the record lacks is left out the way each format prescribes,
// never invented. Pure functions; thread-safe.

// The citation of a document (its bibliographic fields).
v1::Citation CitationOf(const v1::Document& document);

// CSL-JSON, one item of the CSL data schema: type article-journal (citation
// records), article-newspaper (mirrored articles) or article (abstracts);
// author as {family, given} or {literal}; issued as date-parts; DOI, URL,
// ISSN, container-title, volume, issue, page, keyword, abstract-less.
std::string RenderCslJson(const v1::Document& document);

// One BibTeX entry: @article for citation records, @misc with howpublished
// and note for mirrored articles and abstracts; key
// family+year+first title word ("xue2022towards"); LaTeX special characters
// escaped; the title's capitalisation kept with braces.
std::string RenderBibtex(const v1::Document& document);

// The stable BibTeX key of a document.
std::string BibtexKey(const v1::Document& document);

// One RIS record: TY (JOUR, NEWS or GEN), AU per author ("Family, Given"),
// TI, T2, VL, IS, SP/EP, PY, DA (when the month is known), DO, UR, SN, KW
// per keyword, LA, ER.
std::string RenderRis(const v1::Document& document);

// An APA 7 reference-list entry as plain text (no italics):
//   Xue, Y., & Shang, L. (2022). Title. Journal, 10, pages. https://doi.org/...
// A missing year is "(n.d.)"; a missing title is a bracketed description;
// with no author the title takes the author's place.
std::string RenderApa(const v1::Document& document);

// The rendering of `document` in `format` (empty for an unknown format).
std::string Render(const v1::Document& document, v1::CitationFormat format);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_RENDERER_H_
