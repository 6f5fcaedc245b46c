#ifndef BIOCORPUS_CORPUS_STORAGE_SCHEMA_H_
#define BIOCORPUS_CORPUS_STORAGE_SCHEMA_H_

// The RocksDB layout shared by the writer (ingest service) and the readers
// (query service). One column family per access path:
//
//   documents       doc id                               -> v1::Document
//   passages        doc id, ordinal (uint32 big-endian)  -> v1::Passage
//   tag_index       concept id, 0, doc id, ordinal       -> ""
//   citation_index  kind, 0, normalized key, 0, doc id[, ordinal] -> ""
//                   (corpus/citations/citation_keys.h)
//   meta            name                                 -> value
//   text_index      namespace, term, 0, block            -> postings
//                   (corpus/search/text_index.h)
//   analytics       kind, name, cell                     -> counter entries
//                   (corpus/analytics/analytics_counters.h)
//
// A document id is a fixed 16 hex digits, so keys need no separator after it.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

inline constexpr char kDocumentsFamily[] = "documents";
inline constexpr char kPassagesFamily[] = "passages";
inline constexpr char kTagIndexFamily[] = "tag_index";
inline constexpr char kCitationIndexFamily[] = "citation_index";
inline constexpr char kMetaFamily[] = "meta";

// Every column family the database holds, "default" first.
const std::vector<std::string>& ColumnFamilyNames();

// meta keys.
inline constexpr char kSchemaVersionKey[] = "schema_version";
inline constexpr char kSchemaVersion[] = "1";
inline constexpr char kDocumentCountKey[] = "count/documents";
inline constexpr char kPassageCountKey[] = "count/passages";
// The vocabulary the ingest service tags with: its version and YAML text.
inline constexpr char kVocabularyVersionKey[] = "vocabulary/version";
inline constexpr char kVocabularyTextKey[] = "vocabulary/text";
// Per concept: how many passages, and how many documents, carry it.
std::string TagPassageCountKey(absl::string_view concept_id);
std::string TagDocumentCountKey(absl::string_view concept_id);
inline constexpr char kTagPassageCountPrefix[] = "tags/passages/";
inline constexpr char kTagDocumentCountPrefix[] = "tags/documents/";

// passages key of one passage; the document id alone is the prefix of all of
// its passages.
std::string PassageKey(absl::string_view doc_id, uint32_t ordinal);
// The ordinal of a passages key (the 4 bytes after the id).
uint32_t PassageOrdinalFromKey(absl::string_view key);

// tag_index: the ordinal that marks a document-level tag (from keywords,
// source tags or categories) rather than a passage's annotation.
inline constexpr uint32_t kDocumentLevelOrdinal = 0xFFFFFFFF;

// The tag_index key of `concept_id` on a passage (or, with
// kDocumentLevelOrdinal, on the document).
std::string TagKey(absl::string_view concept_id, absl::string_view doc_id,
                   uint32_t ordinal);
// The prefix of every tag_index key of `concept_id`.
std::string TagPrefix(absl::string_view concept_id);
// Every tag_index key a document and its passages own, sorted, unique.
std::vector<std::string> TagKeysFor(const v1::Document& document,
                                    const std::vector<v1::Passage>& passages);

// The doc id of a documents key, or of a Document's name.
std::string DocIdFromName(absl::string_view name);

// Encodes / decodes an unsigned counter value (8 bytes big-endian).
std::string EncodeCounter(uint64_t value);
uint64_t DecodeCounter(absl::string_view value);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_SCHEMA_H_
