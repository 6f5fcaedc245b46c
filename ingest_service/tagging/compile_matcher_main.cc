// biocorpus-compile-matcher OUT: compiles the built-in vocabulary's matcher
// for any x86-64 processor and writes it serialized to OUT, for the build to
// link into the binaries (precompiled_matcher.S). Run by the build only.

#include <cstdio>
#include <fstream>
#include <string>

#include "ingest_service/tagging/concept_matcher.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT\n", argv[0]);
    return 2;
  }
  absl::StatusOr<std::shared_ptr<const biocorpus::Vocabulary>> vocabulary =
      biocorpus::Vocabulary::BuiltIn();
  if (!vocabulary.ok()) {
    std::fprintf(stderr, "%s\n", vocabulary.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::unique_ptr<biocorpus::ConceptMatcher>> matcher =
      biocorpus::ConceptMatcher::BuildPortable(*vocabulary);
  if (!matcher.ok()) {
    std::fprintf(stderr, "%s\n", matcher.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::string> serialized = (*matcher)->Serialize();
  if (!serialized.ok()) {
    std::fprintf(stderr, "%s\n", serialized.status().ToString().c_str());
    return 1;
  }
  const std::string temporary = std::string(argv[1]) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(serialized->data(), static_cast<std::streamsize>(serialized->size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", temporary.c_str());
      return 1;
    }
  }
  if (std::rename(temporary.c_str(), argv[1]) != 0) {
    std::fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  std::printf("concept matcher: %zu bytes\n", serialized->size());
  return 0;
}
