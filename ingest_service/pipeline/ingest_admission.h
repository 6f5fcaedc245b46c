#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_ADMISSION_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_ADMISSION_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/status/status.h"

namespace biocorpus {

// Bounds the ingest work in progress, so that a flood of requests queues or
// is refused instead of exhausting memory: at most `max_active` documents are
// parsed and written at once, at most `max_waiting` more wait for a turn, and
// the rest are refused at once. Thread-safe.
class IngestAdmission {
 public:
  IngestAdmission(int max_active, int max_waiting)
      : max_active_(max_active), max_waiting_(max_waiting) {}

  // Takes a turn, waiting until `deadline` for one. ResourceExhausted when
  // the queue is full; DeadlineExceeded when the deadline passes first.
  absl::Status Acquire(std::chrono::system_clock::time_point deadline);
  // Gives a turn back.
  void Release();

  // Callers waiting for a turn now.
  int waiting() {
    std::lock_guard<std::mutex> lock(mu_);
    return waiting_;
  }

 private:
  const int max_active_;
  const int max_waiting_;
  std::mutex mu_;
  std::condition_variable turn_;
  int active_ = 0;
  int waiting_ = 0;
};

// Holds a turn for its lifetime.
class AdmissionTurn {
 public:
  explicit AdmissionTurn(IngestAdmission* admission) : admission_(admission) {}
  ~AdmissionTurn() {
    if (admission_ != nullptr) admission_->Release();
  }
  AdmissionTurn(const AdmissionTurn&) = delete;
  AdmissionTurn& operator=(const AdmissionTurn&) = delete;

 private:
  IngestAdmission* admission_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_ADMISSION_H_
