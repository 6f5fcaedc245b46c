#include "ingest_service/tagging/name_recognizer.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// The names found in `text`, as (category, text) pairs in text order.
std::vector<std::pair<std::string, std::string>> Names(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RecognizedName& n : RecognizeNames(text)) {
    out.emplace_back(v1::ConceptCategory_Name(n.category), text.substr(n.start, n.end - n.start));
  }
  return out;
}

TEST(NameRecognizerTest, FindsEnglishOrganizationsByTheirHeadWords) {
  EXPECT_THAT(Names("Researchers at Example State University and the Key Laboratory of "
                    "Medical Virology wrote to the Department of Health and Human Services."),
              ElementsAre(Pair("ORGANIZATION", "Example State University"),
                          Pair("ORGANIZATION", "Key Laboratory of Medical Virology"),
                          Pair("ORGANIZATION", "Department of Health and Human Services")));
  EXPECT_THAT(Names("The story ran in The Example Times on Monday."),
              ElementsAre(Pair("ORGANIZATION", "Example Times")));
  // Two organizations joined by "and" stay two.
  EXPECT_THAT(Names("a study by Alpha University and Beta Institute of Technology"),
              ElementsAre(Pair("ORGANIZATION", "Alpha University"),
                          Pair("ORGANIZATION", "Beta Institute of Technology")));
}

TEST(NameRecognizerTest, FindsEnglishPeopleByTitlesAndCues) {
  EXPECT_THAT(Names("Governor Jan Novak signed it. Novak later resigned."),
              ElementsAre(Pair("PERSON", "Jan Novak"), Pair("PERSON", "Novak")));
  EXPECT_THAT(Names("\"It is safe,\" said Maria Okafor, a virologist at the clinic."),
              ElementsAre(Pair("PERSON", "Maria Okafor")));
  EXPECT_THAT(Names("Tomas Berg said the review was late."),
              ElementsAre(Pair("PERSON", "Tomas Berg")));
  EXPECT_THAT(Names("Dr. Lee agreed."), ElementsAre(Pair("PERSON", "Lee")));
}

TEST(NameRecognizerTest, FindsPeopleByTheirGivenNames) {
  // A given name of the national name statistics begins a person's name,
  // whatever comes around it.
  EXPECT_THAT(Names("\"Coverage is high,\" explains Matthew Okoro, a pediatrician."),
              ElementsAre(Pair("PERSON", "Matthew Okoro")));
  EXPECT_THAT(Names("Similarly, Nobel laureate Gregory Tamm from the clinic warned us."),
              ElementsAre(Pair("PERSON", "Gregory Tamm")));
  // At the end of a longer run of capitals, after a title or an acronym.
  EXPECT_THAT(Names("The Example Co-Chair and CEO Ernest Vold spoke first."),
              ElementsAre(Pair("PERSON", "Ernest Vold")));
  // "and" between two names makes two people.
  EXPECT_THAT(Names("We thank Alisha Anand, Daniel Feakes and Hermann Alex Lampalzer."),
              ElementsAre(Pair("PERSON", "Alisha Anand"), Pair("PERSON", "Daniel Feakes"),
                          Pair("PERSON", "Hermann Alex Lampalzer")));
  // A given name before a place's or a law's head word is that place or law.
  EXPECT_THAT(Names("Farms in the Jordan Valley kept to the Paris Agreement."),
              ElementsAre(Pair("LOCATION", "Jordan Valley"),
                          Pair("LEGISLATION", "Paris Agreement")));
}

TEST(NameRecognizerTest, LeavesOrdinaryCapitalsAlone) {
  // A headline in title case says nothing by its capitals.
  EXPECT_THAT(Names("New Rules for University Laboratories After the Outbreak"), IsEmpty());
  // A head word alone, or after a sentence opener, is no name.
  EXPECT_THAT(Names("The Committee met. In March the University closed."), IsEmpty());
  // Pronouns and acronyms next to "said" are not people.
  EXPECT_THAT(Names("He said the WHO said little."), IsEmpty());
}

