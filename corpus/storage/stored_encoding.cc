#include "corpus/storage/stored_encoding.h"

#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/wire_format_lite.h"

namespace biocorpus {

std::optional<PassageHeader> ReadPassageHeader(absl::string_view encoding) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(encoding.data()),
                                            static_cast<int>(encoding.size()));
  PassageHeader header;
  while (true) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const bool varint =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_VARINT;
    if (varint && (number == v1::Passage::kOrdinalFieldNumber ||
                   number == v1::Passage::kTypeFieldNumber)) {
      uint64_t value = 0;
      if (!in.ReadVarint64(&value)) return std::nullopt;
      if (number == v1::Passage::kOrdinalFieldNumber) {
        header.ordinal = static_cast<int32_t>(value);
      } else {
        header.type = static_cast<v1::PassageType>(static_cast<int32_t>(value));
      }
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  if (!in.ConsumedEntireMessage()) return std::nullopt;
  return header;
}

void AppendEncodedMessages(int field_number, std::vector<std::string> encodings,
                           google::protobuf::Message* message) {
  google::protobuf::UnknownFieldSet* fields =
      message->GetReflection()->MutableUnknownFields(message);
  for (std::string& encoding : encodings) {
    *fields->AddLengthDelimited(field_number) = std::move(encoding);
  }
}

}  // namespace biocorpus
