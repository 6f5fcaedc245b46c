#ifndef BIOCORPUS_CORPUS_ANALYTICS_ANALYTICS_COUNTERS_H_
#define BIOCORPUS_CORPUS_ANALYTICS_ANALYTICS_COUNTERS_H_

// The analytics counters (column family `analytics`), kept by the writer in
// each document's own batch and read by the query service. Every value is a
// list of entries (partner, passages, documents), summed by a merge operator,
// so that a write adds its deltas without reading anything:
//
//   'T' cell                 -> ("", passages, documents)          every document
//   'S' source tag 0 cell    -> ("", passages, documents)          per source tag
//   'K' category byte cell   -> ("", passages, documents)          per category
//   'C' concept 0 cell       -> ("", passages, documents)          per concept,
//                               (partner, passages, documents)...  and its pairs
//
// A cell is the document's year (4 bytes big-endian, sign bit flipped), its
// format (1 byte) and its language (the rest of the key). A concept's
// documents count its document-level tags too; its passages count passages
// only. A pair is kept once, in the cell of the concept that sorts first,
// with the other as the partner: its passages are those carrying both, its
// documents those carrying both anywhere (passages or document-level tags).
// One key per concept and cell keeps a document's merges few (one per
// concept it carries, whatever the number of pairs).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/write_batch.h"

namespace biocorpus {

inline constexpr char kAnalyticsFamily[] = "analytics";

// meta: present once the counters cover every stored document (a database
// written before them is counted once when the ingest service opens it), and
// meanwhile the last document id counted.
inline constexpr char kAnalyticsCompleteKey[] = "analytics/complete";
inline constexpr char kAnalyticsCursorKey[] = "analytics/counted_through";

// Passage and document counts (signed while they are deltas).
struct PassageDocumentCounts {
  int64_t passages = 0;
  int64_t documents = 0;
  bool operator==(const PassageDocumentCounts& o) const {
    return passages == o.passages && documents == o.documents;
  }
};

// One counter value: partner ("" for a single counter) -> counts.
using CounterEntries = std::map<std::string, PassageDocumentCounts>;

// The attributes a document's counters are kept by.
struct CounterCell {
  int32_t year = 0;
  v1::DocumentFormat format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
  std::string language;
};

// Key builders and the prefixes of their families.
std::string EncodeCell(const CounterCell& cell);
std::string TotalCounterKey(const CounterCell& cell);
std::string SourceTagCounterKey(absl::string_view tag, const CounterCell& cell);
std::string CategoryCounterKey(v1::ConceptCategory category, const CounterCell& cell);
std::string ConceptCounterKey(absl::string_view concept_id, const CounterCell& cell);
inline constexpr char kTotalCounterTag = 'T';
inline constexpr char kSourceTagCounterTag = 'S';
inline constexpr char kCategoryCounterTag = 'K';
inline constexpr char kConceptCounterTag = 'C';
// The prefix of every key of a concept's cells, of a source tag's, and of a
// category's.
std::string ConceptCounterPrefix(absl::string_view concept_id);
std::string SourceTagCounterPrefix(absl::string_view tag);
std::string CategoryCounterPrefix(v1::ConceptCategory category);

// A key taken apart. False when `key` is not an analytics key.
struct ParsedCounterKey {
  char tag = 0;
  std::string name;  // Concept id, source tag, or category number as text.
  CounterCell cell;
};
bool ParseCounterKey(absl::string_view key, ParsedCounterKey* out);

// Encodes / decodes a value. Entries whose counts are both zero are left out.
std::string EncodeCounterEntries(const CounterEntries& entries);
bool DecodeCounterEntries(absl::string_view value, CounterEntries* out);
// The counts of the entry with no partner (a concept's own, or a single
// counter's), reading no further; zero when there is none. False when the
// value does not decode.
bool DecodeOwnCounts(absl::string_view value, PassageDocumentCounts* out);

// Sums values: what the analytics family's merges do.
std::shared_ptr<rocksdb::MergeOperator> NewCounterMergeOperator();

// Counter deltas as merge operands, by key: the encoded entries of one or
// more documents, one after another (a value may hold a partner more than
// once; decoding and merging add them up). Appending is all a group commit
// does to combine its documents' deltas.
struct EncodedCounters {
  std::map<std::string, std::string> values;
  // Appends every value of `other`.
  void Append(const EncodedCounters& other);
};

// A document carrying more distinct concepts than this counts them but no
// pairs: its pairs would grow as the square of them (a thousand concepts
// are half a million pairs, about 12 MB of counters for one document).
inline constexpr size_t kMaxConceptsForPairs = 1000;

// Appends what `document` and its `passages` count (sign +1) or stop
// counting (sign -1).
void AppendDocumentCounters(const v1::Document& document,
                            const std::vector<v1::Passage>& passages, int sign,
                            EncodedCounters* out);

// The same, decoded and summed into `deltas` (for recounts and tests).
using CounterDeltaMap = std::map<std::string, CounterEntries>;
void AddDocumentCounters(const v1::Document& document, const std::vector<v1::Passage>& passages,
                         int sign, CounterDeltaMap* deltas);

// Adds a merge of every value to `batch` in `family`.
void MergeCounterDeltas(const EncodedCounters& deltas, rocksdb::ColumnFamilyHandle* family,
                        rocksdb::WriteBatch* batch);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_ANALYTICS_ANALYTICS_COUNTERS_H_