TEST(NameRecognizerTest, FindsChineseOrganizationsBySuffix) {
  EXPECT_THAT(Names("记者从示例省动物疫病研究中心获悉，示例理工大学和示例医药集团有限公司参与。"),
              ElementsAre(Pair("ORGANIZATION", "示例省动物疫病研究中心"),
                          Pair("ORGANIZATION", "示例理工大学"),
                          Pair("ORGANIZATION", "示例医药集团有限公司")));
  // A sub-unit written right after its institution is one name.
  EXPECT_THAT(Names("来自示例大学基础医学院的团队"),
              ElementsAre(Pair("ORGANIZATION", "示例大学基础医学院")));
  // Traditional characters.
  EXPECT_THAT(Names("示例病原體起源科學諮詢小組發布報告"),
              ElementsAre(Pair("ORGANIZATION", "示例病原體起源科學諮詢小組")));
  // Offices, administrations and newspapers; a meeting's verb is no part of
  // the name after it.
  EXPECT_THAT(Names("示例省体育总局、示例部新闻办公室和示例日报讯"),
              ElementsAre(Pair("ORGANIZATION", "示例省体育总局"),
                          Pair("ORGANIZATION", "示例部新闻办公室"),
                          Pair("ORGANIZATION", "示例日报")));
  EXPECT_THAT(Names("当天就示例疫情召开紧急委员会会议，今日报道"),
              ElementsAre(Pair("ORGANIZATION", "紧急委员会")));
}

TEST(NameRecognizerTest, LeavesGenericChineseNounsAlone) {
  EXPECT_THAT(Names("多所大学的大学生参观了这家公司和该中心。"), IsEmpty());
  EXPECT_THAT(Names("数据中心和研究中心"), IsEmpty());
  // What a company does or a group is, and a verb before it, name nothing.
  EXPECT_THAT(Names("一家示例快递公司派出国际专家小组。"), IsEmpty());
  EXPECT_THAT(Names("决定建立示例科学咨询委员会"),
              ElementsAre(Pair("ORGANIZATION", "示例科学咨询委员会")));
}

TEST(NameRecognizerTest, FindsChinesePeopleByTitlesAndLists) {
  EXPECT_THAT(Names("记者吕明远报道，王芳教授表示"),
              ElementsAre(Pair("PERSON", "吕明远"), Pair("PERSON", "王芳")));
  EXPECT_THAT(Names("作者：李真真、董永亮、高雅"),
              ElementsAre(Pair("PERSON", "李真真"), Pair("PERSON", "董永亮"),
                          Pair("PERSON", "高雅")));
  // An author line: two names with affiliation markers, or alone on a line.
  EXPECT_THAT(Names("赵超1 , 胡志刚2,3\n1. 示例研究所"),
              ElementsAre(Pair("PERSON", "赵超"), Pair("PERSON", "胡志刚"),
                          Pair("ORGANIZATION", "示例研究所")));
  EXPECT_THAT(Names("董时军,刁天喜 (示例学院)"),
              ElementsAre(Pair("PERSON", "董时军"), Pair("PERSON", "刁天喜"),
                          Pair("ORGANIZATION", "示例学院")));
  // A title, a space, then the name; a word of time between name and verb.
  EXPECT_THAT(Names("(记者 姜明慧)3月15日，总工程师田玉明介绍，副局长王功民先前表示"),
              ElementsAre(Pair("PERSON", "姜明慧"), Pair("PERSON", "田玉明"),
                          Pair("PERSON", "王功民")));
  // Two names inside a sentence are no list; places are no people.
  EXPECT_THAT(Names("据李真真、董永亮介绍"), IsEmpty());
  EXPECT_THAT(Names("北京、上海、广州"), IsEmpty());
}

