#ifndef BIOCORPUS_CORPUS_STORAGE_RECORDS_H_
#define BIOCORPUS_CORPUS_STORAGE_RECORDS_H_

// Reading the stored records, for the writer and the readers alike.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "rocksdb/db.h"

namespace biocorpus {

// The column family handles of an open database, by role.
struct ColumnFamilies {
  rocksdb::ColumnFamilyHandle* documents = nullptr;
  rocksdb::ColumnFamilyHandle* passages = nullptr;
  rocksdb::ColumnFamilyHandle* tags = nullptr;
  rocksdb::ColumnFamilyHandle* citations = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;

  // From handles opened in ColumnFamilyDescriptors() order.
  static ColumnFamilies From(const std::vector<rocksdb::ColumnFamilyHandle*>& handles);
};

// Descriptors of every column family of the schema, in ColumnFamilyNames()
// order, for DB::Open and its read-only and secondary variants.
std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilyDescriptors();

// The stored document `doc_id`. NotFound naming documents/{id} when absent;
// DataLoss when the stored bytes do not parse.
absl::StatusOr<v1::Document> ReadDocument(rocksdb::DB* db, const ColumnFamilies& families,
                                          absl::string_view doc_id);

// The passage at `position` (doc id and big-endian ordinal). NotFound when
// absent.
absl::StatusOr<v1::Passage> ReadPassage(rocksdb::DB* db, const ColumnFamilies& families,
                                        absl::string_view position);

// Every passage of `doc_id` in ordinal order, from `first_ordinal` on, at most
// `limit`.
absl::StatusOr<std::vector<v1::Passage>> ReadPassages(rocksdb::DB* db,
                                                      const ColumnFamilies& families,
                                                      absl::string_view doc_id,
                                                      uint32_t first_ordinal = 0,
                                                      size_t limit = SIZE_MAX);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_RECORDS_H_
