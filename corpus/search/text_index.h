#ifndef BIOCORPUS_CORPUS_SEARCH_TEXT_INDEX_H_
#define BIOCORPUS_CORPUS_SEARCH_TEXT_INDEX_H_

// The full-text index layout (column family text_index), for the writer and
// the readers alike. Postings are written in blocks, one block per group
// commit (as a search engine writes segments):
//
//   namespace, term, 0, block (uint64 big-endian) -> 'P' + postings
//
// Each posting: doc id (16 bytes), then varints ordinal, length (the
// passage's or field's tokens), count, and for the exact namespaces `count`
// position deltas. A block's postings are sorted by doc id and ordinal.
// Namespaces, stems in lower case and exact words (with positions) in upper
// case: passage text ('p', 'P'), and the document's title ('t', 'T'),
// authors ('a', 'A') and journal ('j', 'J') at ordinal kDocumentLevelOrdinal.
// A word that is its own stem (and every CJK character) has exact postings
// only: a search for the stem reads both namespaces.
//
// Replacing or deleting a document merges a removal ('R' + doc ids) into
// each of its old keys; the postings merge operator applies removals on read
// and in compactions. meta "text/block/<doc id>" records the block that holds
// a document's postings.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "rocksdb/merge_operator.h"

namespace biocorpus {

inline constexpr char kTextIndexFamily[] = "text_index";

// meta counters: the tokens of every passage text (for the average passage
// length), and the blocks written so far (the next block's number).
inline constexpr char kTextTokenCountKey[] = "count/text_tokens";
inline constexpr char kTextBlockCountKey[] = "count/text_blocks";
// meta: present once every stored document is in the text index (a
// database written before the text index is indexed in the background), and
// meanwhile the last document id the backfill has done.
inline constexpr char kTextIndexCompleteKey[] = "text/complete";
inline constexpr char kTextBackfillCursorKey[] = "text/backfill_through";
// meta: the block of a document's postings.
std::string TextBlockKey(absl::string_view doc_id);

// What a term is matched against.
enum class TextField { kPassage, kTitle, kAuthor, kJournal };

// The namespace byte of a field's stems (exact = false) or exact words.
char TextNamespace(TextField field, bool exact);

// The key of `term` in `block`, and the prefix of all of its blocks.
std::string TextTermKey(char ns, absl::string_view term, uint64_t block);
std::string TextTermPrefix(char ns, absl::string_view term);
// The term of a key (between the namespace byte and the 0).
absl::string_view TermOfKey(absl::string_view key);
// The block number of a key (its last 8 bytes, big-endian).
uint64_t BlockOfTermKey(absl::string_view key);

// One occurrence list: a term in one passage (or a document field).
struct TextPosting {
  std::string doc_id;
  uint32_t ordinal = 0;
  uint32_t length = 0;  // Tokens in the passage or field.
  uint32_t count = 0;   // Occurrences of the term.
  std::vector<uint32_t> positions;  // Exact namespaces only.
};

// Appends / reads postings of a block value (after its 'P'). AppendPosting
// writes `doc_id` (posting.doc_id is not read).
void AppendPosting(absl::string_view doc_id, const TextPosting& posting, bool with_positions,
                   std::string* out);
// False when `value` does not decode.
bool DecodePostings(absl::string_view value, bool with_positions, std::vector<TextPosting>* out);

// Reads the postings of a block value in place, without copying ids:
//   TextPostingReader reader(value, exact);
//   while (reader.Next()) { ... reader.doc_id() ... }
//   if (!reader.ok()) ...
// Positions are decoded only when asked for, before the next Next().
class TextPostingReader {
 public:
  TextPostingReader(absl::string_view value, bool with_positions)
      : rest_(value), with_positions_(with_positions) {}
  // False at the end, and when the value does not decode (then !ok()).
  bool Next();
  bool ok() const { return ok_; }
  absl::string_view doc_id() const { return doc_id_; }
  uint32_t ordinal() const { return ordinal_; }
  uint32_t length() const { return length_; }
  uint32_t count() const { return count_; }
  // Appends the current posting's positions; false when they do not decode.
  bool AppendPositions(std::vector<uint32_t>* out);

 private:
  absl::string_view rest_;
  bool with_positions_;
  bool ok_ = true;
  bool positions_pending_ = false;
  absl::string_view doc_id_;
  uint32_t ordinal_ = 0, length_ = 0, count_ = 0;
};

// The removal operand of a document.
std::string TextRemoval(absl::string_view doc_id);

// Applies removals to blocks ('P' values) and combines removals.
std::shared_ptr<rocksdb::MergeOperator> NewPostingsMergeOperator();

// The postings of one document, by key (namespace + term), and its tokens.
// (Their doc_id is left empty: it is the document's.)
struct DocumentTerms {
  std::unordered_map<std::string, std::vector<TextPosting>> postings;  // Key: ns + term.
  int64_t passage_tokens = 0;
};
DocumentTerms TermsOf(const v1::Document& document, const std::vector<v1::Passage>& passages);

// The postings of a group commit: documents added and removed as the batch
// is built; Write() turns them into one block.
class TextBlockBuilder {
 public:
  void Add(const std::string& doc_id, std::shared_ptr<const DocumentTerms> terms) {
    documents_[doc_id] = std::move(terms);
  }
  // Takes `doc_id` out of the block: out of this builder, or, when it was
  // added to the builder this one is merged into, out of that one on merge.
  void Remove(const std::string& doc_id) {
    if (documents_.erase(doc_id) == 0) removed_.insert(doc_id);
  }
  bool empty() const { return documents_.empty(); }
  // Applies `other`'s removals, then adds its documents.
  void MergeFrom(TextBlockBuilder other);

  // The block's keys and values, one per term.
  std::vector<std::pair<std::string, std::string>> Build(uint64_t block) const;

 private:
  std::map<std::string, std::shared_ptr<const DocumentTerms>> documents_;  // By doc id (sorted).
  std::set<std::string> removed_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_SEARCH_TEXT_INDEX_H_
