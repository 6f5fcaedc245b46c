#include "ingest_service/pipeline/ingest_admission.h"

#include "absl/strings/str_cat.h"

namespace biocorpus {

absl::Status IngestAdmission::Acquire(std::chrono::system_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (active_ < max_active_) {
    ++active_;
    return absl::OkStatus();
  }
  if (waiting_ >= max_waiting_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "ingest is at capacity (", active_, " documents in progress, ", waiting_,
        " waiting; --max_concurrent_ingests, --max_queued_ingests): retry later"));
  }
  ++waiting_;
  const bool admitted =
      turn_.wait_until(lock, deadline, [this] { return active_ < max_active_; });
  --waiting_;
  if (!admitted) {
    return absl::DeadlineExceededError(
        "the deadline passed while waiting for an ingest turn; nothing was written");
  }
  ++active_;
  return absl::OkStatus();
}

void IngestAdmission::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --active_;
  }
  turn_.notify_one();
}

}  // namespace biocorpus
