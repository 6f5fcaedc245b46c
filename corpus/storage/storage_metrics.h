#ifndef BIOCORPUS_CORPUS_STORAGE_STORAGE_METRICS_H_
#define BIOCORPUS_CORPUS_STORAGE_STORAGE_METRICS_H_

#include <string>

#include "corpus/storage/corpus_db.h"
#include "rocksdb/db.h"

namespace biocorpus {

// Appends, as Prometheus gauges, what the corpus holds (documents, passages
// and passage annotations, from the meta counters) and the RocksDB figures
// that matter to an operator: keys, SST and memtable bytes, pending
// compaction bytes, running compactions and flushes, block cache usage, and
// the last sequence number.
void AppendStorageMetrics(rocksdb::DB* db, const ColumnFamilies& families, std::string* out);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_STORAGE_METRICS_H_
