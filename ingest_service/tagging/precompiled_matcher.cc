// The built-in vocabulary's matcher as the build compiled it
// (biocorpus-compile-matcher), linked in byte for byte.
#include "ingest_service/tagging/concept_matcher.h"

// The file's bytes between two symbols, in a read-only section.
__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    ".global biocorpus_precompiled_matcher_begin\n"
    "biocorpus_precompiled_matcher_begin:\n"
    ".incbin \"" BIOCORPUS_PRECOMPILED_MATCHER "\"\n"
    ".global biocorpus_precompiled_matcher_end\n"
    "biocorpus_precompiled_matcher_end:\n"
    ".previous\n");

extern "C" const char biocorpus_precompiled_matcher_begin[];
extern "C" const char biocorpus_precompiled_matcher_end[];

namespace biocorpus {

absl::string_view PrecompiledMatcher() {
  return absl::string_view(
      biocorpus_precompiled_matcher_begin,
      static_cast<size_t>(biocorpus_precompiled_matcher_end - biocorpus_precompiled_matcher_begin));
}

}  // namespace biocorpus
