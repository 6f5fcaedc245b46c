// libFuzzer target: MirroredArticleParser (YAML front matter through yaml-cpp,
// HTML body through gumbo) on any well-formed UTF-8 input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "corpus/text/utf8.h"
#include "ingest_service/parsers/mirrored_article_parser.h"
#include "tests/fuzz/parser_fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!biocorpus::ValidateUtf8(text).ok()) return 0;
  static const biocorpus::MirroredArticleParser parser;
  auto parsed = parser.Parse(text);
  if (parsed.ok()) biocorpus::fuzzing::CheckInvariants(*parsed);
  return 0;
}
