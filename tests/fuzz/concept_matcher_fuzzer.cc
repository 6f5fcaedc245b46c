// libFuzzer target: the built-in vocabulary's matcher, with the name
// recogniser and the acronyms it adds, on any well-formed UTF-8 text. Every
// annotation must lie inside the text, on code point boundaries, and hold
// the bytes it names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "corpus/text/utf8.h"
#include "ingest_service/tagging/concept_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!biocorpus::ValidateUtf8(text).ok()) return 0;
  static const biocorpus::ConceptMatcher* const matcher = [] {
    auto vocabulary = biocorpus::Vocabulary::BuiltIn();
    if (!vocabulary.ok()) std::abort();
    auto built = biocorpus::ConceptMatcher::Build(*vocabulary);
    if (!built.ok()) std::abort();
    return built->release();
  }();
  for (const biocorpus::v1::Annotation& a : matcher->Match(text)) {
    const auto start = static_cast<size_t>(a.span().start_byte());
    const auto end = static_cast<size_t>(a.span().end_byte());
    if (start >= end || end > text.size()) std::abort();
    if (text.compare(start, end - start, a.text()) != 0) std::abort();
    if (!biocorpus::ValidateUtf8(a.text()).ok()) std::abort();
  }
  return 0;
}
