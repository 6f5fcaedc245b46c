#include "corpus/text/text_normalizer.h"

#include <string>

#include "corpus/model/spans.h"
#include "corpus/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;

TEST(NormalizeTextTest, CollapsesWhiteSpaceAndComposes) {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"  a \t b\n\nc  ", "a b c"},
      {"no\xC2\xA0" "break", "no break"},                 // U+00A0
      {"Cafe\xCC\x81", "Caf\xC3\xA9"},                    // e + combining acute
      {"\xE4\xB8\xAD\xE5\x8F\x82\xE9\xA6\x86", "\xE4\xB8\xAD\xE5\x8F\x82\xE9\xA6\x86"},
      {"zero\xE2\x80\x8Bwidth", "zero width"},            // U+200B
      {"", ""},
      {" \n ", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(NormalizeText(c.in), c.out);
  }
}

TEST(DecodeEntitiesTest, DecodesNamedAndNumericReferencesOnly) {
  EXPECT_EQ(DecodeEntities("Moore &#38; Coplin"), "Moore & Coplin");
  EXPECT_EQ(DecodeEntities("R&amp;D &lt;b&gt;"), "R&D <b>");
  EXPECT_EQ(DecodeEntities("a&nbsp;b"), "a\xC2\xA0" "b");
  EXPECT_EQ(DecodeEntities("&#x4E2D;"), "\xE4\xB8\xAD");
  EXPECT_EQ(DecodeEntities("<i>kept</i> </title> AT&T"),
            "<i>kept</i> </title> AT&T");
  EXPECT_EQ(DecodeEntities("plain"), "plain");
}

TEST(NormalizedTextBuilderTest, MarksStayValidAcrossPieces) {
  NormalizedTextBuilder builder;
  builder.Append("  See   the ");
  const size_t start = builder.StartMark();
  builder.Append(" Biosecurity\nLaw ");
  const size_t end = builder.EndMark();
  builder.Append("  of 2020. ");
  EXPECT_EQ(builder.text(), "See the Biosecurity Law of 2020.");
  EXPECT_EQ(builder.text().substr(start, end - start), "Biosecurity Law");
}

TEST(Utf8Test, ValidatesAndNamesTheByteOffset) {
  EXPECT_TRUE(ValidateUtf8("plain \xE4\xB8\xAD text").ok());
  absl::Status bad = ValidateUtf8("abc\xC3(def");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("byte 3"));
  absl::Status nul = ValidateUtf8(std::string("ab\0c", 4));
  EXPECT_EQ(nul.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(nul.message()), HasSubstr("NUL byte at byte 2"));
  // An overlong encoding and a lone surrogate are not UTF-8.
  EXPECT_FALSE(ValidateUtf8("\xC0\xAF").ok());
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());
  EXPECT_EQ(CodePointCount("a\xE4\xB8\xAD\xF0\x9F\xA7\xAA"), 3);
}

TEST(MakeSpanTest, SlicesInBytesAndCodePointsGiveTheSameText) {
  // "生物安全 biosafety 法": spans over CJK, ASCII and an emoji.
  const std::string text =
      "\xE7\x94\x9F\xE7\x89\xA9\xE5\xAE\x89\xE5\x85\xA8 biosafety "
      "\xF0\x9F\xA7\xAA \xE6\xB3\x95";
  const std::u32string code_points = U"\u751F\u7269\u5B89\u5168 biosafety "
                                     U"\U0001F9EA \u6CD5";
  const struct {
    size_t start;
    size_t end;
  } spans[] = {{0, 12}, {13, 22}, {23, 27}, {28, 31}, {3, 9}};
  for (const auto& s : spans) {
    const v1::Span span = MakeSpan(text, s.start, s.end);
    const std::string by_bytes =
        text.substr(span.start_byte(), span.end_byte() - span.start_byte());
    const std::u32string by_chars = code_points.substr(
        span.start_char(), span.end_char() - span.start_char());
    std::string reencoded;
    for (char32_t c : by_chars) {
      if (c < 0x80) {
        reencoded += static_cast<char>(c);
      } else if (c < 0x800) {
        reencoded += static_cast<char>(0xC0 | (c >> 6));
        reencoded += static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        reencoded += static_cast<char>(0xE0 | (c >> 12));
        reencoded += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        reencoded += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        reencoded += static_cast<char>(0xF0 | (c >> 18));
        reencoded += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        reencoded += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        reencoded += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    EXPECT_EQ(by_bytes, reencoded) << s.start << ".." << s.end;
  }
}

}  // namespace
}  // namespace biocorpus
