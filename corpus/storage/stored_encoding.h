#ifndef BIOCORPUS_CORPUS_STORAGE_STORED_ENCODING_H_
#define BIOCORPUS_CORPUS_STORAGE_STORED_ENCODING_H_

// Stored passages as they are: the few fields a reader filters on, read
// from the encoding without parsing the rest, and whole encodings placed
// into a response without being parsed and serialized again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "google/protobuf/message.h"

namespace biocorpus {

// What a page of passages is filtered and ordered by.
struct PassageHeader {
  int32_t ordinal = 0;
  v1::PassageType type = v1::PASSAGE_TYPE_UNSPECIFIED;
};

// The ordinal and type of a stored v1::Passage encoding; nullopt when the
// bytes are not a well-formed encoding.
std::optional<PassageHeader> ReadPassageHeader(absl::string_view encoding);

// Appends each of `encodings` (serialized messages of the type of
// `message`'s repeated message field `field_number`) to that field of
// `message`, as it goes on the wire: the serialized `message` is the one a
// parsed-and-added copy would give, without the parse. `message` carries
// them as unknown fields, so only its serialized form shows them.
void AppendEncodedMessages(int field_number, std::vector<std::string> encodings,
                           google::protobuf::Message* message);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_STORAGE_STORED_ENCODING_H_
