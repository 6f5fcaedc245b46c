#include "ingest_service/parsers/plain_abstract_parser.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ingest_service/parsers/fixture_loader.h"

namespace biocorpus {
namespace {

using ::biocorpus::testing::Fixture;
using ::testing::HasSubstr;

struct ExpectedAuthor {
  std::string literal;
  std::string family;
  std::string given;
  std::vector<std::string> affiliations;
  std::vector<v1::Author::AuthorRole> roles;
};

struct Expected {
  std::string fixture;
  std::optional<std::string> title;
  std::vector<ExpectedAuthor> authors;
  std::vector<std::string> keywords;
  std::vector<std::string> abstracts;
  std::vector<std::string> headings = {};
  std::string doi = "";
};

TEST(PlainAbstractParserTest, EveryVariantParsesToItsFields) {
  const Expected cases[] = {
      {"co_first_authors.txt",
       std::nullopt,
       {{"Minghua ZHAO", "ZHAO", "Minghua",
         {"Institute of Pathogen Biology, Example Academy of Medical Sciences, "
          "Beijing 100730, China"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"Xiaoyu CHEN", "CHEN", "Xiaoyu",
         {"School of Public Policy, Example University, Shanghai 200030, China"},
         {v1::Author::CO_FIRST_AUTHOR}}},
       {"biosecurity", "risk assessment", "laboratory management",
        "emerging infectious diseases"},
       {"Laboratory biosecurity risk assessment has developed quickly since "
        "2020. This paper reviews assessment tools used in high-containment "
        "laboratories and proposes an indicator system covering personnel, "
        "pathogens, facilities and management."}},
      {"labelled_full_width.txt",
       "Training Needs of Biosafety Officers in Provincial Laboratories",
       {{"Jing WANG", "WANG", "Jing",
         {"Provincial Center for Disease Control and Prevention, Example "
          "Province, China"},
         {v1::Author::FIRST_AUTHOR, v1::Author::CORRESPONDING_AUTHOR}},
        {"Tao LI", "LI", "Tao",
         {"Example Institute of Biosafety, Wuhan 430071, China"},
         {v1::Author::CORRESPONDING_AUTHOR}}},
       {"biosafety officer", "training needs", "competency",
        "provincial laboratories"},
       {"Biosafety officers supervise laboratory practice but often receive no "
        "formal training for the role.",
        "We interviewed 58 officers and found that most learned on the job. We "
        "recommend a national curriculum with practical assessment."}},
      {"plain_author_line.txt",
       std::nullopt,
       {{"Hannah Schmidt", "Schmidt", "Hannah",
         {"Institute of Virology, Example University, Marburg, Germany"},
         {}},
        {"Omar FAROUK", "FAROUK", "Omar",
         {"Department of Microbiology, Example University, Cairo, Egypt"},
         {}}},
       {"laboratory-acquired infections", "incident reporting", "safety culture"},
       {"Laboratory-acquired infections are under-reported. A review of 112 "
        "published cases shows that reporting depends on safety culture more "
        "than on regulation."}},
      {"converter_markdown_superscripts.txt",
       "Oversight of Dual-Use Research in University Laboratories",
       {{"Anna Berg", "Berg", "Anna",
         {"Department of Microbiology, Example University, Uppsala, Sweden",
          "Centre for Biosecurity Policy, Example Institute, Madrid, Spain"},
         {}},
        {"Tomás Ruiz", "Ruiz", "Tomás",
         {"Department of Microbiology, Example University, Uppsala, Sweden"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"Mei Lin", "Lin", "Mei",
         {"Centre for Biosecurity Policy, Example Institute, Madrid, Spain"},
         {v1::Author::CORRESPONDING_AUTHOR}}},
       {"dual-use research", "institutional oversight", "biosafety committees"},
       {"Universities host much of the research that raises dual-use concerns, "
        "yet few have a committee that reviews it. We surveyed 64 institutions "
        "and found that review depends on individual principal investigators."}},
      {"converter_latex_chinese.txt",
       "病原微生物实验室生物安全管理现状调查",
       {{"张伟", "张", "伟",
         {"示例省疾病预防控制中心，杭州 310051", "示例大学公共卫生学院，杭州 310058"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"李明", "李", "明", {"示例省疾病预防控制中心，杭州 310051"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"王芳", "王", "芳", {"示例大学公共卫生学院，杭州 310058"},
         {v1::Author::CORRESPONDING_AUTHOR}}},
       {"生物安全", "病原微生物实验室", "管理", "biosafety",
        "pathogenic microorganism laboratory", "management"},
       {"目的：了解示例省病原微生物实验室生物安全管理现状。方法：对 126 "
        "家实验室进行问卷调查。结果：85.7% 的实验室建立了管理制度。",
        "Objective To understand biosafety management of pathogenic "
        "microorganism laboratories in Example Province."},
       {"Survey of Biosafety Management in Pathogenic Microorganism Laboratories"},
       "10.12345/j.example.2024.03.007"},
      {"converter_text_page_break.txt",
       "Laboratory Biosafety Training in County-Level Disease Control Centres",
       {{"Hui Lyu", "Lyu", "Hui",
         {"Department of Pathogen Biology, Example Medical University, Beijing "
          "1OOo10, China",
          "Institute of Laboratory Safety, Example Academy of Sciences, Beijing "
          "100101, China"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"Jun Guo", "Guo", "Jun",
         {"Department of Pathogen Biology, Example Medical University, Beijing "
          "1OOo10, China"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"Peng Sun", "Sun", "Peng",
         {"Institute of Laboratory Safety, Example Academy of Sciences, Beijing "
          "100101, China"},
         {v1::Author::CORRESPONDING_AUTHOR}}},
       {"biosafety training", "county level", "disease control centres"},
       {"County-level centres for disease control run most of the diagnostic "
        "laboratories in the country but receive the least biosafety training. "
        "We reviewed training records from 210 centres and found that fewer "
        "than half had trained every laboratory worker in the past two years."}},
      {"converter_latex_names.txt",
       "Gain-of-Function Research Policy after 2014: A Comparative Review",
       {{"Lei Xu", "Xu", "Lei",
         {"School of Public Policy, Example University, Beijing 100084, China"},
         {}},
        {"Yan Sun", "Sun", "Yan",
         {"School of Public Policy, Example University, Beijing 100084, China"},
         {v1::Author::CO_FIRST_AUTHOR}},
        {"Kai Zhou", "Zhou", "Kai",
         {"Example Institute of Microbiology, Beijing 100101, China"},
         {v1::Author::CORRESPONDING_AUTHOR}}},
       {"gain-of-function", "research policy", "biosafety"},
       {"Background: Policies on gain-of-function research changed after the "
        "2014 pause. We compared review rules in six countries and found that "
        "incubation of enhanced strains at 37°C is rarely mentioned, while "
        "P<0.05 differences in funding were common."}},
  };
  for (const Expected& want : cases) {
    SCOPED_TRACE(want.fixture);
    absl::StatusOr<ParsedDocument> parsed =
        PlainAbstractParser().Parse(Fixture("plain_abstracts/" + want.fixture));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    const v1::Document& doc = parsed->document;
    EXPECT_EQ(doc.format(), v1::PLAIN_ABSTRACT);
    EXPECT_EQ(doc.has_title(), want.title.has_value());
    EXPECT_EQ(doc.title(), want.title.value_or(""));
    ASSERT_EQ(doc.authors_size(), static_cast<int>(want.authors.size()));
    for (size_t i = 0; i < want.authors.size(); ++i) {
      SCOPED_TRACE(want.authors[i].literal);
      const v1::Author& author = doc.authors(static_cast<int>(i));
      EXPECT_EQ(author.literal(), want.authors[i].literal);
      EXPECT_EQ(author.family(), want.authors[i].family);
      EXPECT_EQ(author.given(), want.authors[i].given);
      EXPECT_EQ(std::vector<std::string>(author.affiliations().begin(),
                                         author.affiliations().end()),
                want.authors[i].affiliations);
      std::vector<v1::Author::AuthorRole> roles;
      for (int r : author.roles()) roles.push_back(static_cast<v1::Author::AuthorRole>(r));
      EXPECT_EQ(roles, want.authors[i].roles);
    }
    EXPECT_EQ(std::vector<std::string>(doc.keywords().begin(), doc.keywords().end()),
              want.keywords);
    std::vector<std::string> abstracts;
    for (const v1::Passage& passage : parsed->passages) {
      if (passage.type() == v1::ABSTRACT) abstracts.push_back(passage.text());
    }
    EXPECT_EQ(abstracts, want.abstracts);
    std::vector<std::string> headings;
    for (const v1::Passage& passage : parsed->passages) {
      if (passage.type() == v1::HEADING) headings.push_back(passage.text());
    }
    EXPECT_EQ(headings, want.headings);
    EXPECT_EQ(doc.doi(), want.doi);
    const size_t titles = want.title.has_value() ? 1 : 0;
    ASSERT_EQ(parsed->passages.size(),
              titles + want.abstracts.size() + want.headings.size());
    if (titles == 1) {
      EXPECT_EQ(parsed->passages[0].type(), v1::TITLE);
      EXPECT_EQ(parsed->passages[0].text(), *want.title);
    }
  }
}

TEST(PlainAbstractParserTest, RefusesAnAbstractWithNoText) {
  absl::StatusOr<ParsedDocument> parsed =
      PlainAbstractParser().Parse(Fixture("bad/abstract_without_text.txt"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("no abstract paragraph"));
}

TEST(PlainAbstractParserTest, ASentenceWithCommasIsNotAKeywordsLine) {
  absl::StatusOr<ParsedDocument> parsed = PlainAbstractParser().Parse(
      "Biosafety, biosecurity, and laboratory management are linked.\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->document.keywords_size(), 0);
  ASSERT_EQ(parsed->passages.size(), 1u);
  EXPECT_EQ(parsed->passages[0].type(), v1::ABSTRACT);
}

}  // namespace
}  // namespace biocorpus
