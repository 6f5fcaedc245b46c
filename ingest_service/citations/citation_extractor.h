#ifndef BIOCORPUS_INGEST_SERVICE_CITATIONS_CITATION_EXTRACTOR_H_
#define BIOCORPUS_INGEST_SERVICE_CITATIONS_CITATION_EXTRACTOR_H_

#include "biocorpus/v1/resources.pb.h"
#include "ingest_service/document/parsed_document.h"

namespace biocorpus {

// The citations stage: finds every outbound reference a document's passages
// make. The parsers record hyperlinks as they read the markup; this stage
// gives each hyperlink the DOI it names (a doi.org link, or a publisher's
// link such as https://www.science.org/doi/10.1126/science.aan5197), and adds
// a DOI_MENTION link for each DOI written in the text ("doi:10.1000/xyz",
// "https://doi.org/10.1000/xyz" or a bare "10.1000/xyz") that is not already
// a hyperlink's anchor. Links stay in text order. Where the citations are
// indexed is corpus/citations/citation_keys.h. Thread-safe.
class CitationExtractor {
 public:
  void Extract(ParsedDocument* parsed) const;
  // The same for one passage.
  void Extract(v1::Passage* passage) const;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_CITATIONS_CITATION_EXTRACTOR_H_
