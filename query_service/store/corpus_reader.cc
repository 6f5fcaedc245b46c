#include "query_service/store/corpus_reader.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/storage/rocks_status.h"
#include "corpus/storage/schema.h"
#include "corpus/storage/stored_encoding.h"

namespace biocorpus {

bool DocumentMatches(const v1::Document& doc, const DocumentFilter& filter) {
  if (filter.format != v1::DOCUMENT_FORMAT_UNSPECIFIED &&
      doc.format() != filter.format) {
    return false;
  }
  if (filter.year_min != 0 && doc.year() < filter.year_min) return false;
  if (filter.year_max != 0 && (doc.year() == 0 || doc.year() > filter.year_max)) {
    return false;
  }
  if (!filter.author.empty()) {
    bool found = false;
    for (const v1::Author& author : doc.authors()) {
      if (NormalizeForMatching(author.family()) == filter.author) found = true;
    }
    if (!found) return false;
  }
  if (!filter.language.empty() && doc.language() != filter.language) return false;
  if (!filter.source_tag.empty() &&
      std::find(doc.source_tags().begin(), doc.source_tags().end(), filter.source_tag) ==
          doc.source_tags().end()) {
    return false;
  }
  return true;
}

bool MatchesEverything(const DocumentFilter& filter) {
  return filter.format == v1::DOCUMENT_FORMAT_UNSPECIFIED && filter.year_min == 0 &&
         filter.year_max == 0 && filter.author.empty() && filter.language.empty() &&
         filter.source_tag.empty();
}

bool CorpusReader::HasTag(const std::string& concept_id,
                          absl::string_view position) const {
  std::string ignored;
  return db_->db()->Get(rocksdb::ReadOptions(), db_->families().tags,
                  absl::StrCat(TagPrefix(concept_id), position), &ignored)
      .ok();
}

bool CorpusReader::HasAnyTag(const std::vector<std::string>& concepts,
                             absl::string_view position) const {
  return std::any_of(concepts.begin(), concepts.end(),
                     [&](const std::string& c) { return HasTag(c, position); });
}

absl::StatusOr<std::vector<std::string>> CorpusReader::TaggedPositions(
    const std::vector<std::string>& concepts) const {
  std::vector<std::string> prefixes;
  for (const std::string& c : concepts) prefixes.push_back(TagPrefix(c));
  std::vector<std::string> positions;
  absl::Status status =
      ForEachPosition(db_->families().tags, prefixes, "", [&](const std::string& position) {
        if (position.size() == kDocumentIdLength + 4 &&
            PassageOrdinalFromKey(position) != kDocumentLevelOrdinal) {
          positions.push_back(position);
        }
        return true;
      });
  if (!status.ok()) return status;
  return positions;
}

absl::StatusOr<std::vector<std::string>> CorpusReader::TaggedDocuments(
    const std::vector<std::string>& concepts) const {
  std::vector<std::string> prefixes;
  for (const std::string& c : concepts) prefixes.push_back(TagPrefix(c));
  std::vector<std::string> ids;
  absl::Status status =
      ForEachPosition(db_->families().tags, prefixes, "", [&](const std::string& position) {
        if (position.size() < kDocumentIdLength) return true;
        if (ids.empty() || absl::string_view(ids.back()) != absl::string_view(position).substr(0, kDocumentIdLength)) {
          ids.push_back(position.substr(0, kDocumentIdLength));
        }
        return true;
      });
  if (!status.ok()) return status;
  return ids;
}

absl::Status CorpusReader::ForEachPosition(
    rocksdb::ColumnFamilyHandle* family, const std::vector<std::string>& prefixes,
    absl::string_view after, const std::function<bool(const std::string&)>& visit) const {
  // A k-way merge of the prefixes' key ranges by what follows the prefix.
  // Each cursor stops at the end of its prefix (the bound lives as long as
  // its iterator: the vector never reallocates).
  struct Cursor {
    std::string prefix;
    std::string upper;
    rocksdb::Slice upper_slice;
    std::unique_ptr<rocksdb::Iterator> it;
  };
  std::vector<Cursor> cursors;
  cursors.reserve(prefixes.size());
  using Entry = std::pair<std::string, size_t>;  // position, cursor
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto push = [&](size_t i) {
    Cursor& c = cursors[i];
    if (c.it->Valid() && c.it->key().starts_with(c.prefix)) {
      heap.push({c.it->key().ToString().substr(c.prefix.size()), i});
    }
  };
  for (const std::string& prefix : prefixes) {
    Cursor& cursor = cursors.emplace_back();
    cursor.prefix = prefix;
    cursor.upper = PrefixSuccessor(prefix);
    cursor.upper_slice = rocksdb::Slice(cursor.upper);
    rocksdb::ReadOptions read_options;
    read_options.prefix_same_as_start = true;
    if (!cursor.upper.empty()) read_options.iterate_upper_bound = &cursor.upper_slice;
    cursor.it.reset(db_->db()->NewIterator(read_options, family));
    const std::string start = prefix + std::string(after);
    cursor.it->Seek(start);
    if (!after.empty() && cursor.it->Valid() && cursor.it->key() == rocksdb::Slice(start)) {
      cursor.it->Next();
    }
    push(cursors.size() - 1);
  }
  std::string last;
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    cursors[top.second].it->Next();
    push(top.second);
    if (top.first == last) continue;  // The same position under two prefixes.
    last = top.first;
    if (!visit(top.first)) break;
  }
  for (const Cursor& c : cursors) {
    if (!c.it->status().ok()) return FromRocksStatus(c.it->status(), "reading an index");
  }
  return absl::OkStatus();
}

