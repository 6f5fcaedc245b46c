#ifndef BIOCORPUS_TESTS_FUZZ_PARSER_FUZZ_CHECKS_H_
#define BIOCORPUS_TESTS_FUZZ_PARSER_FUZZ_CHECKS_H_

#include <cstdlib>
#include <string>

#include "corpus/text/text_normalizer.h"
#include "corpus/text/utf8.h"
#include "ingest_service/document/parsed_document.h"

namespace biocorpus::fuzzing {

// Aborts (so that the fuzzer reports the input) when a parsed document breaks
// an invariant every parser promises: passage text is normalized UTF-8, and
// every link span lies inside its passage, in both units, around its anchor.
inline void CheckInvariants(const ParsedDocument& parsed) {
  for (const v1::Passage& passage : parsed.passages) {
    const std::string& text = passage.text();
    if (text.empty() || !ValidateUtf8(text).ok()) std::abort();
    if (NormalizeText(text) != text) std::abort();
    const int chars = CodePointCount(text);
    for (const v1::Link& link : passage.links()) {
      const v1::Span& span = link.span();
      if (span.start_byte() < 0 || span.start_byte() > span.end_byte() ||
          span.end_byte() > static_cast<int>(text.size())) {
        std::abort();
      }
      if (span.start_char() < 0 || span.start_char() > span.end_char() ||
          span.end_char() > chars) {
        std::abort();
      }
      const std::string anchor =
          text.substr(span.start_byte(), span.end_byte() - span.start_byte());
      if (anchor != link.anchor_text() || !ValidateUtf8(anchor).ok()) std::abort();
      if (CodePointCount(text.substr(0, span.start_byte())) != span.start_char()) {
        std::abort();
      }
    }
  }
}

}  // namespace biocorpus::fuzzing

#endif  // BIOCORPUS_TESTS_FUZZ_PARSER_FUZZ_CHECKS_H_
