#include "query_service/store/replica.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"

namespace biocorpus {

absl::StatusOr<std::unique_ptr<Replica>> Replica::Open(const ReplicaOptions& options) {
  CorpusDbOptions db_options;
  db_options.path = options.data_dir;
  db_options.mode =
      options.read_only ? CorpusDbOptions::Mode::kReadOnly : CorpusDbOptions::Mode::kSecondary;
  db_options.secondary_path = options.secondary_dir;
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(db_options);
  if (!db.ok()) return db.status();
  auto replica = std::unique_ptr<Replica>(new Replica(std::move(*db)));
  Replica* r = replica.get();
  r->vocabulary_.Refresh(*r->db_);
  if (!options.read_only) {
    r->follower_ = std::make_unique<PrimaryFollower>(
        r->db_.get(), std::chrono::milliseconds(options.catch_up_interval_ms),
        [r] { r->vocabulary_.Refresh(*r->db_); });
  }
  return replica;
}

Replica::~Replica() {
  follower_.reset();
  db_->Close().IgnoreError();
}

absl::Status Replica::CatchUp() {
  return follower_ == nullptr ? absl::OkStatus() : follower_->CatchUp();
}

absl::Status Replica::WaitForSequence(uint64_t sequence,
                                      std::chrono::steady_clock::time_point deadline) {
  if (follower_ == nullptr) {
    if (Sequence() >= sequence) return absl::OkStatus();
    return absl::UnavailableError(absl::StrCat(
        "this replica serves a snapshot at commit ", Sequence(), ", older than commit ", sequence,
        "; retry (another replica, or after the next snapshot is published)"));
  }
  return follower_->WaitForSequence(sequence, deadline);
}

void Replica::AppendMetrics(std::string* out) const {
  db_->AppendMetrics(out);
  if (follower_ != nullptr) follower_->AppendMetrics(out);
}

std::shared_ptr<Replica> ShareRemovingDirectory(std::unique_ptr<Replica> replica,
                                                std::string dir) {
  return std::shared_ptr<Replica>(replica.release(), [dir = std::move(dir)](Replica* r) {
    delete r;
    std::error_code error;
    std::filesystem::remove_all(dir, error);
  });
}

}  // namespace biocorpus
