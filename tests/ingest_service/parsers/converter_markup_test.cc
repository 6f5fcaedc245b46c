#include "ingest_service/parsers/converter_markup.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

std::string Marked(const std::string& text) {
  return std::string(kSuperscriptOpen) + text + std::string(kSuperscriptClose);
}

TEST(LatexToTextTest, ShowsWhatFragmentsShow) {
  EXPECT_EQ(LatexToText("${ \\mathrm { X u } } ^ { 1 }$", Superscripts::kText), "Xu¹");
  EXPECT_EQ(LatexToText("rose by $8 5 . 7 \\%$ in", Superscripts::kText), "rose by 85.7% in");
  EXPECT_EQ(LatexToText("at ${ 3 7 } ^ { \\circ } \\mathrm { C }$", Superscripts::kText),
            "at 37°C");
  EXPECT_EQ(LatexToText("$\\mathrm{CO}_{2}$ and $10^{5}$ cells", Superscripts::kText),
            "CO2 and 10⁵ cells");
  EXPECT_EQ(LatexToText("$\\alpha \\pm \\beta$", Superscripts::kText), "α±β");
  EXPECT_EQ(LatexToText("$\\text{per cent}$", Superscripts::kText), "per cent");
  EXPECT_EQ(LatexToText("\\(x^{2}\\)", Superscripts::kText), "x²");
}

TEST(LatexToTextTest, LeavesDollarAmountsAndUnclosedFragments) {
  EXPECT_EQ(LatexToText("costs $5 and $10 a dose", Superscripts::kText),
            "costs $5 and $10 a dose");
  EXPECT_EQ(LatexToText("a price of \\$3", Superscripts::kText), "a price of $3");
  EXPECT_EQ(LatexToText("open $\\mathrm{x", Superscripts::kText), "open $\\mathrm{x");
}

TEST(LatexToTextTest, MarksSuperscriptsForAuthorLines) {
  EXPECT_EQ(LatexToText("Wang Fang $^{2*}$", Superscripts::kMarked),
            "Wang Fang " + Marked("2*"));
  EXPECT_EQ(LatexToText("$\\mathsf { S u n } ^ { 1 }$ $^{\\dagger}$", Superscripts::kMarked),
            "Sun" + Marked("1") + " " + Marked("†"));
}

TEST(ReadAuthorLineTest, ReadsNamesAndTheirMarkers) {
  const auto names = ReadAuthorLine("Hui Lyu1,2#, Jun Guo1#, Peng Sun2*", true);
  ASSERT_TRUE(names.has_value());
  ASSERT_EQ(names->size(), 3u);
  EXPECT_EQ((*names)[0].name, "Hui Lyu");
  EXPECT_EQ((*names)[0].affiliations, (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE((*names)[0].equal_contribution);
  EXPECT_FALSE((*names)[0].corresponding);
  EXPECT_EQ((*names)[2].name, "Peng Sun");
  EXPECT_TRUE((*names)[2].corresponding);

  const auto han = ReadAuthorLine("张 伟¹²，李明²、王芳" + Marked("a,*"), true);
  ASSERT_TRUE(han.has_value());
  ASSERT_EQ(han->size(), 3u);
  EXPECT_EQ((*han)[0].name, "张伟");
  EXPECT_EQ((*han)[0].affiliations, (std::vector<std::string>{"12"}));
  EXPECT_EQ((*han)[2].affiliations, (std::vector<std::string>{"a"}));
  EXPECT_TRUE((*han)[2].corresponding);

  const auto joined = ReadAuthorLine("Ana de la Cruz¹ and Li Chen² & Omar Haddad³", true);
  ASSERT_TRUE(joined.has_value());
  ASSERT_EQ(joined->size(), 3u);
  EXPECT_EQ((*joined)[0].name, "Ana de la Cruz");
  EXPECT_EQ((*joined)[1].name, "Li Chen");
  EXPECT_EQ((*joined)[2].affiliations, (std::vector<std::string>{"3"}));
}

TEST(ReadAuthorLineTest, RefusesLinesThatAreNotNames) {
  EXPECT_FALSE(ReadAuthorLine("Beijing, China", false).has_value());
  EXPECT_FALSE(ReadAuthorLine("Example University¹, Beijing", true).has_value());
  EXPECT_FALSE(ReadAuthorLine("We surveyed 64 institutions", false).has_value());
  EXPECT_FALSE(ReadAuthorLine("Anna Berg, Tomás Ruiz", true).has_value())
      << "no markers where markers are required";
  EXPECT_TRUE(ReadAuthorLine("Anna Berg, Tomás Ruiz", false).has_value());
  EXPECT_FALSE(ReadAuthorLine("浙江大学¹，中国疾病预防控制中心²", true).has_value());
  EXPECT_FALSE(ReadAuthorLine("Beijing 100730", true).has_value());
}

TEST(ReadNumberedAffiliationsTest, ReadsEveryNumbering) {
  struct Case {
    std::string line;
    std::vector<std::pair<std::string, std::string>> want;
  };
  const Case cases[] = {
      {"1 Department of Virology, Example University", {{"1", "Department of Virology, Example University"}}},
      {"2.Interdisciplinary Centre, Example Institute;", {{"2", "Interdisciplinary Centre, Example Institute"}}},
      {"³ School of Public Health", {{"3", "School of Public Health"}}},
      {Marked("b") + " Example Hospital", {{"b", "Example Hospital"}}},
      {"(4) Example Academy of Sciences", {{"4", "Example Academy of Sciences"}}},
      {"（1. 示例大学，北京 100084；2. 示例研究所，上海 200031）",
       {{"1", "示例大学，北京 100084"}, {"2", "示例研究所，上海 200031"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    const auto read = ReadNumberedAffiliations(c.line);
    ASSERT_TRUE(read.has_value());
    ASSERT_EQ(read->size(), c.want.size());
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ((*read)[i].marker, c.want[i].first);
      EXPECT_EQ((*read)[i].text, c.want[i].second);
    }
  }
  EXPECT_FALSE(ReadNumberedAffiliations("1990 was the year the convention began").has_value());
  EXPECT_FALSE(ReadNumberedAffiliations("Department of Virology").has_value());
}

}  // namespace
}  // namespace biocorpus
