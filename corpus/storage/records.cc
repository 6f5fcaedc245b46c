#include "corpus/storage/records.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"

namespace biocorpus {

ColumnFamilies ColumnFamilies::From(
    const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  ColumnFamilies families;
  families.documents = handles[1];
  families.passages = handles[2];
  families.tags = handles[3];
  families.citations = handles[4];
  families.meta = handles[5];
  return families;
}

std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilyDescriptors() {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : ColumnFamilyNames()) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  return descriptors;
}

absl::StatusOr<v1::Document> ReadDocument(rocksdb::DB* db, const ColumnFamilies& families,
                                          absl::string_view doc_id) {
  std::string value;
  const rocksdb::Status status =
      db->Get(rocksdb::ReadOptions(), families.documents,
              rocksdb::Slice(doc_id.data(), doc_id.size()), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(DocumentName(doc_id), " is not stored"));
  }
  if (!status.ok()) return FromRocksStatus(status, "reading document");
  v1::Document document;
  if (!document.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("stored document ", doc_id, " does not parse"));
  }
  return document;
}

absl::StatusOr<v1::Passage> ReadPassage(rocksdb::DB* db, const ColumnFamilies& families,
                                        absl::string_view position) {
  std::string value;
  const rocksdb::Status status =
      db->Get(rocksdb::ReadOptions(), families.passages,
              rocksdb::Slice(position.data(), position.size()), &value);
  if (status.IsNotFound()) return absl::NotFoundError("passage is not stored");
  if (!status.ok()) return FromRocksStatus(status, "reading passage");
  v1::Passage passage;
  if (!passage.ParseFromString(value)) {
    return absl::DataLossError("stored passage does not parse");
  }
  return passage;
}

absl::StatusOr<std::vector<v1::Passage>> ReadPassages(rocksdb::DB* db,
                                                      const ColumnFamilies& families,
                                                      absl::string_view doc_id,
                                                      uint32_t first_ordinal, size_t limit) {
  std::vector<v1::Passage> passages;
  const rocksdb::Slice prefix(doc_id.data(), doc_id.size());
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), families.passages));
  for (it->Seek(PassageKey(doc_id, first_ordinal));
       it->Valid() && it->key().starts_with(prefix) && passages.size() < limit; it->Next()) {
    v1::Passage passage;
    if (!passage.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("stored passage of ", doc_id, " does not parse"));
    }
    passages.push_back(std::move(passage));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "reading passages");
  return passages;
}

}  // namespace biocorpus
