#include "corpus/text/quoted.h"

#include <string>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

TEST(QuotedTest, ShortValuesAreQuotedWhole) {
  EXPECT_EQ(Quoted("20x2"), "'20x2'");
  EXPECT_EQ(Quoted(""), "''");
}

TEST(QuotedTest, LongValuesAreCutAtACharacterBoundary) {
  // 150 two-byte characters: 300 bytes.
  std::string value;
  for (int i = 0; i < 150; ++i) value += "\xC3\xA9";
  const std::string quoted = Quoted(value);
  EXPECT_EQ(quoted, "'" + value.substr(0, kMaxEchoedBytes) + "'... (300 bytes)");
  const std::string odd = "x" + value;  // The cut would fall inside a character.
  EXPECT_EQ(Quoted(odd), "'" + odd.substr(0, kMaxEchoedBytes - 1) + "'... (301 bytes)");
}

TEST(QuotedTest, MessagesAreCappedWithAnEllipsis) {
  EXPECT_EQ(CapMessage("short"), "short");
  const std::string message(5000, 'm');
  const std::string capped = CapMessage(message);
  EXPECT_EQ(capped.size(), kMaxErrorMessageBytes);
  EXPECT_EQ(capped.substr(capped.size() - 3), "...");
}

}  // namespace
}  // namespace biocorpus
