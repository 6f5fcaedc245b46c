#include "corpus/storage/storage_metrics.h"

#include <memory>

#include "corpus/rpc/prometheus_text.h"
#include "corpus/storage/schema.h"

namespace biocorpus {
namespace {

double Counter(rocksdb::DB* db, const ColumnFamilies& families, const char* key) {
  std::string value;
  if (!db->Get(rocksdb::ReadOptions(), families.meta, key, &value).ok()) return 0;
  return static_cast<double>(DecodeCounter(value));
}

}  // namespace

void AppendStorageMetrics(rocksdb::DB* db, const ColumnFamilies& families, std::string* out) {
  AppendGauge("biocorpus_documents_stored", "Documents in the corpus.",
              Counter(db, families, kDocumentCountKey), out);
  AppendGauge("biocorpus_passages_stored", "Passages in the corpus.",
              Counter(db, families, kPassageCountKey), out);
  // Annotations: the sum of every concept's passage count.
  double annotations = 0;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), families.meta));
  for (it->Seek(kTagPassageCountPrefix);
       it->Valid() && it->key().starts_with(kTagPassageCountPrefix); it->Next()) {
    annotations += static_cast<double>(DecodeCounter(
        absl::string_view(it->value().data(), it->value().size())));
  }
  AppendGauge("biocorpus_annotations_stored", "Concept annotations on stored passages.",
              annotations, out);

  struct Property {
    const char* rocksdb;
    const char* name;
    const char* help;
  };
  static constexpr Property kProperties[] = {
      {"rocksdb.estimate-num-keys", "biocorpus_rocksdb_estimated_keys",
       "Estimated keys across column families."},
      {"rocksdb.total-sst-files-size", "biocorpus_rocksdb_sst_bytes",
       "Bytes of SST files across column families."},
      {"rocksdb.cur-size-all-mem-tables", "biocorpus_rocksdb_memtable_bytes",
       "Bytes in memtables across column families."},
      {"rocksdb.estimate-pending-compaction-bytes", "biocorpus_rocksdb_pending_compaction_bytes",
       "Estimated bytes compaction still has to rewrite."},
      {"rocksdb.num-running-compactions", "biocorpus_rocksdb_running_compactions",
       "Compactions running now."},
      {"rocksdb.num-running-flushes", "biocorpus_rocksdb_running_flushes", "Flushes running now."},
      {"rocksdb.block-cache-usage", "biocorpus_rocksdb_block_cache_bytes",
       "Bytes held in the block cache."},
      {"rocksdb.estimate-table-readers-mem", "biocorpus_rocksdb_table_readers_bytes",
       "Memory held by open SST readers (indexes and filters)."},
  };
  for (const Property& property : kProperties) {
    uint64_t value = 0;
    if (db->GetAggregatedIntProperty(property.rocksdb, &value)) {
      AppendGauge(property.name, property.help, static_cast<double>(value), out);
    }
  }
  AppendGauge("biocorpus_rocksdb_sequence", "Last sequence number (commit token) of the database.",
              static_cast<double>(db->GetLatestSequenceNumber()), out);
}

}  // namespace biocorpus
