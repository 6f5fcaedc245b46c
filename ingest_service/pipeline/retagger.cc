#include "ingest_service/pipeline/retagger.h"

#include <chrono>
#include <string>
#include <vector>

#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

// Ids are listed in chunks, so that ingest goes on between them.
constexpr size_t kChunk = 256;

}  // namespace

Retagger::~Retagger() {
  stop_ = true;
  if (background_.joinable()) background_.join();
}

void Retagger::StartInBackground() {
  background_ = std::thread([this] { Run(/*force=*/false, &stop_).IgnoreError(); });
}

absl::StatusOr<Retagger::Result> Retagger::Run(bool force, const std::atomic<bool>* stop) const {
  const auto start = std::chrono::steady_clock::now();
  const std::string& version = tagger_->vocabulary().version();
  Result result;
  result.vocabulary_version = version;
  std::string after;
  for (;;) {
    absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds(after, kChunk);
    if (!ids.ok()) {
      spdlog::error("retag failed: {}", ids.status().ToString());
      return ids.status();
    }
    if (ids->empty()) break;
    after = ids->back();
    for (const std::string& id : *ids) {
      if (stop != nullptr && stop->load()) return result;
      bool examined = false;
      absl::StatusOr<bool> rewritten = writer_->Rewrite(
          id, [&](v1::Document* document, std::vector<v1::Passage>* passages) {
            examined = true;
            if (!force && document->vocabulary_version() == version) return false;
            tagger_->Tag(document, passages);
            return true;
          });
      if (absl::IsNotFound(rewritten.status())) continue;  // Deleted meanwhile.
      if (!rewritten.ok()) {
        spdlog::error("retag failed: {}", rewritten.status().ToString());
        return rewritten.status();
      }
      if (examined) ++result.examined;
      if (*rewritten) ++result.retagged;
    }
  }
  result.sequence = writer_->Sequence();
  spdlog::info("retag vocabulary={} examined={} retagged={} ms={:.0f}", version, result.examined,
               result.retagged,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                   .count());
  return result;
}

}  // namespace biocorpus
