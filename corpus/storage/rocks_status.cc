#include "corpus/storage/rocks_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace biocorpus {

absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNotSupported()) return absl::UnimplementedError(message);
  if (status.IsIOError() && status.IsNoSpace()) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

}  // namespace biocorpus
