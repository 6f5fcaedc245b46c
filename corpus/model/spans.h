#ifndef BIOCORPUS_CORPUS_MODEL_SPANS_H_
#define BIOCORPUS_CORPUS_MODEL_SPANS_H_

#include <cstddef>
#include "absl/strings/string_view.h"

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// The span [start_byte, end_byte) of `text` in both UTF-8 bytes and code
// points. Both offsets must lie on code point boundaries of `text`.
v1::Span MakeSpan(absl::string_view text, size_t start_byte, size_t end_byte);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_MODEL_SPANS_H_
