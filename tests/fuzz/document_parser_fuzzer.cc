// libFuzzer target: DocumentParser on raw bytes, as the ingest service gets
// them (validation, detection, parsing, identity).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest_service/parsers/document_parser.h"
#include "tests/fuzz/parser_fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const biocorpus::DocumentParser parser;
  auto parsed = parser.Parse(
      std::string(reinterpret_cast<const char*>(data), size),
      biocorpus::v1::DOCUMENT_FORMAT_UNSPECIFIED, "fuzz");
  if (parsed.ok()) {
    for (const auto& document : *parsed) biocorpus::fuzzing::CheckInvariants(document);
  }
  return 0;
}
