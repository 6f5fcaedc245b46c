#ifndef BIOCORPUS_QUERY_SERVICE_SEARCH_TEXT_SEARCH_H_
#define BIOCORPUS_QUERY_SERVICE_SEARCH_TEXT_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "query_service/search/query_parser.h"
#include "query_service/store/corpus_reader.h"

namespace biocorpus {

// BM25's parameters (over passages).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

// The corpus statistics a ranking uses: a page token carries them, so that
// the later pages of a query rank with the numbers its first page used.
struct TextStats {
  uint64_t passages = 0;
  double average_length = 0;
  // Passages holding each term, by namespace byte + term.
  std::map<std::string, uint64_t> document_frequency;
};

// Doc ids are 16 lower-case hex digits: as numbers they sort as they do as
// strings, and compare cheaply.
uint64_t DocNumber(absl::string_view id);
std::string DocIdOfNumber(uint64_t n);

// One matching passage; (doc, ordinal) sort as its passage key does.
struct TextHit {
  uint64_t doc = 0;
  uint32_t ordinal = 0;
  double score = 0;
  // The passage key: doc id and big-endian ordinal.
  std::string Position() const;
  bool SamePassage(const TextHit& o) const { return doc == o.doc && ordinal == o.ordinal; }
  bool InPassageOrderBefore(const TextHit& o) const {
    return doc != o.doc ? doc < o.doc : ordinal < o.ordinal;
  }
};

struct TextSearchOutcome {
  std::vector<TextHit> hits;  // In position order.
  TextStats stats;
  // False when the deadline came before every posting was read: `hits` is
  // then the part found so far.
  bool complete = true;
};

// Evaluates full-text queries over the text index. Each passage matching the
// query gets the sum over the query's positive words of
//
//   idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length)),
//   idf = ln(1 + (N - df + 0.5) / (df + 0.5))
//
// where a phrase counts its occurrences as tf and sums its words' idf, and a
// prefix adds the score of each word it expands to. Field prefixes (title:,
// author:, journal:) select documents and add nothing to the score.
// Thread-safe; `reader` must outlive it.
class TextSearcher {
 public:
  explicit TextSearcher(const CorpusReader* reader) : reader_(reader) {}

  // Every passage that matches `query`. Statistics come from `frozen` where
  // it has them (a later page), else from the corpus.
  absl::StatusOr<TextSearchOutcome> Search(const QueryNode& query, const TextStats* frozen,
                                           std::chrono::steady_clock::time_point deadline) const;

 private:
  const CorpusReader* reader_;
};

// The spans of `text` that the query's positive words match, in text order.
std::vector<v1::Span> Highlights(const QueryNode& query, absl::string_view text);

// Encodes / decodes statistics for a page token.
std::string EncodeTextStats(const TextStats& stats);
bool DecodeTextStats(absl::string_view encoded, TextStats* stats);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SEARCH_TEXT_SEARCH_H_
