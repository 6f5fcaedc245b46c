#ifndef BIOCORPUS_CORPUS_STORAGE_SNAPSHOTS_H_
#define BIOCORPUS_CORPUS_STORAGE_SNAPSHOTS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace biocorpus {

// Published snapshots are RocksDB backups (BackupEngine) in a shared
// directory. Each carries, as its application metadata, the sequence number
// every write it holds is at or below, so that a query replica can tell a
// commit token it cannot yet honour.

// The metadata recorded with a snapshot covering `sequence`.
std::string SnapshotMetadata(uint64_t sequence);

// The sequence recorded by SnapshotMetadata; 0 when `metadata` holds none.
uint64_t SnapshotSequence(absl::string_view metadata);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_SNAPSHOTS_H_