absl::StatusOr<Page<v1::Passage>> CorpusReader::SearchPassages(
    const PassageSearch& search, int page_size, absl::string_view after) const {
  absl::StatusOr<Page<std::string>> encoded = SearchPassageEncodings(search, page_size, after);
  if (!encoded.ok()) return encoded.status();
  Page<v1::Passage> page;
  page.next_after = std::move(encoded->next_after);
  page.items.resize(encoded->items.size());
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (!page.items[i].ParseFromString(encoded->items[i])) {
      return absl::DataLossError("stored passage does not parse");
    }
  }
  return page;
}

absl::StatusOr<Page<std::string>> CorpusReader::SearchPassageEncodings(
    const PassageSearch& search, int page_size, absl::string_view after) const {
  Page<std::string> page;
  if (search.groups.empty()) return page;
  // Candidates come from every group (ANY, and ALL in the document, where
  // the document is checked against each group) or from the first (ALL,
  // where the other groups are checked per passage).
  const bool per_passage_all = search.match_all && !search.match_in_document;
  std::vector<std::vector<std::string>> documents_of_group;
  if (search.match_all && search.match_in_document) {
    for (const std::vector<std::string>& group : search.groups) {
      absl::StatusOr<std::vector<std::string>> ids = TaggedDocuments(group);
      if (!ids.ok()) return ids.status();
      documents_of_group.push_back(std::move(*ids));
    }
  }
  std::vector<std::string> prefixes;
  for (size_t g = 0; g < (per_passage_all ? 1 : search.groups.size()); ++g) {
    for (const std::string& c : search.groups[g]) prefixes.push_back(TagPrefix(c));
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());

  // Whether each document read passes search.documents, by id; a passage's
  // document is stored whenever the passage is, so an open filter reads none.
  const bool filter_documents = !MatchesEverything(search.documents);
  std::map<std::string, bool> documents;
  std::string last;
  int examined = 0;
  bool more = false;
  absl::Status failure;
  absl::Status status = ForEachPosition(db_->families().tags, prefixes, after, [&](const std::string& position) {
    if (static_cast<int>(page.items.size()) == page_size || examined >= search.max_examined) {
      more = true;
      return false;
    }
    last = position;
    ++examined;
    if (position.size() != kDocumentIdLength + 4) return true;
    if (PassageOrdinalFromKey(position) == kDocumentLevelOrdinal) return true;
    for (const std::vector<std::string>& ids : documents_of_group) {
      if (!std::binary_search(ids.begin(), ids.end(), position.substr(0, kDocumentIdLength))) {
        return true;
      }
    }
    if (per_passage_all) {
      for (size_t g = 1; g < search.groups.size(); ++g) {
        if (!std::any_of(search.groups[g].begin(), search.groups[g].end(),
                         [&](const std::string& c) { return HasTag(c, position); })) {
          return true;
        }
      }
    }
    if (filter_documents) {
      const std::string doc_id = position.substr(0, kDocumentIdLength);
      auto cached = documents.find(doc_id);
      if (cached == documents.end()) {
        absl::StatusOr<v1::Document> document = GetDocument(doc_id);
        cached = documents
                     .emplace(doc_id,
                              document.ok() && DocumentMatches(*document, search.documents))
                     .first;
      }
      if (!cached->second) return true;
    }
    absl::StatusOr<std::string> passage = db_->ReadPassageEncoding(position);
    if (absl::IsNotFound(passage.status())) return true;  // Deleted meanwhile.
    if (!passage.ok()) {
      failure = passage.status();
      return false;
    }
    if (search.type != v1::PASSAGE_TYPE_UNSPECIFIED) {
      const std::optional<PassageHeader> header = ReadPassageHeader(*passage);
      if (!header.has_value()) {
        failure = absl::DataLossError("stored passage does not parse");
        return false;
      }
      if (header->type != search.type) return true;
    }
    page.items.push_back(std::move(*passage));
    return true;
  });
  if (!status.ok()) return status;
  if (!failure.ok()) return failure;
  if (more) page.next_after = last;
  return page;
}

