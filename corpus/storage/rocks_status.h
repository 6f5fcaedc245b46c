#ifndef BIOCORPUS_CORPUS_STORAGE_ROCKS_STATUS_H_
#define BIOCORPUS_CORPUS_STORAGE_ROCKS_STATUS_H_

// The one place a RocksDB status becomes an absl::Status.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace biocorpus {

// The absl::Status matching `status`, its message prefixed with `context`:
// NotFound, InvalidArgument, Unavailable (busy, try again, timed out),
// DataLoss (corruption), Unimplemented (not supported), ResourceExhausted
// (no space), Internal for the rest; OK for OK.
absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view context);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_ROCKS_STATUS_H_
