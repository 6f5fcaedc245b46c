#include "ingest_service/pipeline/text_backfill.h"

#include <chrono>
#include <vector>

#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

constexpr size_t kChunk = 64;

}  // namespace

TextBackfill::~TextBackfill() {
  stop_ = true;
  if (background_.joinable()) background_.join();
}

void TextBackfill::StartInBackground() {
  background_ = std::thread([this] {
    if (absl::Status s = Run(&stop_); !s.ok()) spdlog::error("text index backfill: {}", s.ToString());
  });
}

absl::Status TextBackfill::Run(const std::atomic<bool>* stop) {
  absl::StatusOr<DocumentWriter::TextIndexState> state = writer_->ReadTextIndexState();
  if (!state.ok()) return state.status();
  if (state->complete) {
    complete_ = true;
    return absl::OkStatus();
  }
  const auto start = std::chrono::steady_clock::now();
  std::string after = state->done_through;
  if (!after.empty()) spdlog::info("text index backfill resumes after {}", after);
  for (;;) {
    if (stop != nullptr && stop->load()) {
      spdlog::info("text index backfill stopped after {} ({} documents indexed)", after,
                   indexed_.load());
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds(after, kChunk);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) break;
    absl::StatusOr<int> indexed = writer_->IndexText(*ids);
    if (!indexed.ok()) return indexed.status();
    indexed_ += *indexed;
    after = ids->back();
    if (indexed_.load() > 0 && indexed_.load() % 4096 < static_cast<int64_t>(kChunk)) {
      spdlog::info("text index backfill: {} documents indexed, through {}", indexed_.load(), after);
    }
  }
  if (absl::Status s = writer_->MarkTextIndexComplete(); !s.ok()) return s;
  complete_ = true;
  spdlog::info("text index backfill done: {} documents indexed in {:.1f} s", indexed_.load(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return absl::OkStatus();
}

}  // namespace biocorpus
