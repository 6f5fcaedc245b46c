#include "corpus/model/spans.h"

#include "corpus/text/utf8.h"

namespace biocorpus {

v1::Span MakeSpan(absl::string_view text, size_t start_byte, size_t end_byte) {
  v1::Span span;
  span.set_start_byte(static_cast<int32_t>(start_byte));
  span.set_end_byte(static_cast<int32_t>(end_byte));
  const int start_char = CodePointCount(text.substr(0, start_byte));
  span.set_start_char(start_char);
  span.set_end_char(start_char +
                    CodePointCount(text.substr(start_byte, end_byte - start_byte)));
  return span;
}

}  // namespace biocorpus