absl::StatusOr<Page<std::string>> CorpusReader::ListCitingPassages(
    const std::vector<std::string>& prefixes, int page_size, absl::string_view after) const {
  Page<std::string> page;
  std::string last;
  bool more = false;
  absl::Status failure;
  absl::Status status = ForEachPosition(db_->families().citations, prefixes, after, [&](const std::string& position) {
    if (static_cast<int>(page.items.size()) == page_size) {
      more = true;
      return false;
    }
    last = position;
    // Entries without an ordinal are documents' own records, not citations.
    if (position.size() != kDocumentIdLength + 4) return true;
    absl::StatusOr<std::string> passage = db_->ReadPassageEncoding(position);
    if (absl::IsNotFound(passage.status())) return true;
    if (!passage.ok()) {
      failure = passage.status();
      return false;
    }
    page.items.push_back(std::move(*passage));
    return true;
  });
  if (!status.ok()) return status;
  if (!failure.ok()) return failure;
  if (more) page.next_after = last;
  return page;
}

absl::StatusOr<std::vector<std::string>> CorpusReader::OwnRecords(
    const std::string& prefix, bool exact, int limit) const {
  std::vector<std::string> ids;
  const std::string upper = PrefixSuccessor(prefix);
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  if (!upper.empty()) read_options.iterate_upper_bound = &upper_slice;
  // An exact prefix is what the family's prefix filter holds; a partial one
  // spans many.
  (exact ? read_options.prefix_same_as_start : read_options.total_order_seek) = true;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read_options, db_->families().citations));
  for (it->Seek(prefix);
       it->Valid() && it->key().starts_with(prefix) && static_cast<int>(ids.size()) < limit;
       it->Next()) {
    std::optional<CitationKeyParts> parts =
        DecodeCitationKey(absl::string_view(it->key().data(), it->key().size()));
    // Own records only: an exact prefix is followed by the doc id alone.
    if (!parts.has_value() || parts->ordinal.has_value()) continue;
    if (exact && it->key().size() != prefix.size() + kDocumentIdLength) continue;
    if (std::find(ids.begin(), ids.end(), parts->doc_id) == ids.end()) {
      ids.push_back(std::move(parts->doc_id));
    }
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading citation index");
  return ids;
}

