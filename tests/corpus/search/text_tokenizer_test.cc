#include "corpus/search/text_tokenizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Exact(absl::string_view text) {
  std::vector<std::string> out;
  for (const TextToken& t : Tokenize(text)) out.push_back(t.exact);
  return out;
}

std::vector<std::string> Stems(absl::string_view text) {
  std::vector<std::string> out;
  for (const TextToken& t : Tokenize(text)) out.push_back(t.stem);
  return out;
}

TEST(TextTokenizerTest, WordsAreFoldedAndStemmed) {
  EXPECT_THAT(Exact("New Regulations, for Ｌａｂｓ!"), ElementsAre("new", "regulations", "for", "labs"));
  EXPECT_THAT(Stems("regulations regulation regulating"), ElementsAre("regul", "regul", "regul"));
  // Typographic apostrophes and dashes fold to ASCII.
  EXPECT_THAT(Exact("Biden’s plan"), ElementsAre("biden's", "plan"));
  EXPECT_EQ(FoldWord("gain–of"), "gain-of");
  EXPECT_THAT(Exact("gain-of-function 2020"), ElementsAre("gain", "of", "function", "2020"));
}

TEST(TextTokenizerTest, CjkTextIsOneTokenPerCharacter) {
  const std::vector<TextToken> tokens = Tokenize("中国生物安全法 BWC");
  ASSERT_EQ(tokens.size(), 8u);  // Seven characters and a word.
  EXPECT_EQ(tokens[0].exact, "中");
  EXPECT_TRUE(tokens[0].cjk);
  EXPECT_EQ(tokens[7].exact, "bwc");
  EXPECT_FALSE(tokens[7].cjk);
  for (uint32_t i = 0; i < tokens.size(); ++i) EXPECT_EQ(tokens[i].position, i);
  EXPECT_EQ(tokens[1].start, 3u);
  EXPECT_EQ(tokens[1].end, 6u);
}

TEST(TextTokenizerTest, NothingButPunctuationGivesNoTokens) {
  EXPECT_TRUE(Tokenize(" -- , . ").empty());
  EXPECT_TRUE(Tokenize("").empty());
}

}  // namespace
}  // namespace biocorpus
