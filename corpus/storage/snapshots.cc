#include "corpus/storage/snapshots.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace biocorpus {
namespace {
constexpr absl::string_view kSequencePrefix = "biocorpus sequence=";
}  // namespace

std::string SnapshotMetadata(uint64_t sequence) {
  return absl::StrCat(kSequencePrefix, sequence);
}

uint64_t SnapshotSequence(absl::string_view metadata) {
  uint64_t sequence = 0;
  if (!absl::ConsumePrefix(&metadata, kSequencePrefix) ||
      !absl::SimpleAtoi(metadata, &sequence)) {
    return 0;
  }
  return sequence;
}

}  // namespace biocorpus