absl::StatusOr<std::vector<std::optional<v1::Document>>> CorpusReader::GetDocuments(
    const std::vector<std::string>& doc_ids) const {
  return db_->ReadDocuments(doc_ids);
}

absl::StatusOr<std::vector<NumberedLink>> CorpusReader::ListLinks(absl::string_view doc_id,
                                                                  int64_t first,
                                                                  size_t limit) const {
  if (absl::Status stored = db_->CheckDocumentStored(doc_id); !stored.ok()) return stored;
  std::vector<NumberedLink> links;
  const rocksdb::Slice prefix(doc_id.data(), doc_id.size());
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->families().passages));
  int64_t index = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && links.size() < limit;
       it->Next()) {
    v1::Passage passage;
    if (!passage.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("stored passage of ", doc_id, " does not parse"));
    }
    for (v1::Link& link : *passage.mutable_links()) {
      if (index++ < first || links.size() == limit) continue;
      links.push_back(NumberedLink{index - 1, passage.name(), std::move(link)});
    }
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading passages");
  return links;
}

absl::StatusOr<std::map<std::string, TagCounts>> CorpusReader::ListTagCounts() const {
  std::map<std::string, TagCounts> counts;
  for (const bool passages : {true, false}) {
    const std::string prefix = passages ? kTagPassageCountPrefix : kTagDocumentCountPrefix;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->db()->NewIterator(rocksdb::ReadOptions(), db_->families().meta));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      TagCounts& c = counts[it->key().ToString().substr(prefix.size())];
      const int64_t value = static_cast<int64_t>(
          DecodeCounter(absl::string_view(it->value().data(), it->value().size())));
      (passages ? c.passages : c.documents) = value;
    }
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading tag counts");
  }
  return counts;
}

absl::StatusOr<v1::Document> CorpusReader::GetDocument(
    absl::string_view doc_id) const {
  return db_->ReadDocument(doc_id);
}

absl::StatusOr<Page<v1::Document>> CorpusReader::ListDocuments(
    const DocumentFilter& filter, int page_size,
    absl::string_view after_id) const {
  Page<v1::Document> page;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->families().documents));
  if (after_id.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(rocksdb::Slice(after_id.data(), after_id.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(after_id.data(), after_id.size())) {
      it->Next();
    }
  }
  for (; it->Valid(); it->Next()) {
    v1::Document document;
    if (!document.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "stored document ", it->key().ToString(), " does not parse"));
    }
    if (!DocumentMatches(document, filter)) continue;
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_after = DocIdFromName(page.items.back().name());
      break;
    }
    page.items.push_back(std::move(document));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing documents");
  return page;
}

absl::StatusOr<Page<std::string>> CorpusReader::ListPassages(
    absl::string_view doc_id, int page_size, int64_t after_ordinal) const {
  if (absl::Status stored = db_->CheckDocumentStored(doc_id); !stored.ok()) return stored;
  // One more than a page tells whether there is a next one.
  absl::StatusOr<std::vector<std::string>> passages =
      db_->ReadPassageEncodings(doc_id, static_cast<uint32_t>(after_ordinal + 1),
                                static_cast<size_t>(page_size) + 1);
  if (!passages.ok()) return passages.status();
  Page<std::string> page;
  page.items = std::move(*passages);
  if (static_cast<int>(page.items.size()) > page_size) {
    page.items.pop_back();
    const std::optional<PassageHeader> last = ReadPassageHeader(page.items.back());
    if (!last.has_value()) {
      return absl::DataLossError(absl::StrCat("stored passage of ", doc_id, " does not parse"));
    }
    page.next_after = absl::StrCat(last->ordinal);
  }
  return page;
}

absl::StatusOr<uint64_t> CorpusReader::DocumentCount() const {
  return db_->ReadCounter(kDocumentCountKey);
}

}  // namespace biocorpus