TEST(NameRecognizerTest, FindsPlacesBySuffix) {
  EXPECT_THAT(Names("Cases rose in Example County and along the Example River."),
              ElementsAre(Pair("LOCATION", "Example County"),
                          Pair("LOCATION", "Example River")));
  EXPECT_THAT(Names("在示例省示例市和示例县，城市和超市里"),
              ElementsAre(Pair("LOCATION", "示例市"), Pair("LOCATION", "示例县")));
  // A market is no city; a district is one after its city.
  EXPECT_THAT(Names("示例市场"), IsEmpty());
  EXPECT_THAT(Names("在示例市样本区和中高风险区"),
              ElementsAre(Pair("LOCATION", "示例市"), Pair("LOCATION", "样本区")));
  EXPECT_THAT(Names("Samples went from Example City to Fort Example by the Example Canal."),
              ElementsAre(Pair("LOCATION", "Example City"), Pair("LOCATION", "Fort Example"),
                          Pair("LOCATION", "Example Canal")));
}

TEST(NameRecognizerTest, FindsEnglishListsOfNames) {
  EXPECT_THAT(Names("We thank Ana Silva, Omar Haddad, Jean Pascal Berg and the reviewers."),
              ElementsAre(Pair("PERSON", "Ana Silva"), Pair("PERSON", "Omar Haddad"),
                          Pair("PERSON", "Jean Pascal Berg")));
  EXPECT_THAT(Names("Felicia Moreno, a molecular virologist, agreed."),
              ElementsAre(Pair("PERSON", "Felicia Moreno")));
}

TEST(NameRecognizerTest, FindsLawsByTheirHeadWordsAndNumbers) {
  EXPECT_THAT(Names("Data fall outside the Example Records Privacy Act, and the Framework for "
                    "Example Sequence Screening applies."),
              ElementsAre(Pair("LEGISLATION", "Example Records Privacy Act"),
                          Pair("LEGISLATION", "Framework for Example Sequence Screening")));
  // A year is part of the name; "and" joins only a second part that is one.
  EXPECT_THAT(Names("under the Example Safety Act of 2002 and Congress"),
              ElementsAre(Pair("LEGISLATION", "Example Safety Act of 2002")));
  EXPECT_THAT(Names("It follows the Example Strategy and Implementation Plan for Countering "
                    "Threats issued last year."),
              ElementsAre(Pair("LEGISLATION",
                               "Example Strategy and Implementation Plan for Countering Threats")));
  EXPECT_THAT(Names("Executive Order 14110 and HB 1638 passed; see also Public Law 107-188."),
              ElementsAre(Pair("LEGISLATION", "Executive Order 14110"),
                          Pair("LEGISLATION", "HB 1638"),
                          Pair("LEGISLATION", "Public Law 107-188")));
  // A head word alone, or inside an organization's name, is no law.
  EXPECT_THAT(Names("The Framework was revised by the Office of Science and Technology Policy."),
              ElementsAre(Pair("ORGANIZATION", "Office of Science and Technology Policy")));
}

TEST(NameRecognizerTest, FindsLawsAndOutletsInChineseTitleMarks) {
  EXPECT_THAT(Names("依据《示例省实验室生物安全管理条例》和《示例指南》，《示例日报》报道。"),
              ElementsAre(Pair("LEGISLATION", "示例省实验室生物安全管理条例"),
                          Pair("LEGISLATION", "示例指南"),
                          Pair("ORGANIZATION", "示例日报")));
  // A back-reference, a method and a book are not tagged.
  EXPECT_THAT(Names("《条例》规定，《该办法》指出，《研究方法》一书和《示例的故事》"), IsEmpty());
}

TEST(NameRecognizerTest, ReadsNumbersInsideNamesAndHeAsAFamilyName) {
  EXPECT_THAT(Names("at the Biosafety Level 3 Laboratory of the school"),
              ElementsAre(Pair("ORGANIZATION", "Biosafety Level 3 Laboratory")));
  // "He" in the middle of a sentence is no pronoun.
  EXPECT_THAT(Names("The court sentenced He to three years."),
              ElementsAre(Pair("PERSON", "He")));
  EXPECT_THAT(Names("He said the trial was over."), IsEmpty());
}

}  // namespace
}  // namespace biocorpus
