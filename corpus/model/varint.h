#ifndef BIOCORPUS_CORPUS_MODEL_VARINT_H_
#define BIOCORPUS_CORPUS_MODEL_VARINT_H_

// Base-128 varints (seven bits a byte, least significant first, the high bit
// set on every byte but the last), as the stored postings and counters
// encode their numbers.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace biocorpus {

inline void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Reads one varint from the front of `in`; false when `in` ends first or the
// value needs more than 64 bits.
inline bool ReadVarint(absl::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// The same, for a value that must fit 32 bits.
inline bool ReadVarint(absl::string_view* in, uint32_t* value) {
  uint64_t wide = 0;
  if (!ReadVarint(in, &wide) || wide > UINT32_MAX) return false;
  *value = static_cast<uint32_t>(wide);
  return true;
}

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_MODEL_VARINT_H_
