#include "query_service/store/primary_follower.h"

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/rpc/prometheus_text.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

int64_t Now() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

}  // namespace

PrimaryFollower::PrimaryFollower(CorpusDb* db, std::chrono::milliseconds interval,
                                 std::function<void()> caught_up)
    : db_(db), caught_up_(std::move(caught_up)), caught_up_at_(Now()) {
  thread_ = std::make_unique<PeriodicThread>(interval, [this] {
    if (absl::Status status = CatchUp(); !status.ok()) {
      spdlog::warn("catching up with the primary: {}", status.ToString());
    }
  });
}

PrimaryFollower::~PrimaryFollower() { thread_.reset(); }

absl::Status PrimaryFollower::CatchUp() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status status = db_->CatchUpWithPrimary();
  if (status.ok()) {
    caught_up_at_ = Now();
    if (caught_up_) caught_up_();
  }
  return status;
}

absl::Status PrimaryFollower::WaitForSequence(uint64_t sequence,
                                              std::chrono::steady_clock::time_point deadline) {
  while (db_->Sequence() < sequence) {
    if (std::chrono::steady_clock::now() < deadline) {
      if (absl::Status status = CatchUp(); !status.ok()) return status;
      if (db_->Sequence() >= sequence) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("not caught up with commit ", sequence,
                                                 " yet (at ", db_->Sequence(),
                                                 "); retry, or send the request later"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return absl::OkStatus();
}

void PrimaryFollower::AppendMetrics(std::string* out) const {
  const double age = std::chrono::duration<double>(
                         std::chrono::steady_clock::duration(Now() - caught_up_at_.load()))
                         .count();
  AppendGauge("biocorpus_query_catch_up_age_seconds",
              "Seconds since the secondary last caught up with the primary (-1: not yet).", age,
              out);
}

}  // namespace biocorpus
