#include "query_service/store/recorded_vocabulary.h"

#include <string>
#include <utility>

#include "corpus/storage/schema.h"
#include "spdlog/spdlog.h"

namespace biocorpus {

void RecordedVocabulary::Refresh(const CorpusDb& db) {
  absl::StatusOr<std::string> version = db.ReadMeta(kVocabularyVersionKey);
  if (!version.ok()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (vocabulary_ != nullptr && vocabulary_->version() == *version) return;
  }
  absl::StatusOr<std::string> text = db.ReadMeta(kVocabularyTextKey);
  if (!text.ok()) return;
  absl::StatusOr<std::shared_ptr<const Vocabulary>> parsed =
      Vocabulary::Parse(*text, "recorded vocabulary");
  if (!parsed.ok()) {
    spdlog::error("{}", parsed.status().ToString());
    return;
  }
  spdlog::info("vocabulary version {} ({} concepts)", (*parsed)->version(),
               (*parsed)->concepts().size());
  std::lock_guard<std::mutex> lock(mu_);
  vocabulary_ = std::move(*parsed);
}

absl::StatusOr<std::shared_ptr<const Vocabulary>> RecordedVocabulary::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (vocabulary_ == nullptr) {
    return absl::FailedPreconditionError("the ingest service has not recorded a vocabulary yet");
  }
  return vocabulary_;
}

}  // namespace biocorpus
