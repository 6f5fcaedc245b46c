#ifndef BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_
#define BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "corpus/storage/corpus_db.h"

namespace biocorpus {

// Which documents ListDocuments returns; unset fields match everything.
struct DocumentFilter {
  v1::DocumentFormat format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
  int year_min = 0;
  int year_max = 0;
  // Compared with each author's family name after NormalizeForMatching.
  std::string author;
  // The document's language tag, and one of its source tags (exact).
  std::string language;
  std::string source_tag;
};

// Whether `document` passes `filter`.
bool DocumentMatches(const v1::Document& document, const DocumentFilter& filter);

// Whether `filter` passes every document.
bool MatchesEverything(const DocumentFilter& filter);

// Which passages SearchPassages returns.
struct PassageSearch {
  // Concept groups: a passage satisfies a group when it carries any concept
  // of it. With match_all it must satisfy every group, else any group.
  std::vector<std::vector<std::string>> groups;
  bool match_all = false;
  // With match_all: a passage satisfying any group passes when its document
  // (its passages or its document tags) satisfies every group.
  bool match_in_document = false;
  v1::PassageType type = v1::PASSAGE_TYPE_UNSPECIFIED;
  DocumentFilter documents;
  // Tag entries to examine before returning a short page (with a token).
  int max_examined = 20000;
};

// Passage and document counts of one concept.
struct TagCounts {
  int64_t passages = 0;
  int64_t documents = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;
  // Where the next page starts (the last key returned), or empty at the end.
  std::string next_after;
};

// One link of a document's passages, numbered in reading order.
struct NumberedLink {
  int64_t index = 0;
  std::string passage;  // The passage's name.
  v1::Link link;
};

// The queries over a database opened for reading (a secondary or a restored
// snapshot): documents, passages, the tag and citation indexes, counters.
// Keeping up with the primary is PrimaryFollower's; the vocabulary is
// RecordedVocabulary's. Thread-safe.
class CorpusReader {
 public:
  // Reads `db`, which must outlive the reader.
  explicit CorpusReader(const CorpusDb* db) : db_(db) {}

  // NotFound when the document is not stored.
  absl::StatusOr<v1::Document> GetDocument(absl::string_view doc_id) const;

  // Documents in id order after `after_id` ("" for the start).
  absl::StatusOr<Page<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                   int page_size,
                                                   absl::string_view after_id) const;

  // Passages of a document in ordinal order, after `after_ordinal` (-1 for
  // the start), as stored (v1::Passage encodings). NotFound when the
  // document is not stored.
  absl::StatusOr<Page<std::string>> ListPassages(absl::string_view doc_id, int page_size,
                                                 int64_t after_ordinal) const;

  // Number of stored documents, from the meta counters.
  absl::StatusOr<uint64_t> DocumentCount() const;

  // Passages matching `search` in (document id, ordinal) order, after the
  // position `after` (a next_after of a previous page; "" for the start).
  absl::StatusOr<Page<v1::Passage>> SearchPassages(const PassageSearch& search,
                                                   int page_size,
                                                   absl::string_view after) const;
  // The same page as stored (v1::Passage encodings), for responses that
  // carry the passages unchanged.
  absl::StatusOr<Page<std::string>> SearchPassageEncodings(const PassageSearch& search,
                                                           int page_size,
                                                           absl::string_view after) const;

  // Passages cited by citation_index entries under any of `prefixes` (exact
  // CitationPrefix keys of the cited DOI or URLs), in (document id, ordinal)
  // order, after `after`, as stored (v1::Passage encodings).
  absl::StatusOr<Page<std::string>> ListCitingPassages(
      const std::vector<std::string>& prefixes, int page_size,
      absl::string_view after) const;

  // Ids of documents whose own record has a citation_index key under
  // `prefix` (a CitationPrefix, exact or not), in key order, at most `limit`.
  absl::StatusOr<std::vector<std::string>> OwnRecords(const std::string& prefix,
                                                      bool exact, int limit) const;

  // The stored documents of `doc_ids` (one batched read), in order; nullopt
  // for an id not stored.
  absl::StatusOr<std::vector<std::optional<v1::Document>>> GetDocuments(
      const std::vector<std::string>& doc_ids) const;

  // The links of a document's passages in reading order, from link number
  // `first` on, at most `limit`; it reads passages only until the page is
  // full. NotFound when the document is not stored.
  absl::StatusOr<std::vector<NumberedLink>> ListLinks(absl::string_view doc_id, int64_t first,
                                                      size_t limit) const;

  // Counts of every concept some passage or document carries.
  absl::StatusOr<std::map<std::string, TagCounts>> ListTagCounts() const;

  // The last write sequence number the database has.
  uint64_t Sequence() const { return db_->Sequence(); }

  // Whether the passage at `position` (doc id and big-endian ordinal)
  // carries any of `concepts`.
  bool HasAnyTag(const std::vector<std::string>& concepts, absl::string_view position) const;

  // The ids of every document carrying any of `concepts` on a passage or as
  // a document tag, sorted, once each (one scan of the tag_index).
  absl::StatusOr<std::vector<std::string>> TaggedDocuments(
      const std::vector<std::string>& concepts) const;

  // The positions of every passage carrying any of `concepts`, sorted, once
  // each (one scan of the tag_index).
  absl::StatusOr<std::vector<std::string>> TaggedPositions(
      const std::vector<std::string>& concepts) const;

  // The database read (for the text index).
  const CorpusDb& db() const { return *db_; }

 private:
  // Visits, in ascending order and once each, what follows each of
  // `prefixes` in the keys of `family` (a position: doc id and big-endian
  // ordinal), starting after `after`, until `visit` returns false. Each
  // prefix is whole as the family's prefix filter cuts it (a TagPrefix, an
  // exact CitationPrefix).
  absl::Status ForEachPosition(rocksdb::ColumnFamilyHandle* family,
                               const std::vector<std::string>& prefixes,
                               absl::string_view after,
                               const std::function<bool(const std::string&)>& visit) const;
  // Whether the tag_index holds `concept_id` on the passage at `position`
  // (doc id and big-endian ordinal).
  bool HasTag(const std::string& concept_id, absl::string_view position) const;

  const CorpusDb* db_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_STORE_CORPUS_READER_H_
