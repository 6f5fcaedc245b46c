#ifndef BIOCORPUS_CORPUS_TEXT_QUOTED_H_
#define BIOCORPUS_CORPUS_TEXT_QUOTED_H_

// How error messages echo what a user sent: quoted, and capped so that a
// huge value cannot make a huge message.

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace biocorpus {

// The most bytes of a value an error message echoes.
inline constexpr size_t kMaxEchoedBytes = 200;
// The most bytes an error message has (ToGrpcStatus cuts longer ones).
inline constexpr size_t kMaxErrorMessageBytes = 1024;

// `value` in single quotes; past kMaxEchoedBytes it is cut at a character
// boundary and followed by "... (N bytes)".
//
//   Quoted("20x2")  // "'20x2'"
std::string Quoted(absl::string_view value);

// `message` cut to at most `max_bytes` at a character boundary, ending in
// "..." when cut.
std::string CapMessage(absl::string_view message, size_t max_bytes = kMaxErrorMessageBytes);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_TEXT_QUOTED_H_
