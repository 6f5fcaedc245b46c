#ifndef BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_LOOKUP_H_
#define BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_LOOKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "biocorpus/v1/query_service.pb.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// A document found for a citation, with how well it matches (1 exact).
struct ScoredDocument {
  v1::Document document;
  double score = 0;
};

// A page of a document's references.
struct ReferencePage {
  std::vector<v1::Reference> references;
  // The number of references before the next page, or -1 at the end.
  int64_t next = -1;
};

// Finds documents by what a citation gives of them, over the citation_index:
//   DOI (or a URL naming one: a resolver or publisher link)  exact, score 1
//   URL                        every usual variant (http/https, www.), score 1
//   title                      exact 1; a title that starts with it 0.9; a
//                              title holding at least half of its words
//                              0.8 x share of the query matched x share of
//                              the title covered
//   author family (+ year)     score 1
// Ranked by score, then newest first. Thread-safe; `reader` must outlive it.
class CitationLookup {
 public:
  explicit CitationLookup(const CorpusReader* reader) : reader_(reader) {}

  // At most `limit` documents for the key of `request` (its doi, url, title
  // or author). InvalidArgument naming the field for a key that is missing
  // or malformed; NotFound naming the key when nothing matches.
  absl::StatusOr<std::vector<ScoredDocument>> Lookup(const v1::LookupCitationRequest& request,
                                                     int limit) const;

  // A document's references (its passages' links in reading order), from
  // number `first` on, at most `page_size`, each with the stored document it
  // cites when there is one. NotFound when the document is not stored.
  absl::StatusOr<ReferencePage> References(const std::string& doc_id, int64_t first,
                                           int page_size) const;

 private:
  // Adds the own records under one prefix to `found` with `score` (keeping
  // the best score of each id).
  absl::Status AddOwnRecords(const std::string& prefix, bool exact, int limit, double score,
                             std::vector<std::pair<std::string, double>>* found) const;
  // Documents holding at least half of `title`'s words, scored.
  absl::Status AddTitleWordMatches(const std::string& title,
                                   std::vector<std::pair<std::string, double>>* found) const;

  const CorpusReader* reader_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_CITATIONS_CITATION_LOOKUP_H_
