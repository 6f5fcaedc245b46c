// libFuzzer target: CitationRecordParser on any well-formed UTF-8 input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "corpus/text/utf8.h"
#include "ingest_service/parsers/citation_record_parser.h"
#include "tests/fuzz/parser_fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The ingest pipeline validates UTF-8 before any parser runs.
  if (!biocorpus::ValidateUtf8(text).ok()) return 0;
  static const biocorpus::CitationRecordParser parser;
  auto parsed = parser.Parse(text);
  if (parsed.ok()) {
    for (const auto& document : *parsed) biocorpus::fuzzing::CheckInvariants(document);
  }
  return 0;
}
