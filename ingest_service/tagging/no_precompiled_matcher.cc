// For biocorpus-compile-matcher, which makes the precompiled matcher: none.
#include "ingest_service/tagging/concept_matcher.h"

namespace biocorpus {

absl::string_view PrecompiledMatcher() { return {}; }

}  // namespace biocorpus
