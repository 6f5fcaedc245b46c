#include "ingest_service/tagging/concept_matcher.h"

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

constexpr char kSmallVocabulary[] = R"(
version: "test-1"
concepts:
  - {id: topic/biotechnology, label: Biotechnology, category: TOPIC, en: [biotechnology]}
  - {id: topic/gene-editing, label: Gene editing, category: TOPIC, parent: topic/biotechnology, en: [gene editing], zh: [基因编辑]}
  - {id: topic/genes, label: Genes, category: TOPIC, en: [gene]}
  - {id: topic/laboratories, label: Laboratories, category: TOPIC, en: [laboratory]}
  - {id: place/china, label: China, category: LOCATION, en: [china], zh: [中国]}
  - {id: org/cngb, label: China National GeneBank, category: ORGANIZATION, en: [china national genebank], acronyms: [CNGB]}
  - {id: org/pla, label: PLA, category: ORGANIZATION, en: [people's liberation army], acronyms: [PLA]}
  - {id: law/cn-biosecurity-law, label: Biosecurity Law, category: LEGISLATION, en: [biosecurity law], zh: [生物安全法]}
  - {id: law/us-biosecure-act, label: BIOSECURE Act, category: LEGISLATION, zh: [生物安全法案]}
  - {id: topic/biosafety, label: Biosafety, category: TOPIC, en: [biosafety], zh: [生物安全]}
  - {id: topic/biosecurity, label: Biosecurity, category: TOPIC, en: [biosecurity], zh: [生物安全]}
  - {id: tech/crispr, label: CRISPR, category: TECHNOLOGY, en: [crispr]}
  - {id: pathogen/viruses, label: Viruses, category: PATHOGEN, en: [virus], zh: [病毒], unless_near: [杀毒, 软件, computer, antivirus software]}
  - {id: person/gao-fu, label: Gao Fu, category: PERSON, zh: [高福], unless_within: [高福利]}
  - {id: org/un, label: United Nations, category: ORGANIZATION, en: [security council], unless_within: [national security council]}
  - {id: place/georgia, label: Georgia, category: LOCATION, names: [Georgia, Tbilisi]}
)";

class ConceptMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary =
        Vocabulary::Parse(kSmallVocabulary, "test");
    ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
    absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher =
        ConceptMatcher::Build(*vocabulary);
    ASSERT_TRUE(matcher.ok()) << matcher.status();
    matcher_ = std::move(*matcher);
  }

  // (concept, matched text) pairs in text order.
  std::vector<std::pair<std::string, std::string>> Found(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const v1::Annotation& a : matcher_->Match(text)) {
      out.emplace_back(a.concept(), a.text());
      // The span slices to the matched text in bytes.
      EXPECT_EQ(text.substr(a.span().start_byte(),
                            a.span().end_byte() - a.span().start_byte()),
                a.text());
    }
    return out;
  }

  std::unique_ptr<ConceptMatcher> matcher_;
};

TEST_F(ConceptMatcherTest, RespectsWordBoundariesInLatinScript) {
  EXPECT_THAT(Found("A transgene is not a gene."), ElementsAre(Pair("topic/genes", "gene")));
  EXPECT_THAT(Found("genesis and Genes."), ElementsAre(Pair("topic/genes", "Genes")));
  EXPECT_THAT(Found("Chinatown"), IsEmpty());
  EXPECT_THAT(Found("(China)"), ElementsAre(Pair("place/china", "China")));
  EXPECT_THAT(Found("CRISPR-based tools"), ElementsAre(Pair("tech/crispr", "CRISPR")));
}

TEST_F(ConceptMatcherTest, MatchesInsideChineseTextWithoutWordBoundaries) {
  EXPECT_THAT(Found("中国的基因编辑研究"),
              ElementsAre(Pair("place/china", "中国"), Pair("topic/gene-editing", "基因编辑")));
  // An English term next to Han characters is still at a boundary.
  EXPECT_THAT(Found("CRISPR技术"), ElementsAre(Pair("tech/crispr", "CRISPR")));
}

TEST_F(ConceptMatcherTest, PrefersTheLongestMatchAndKeepsEqualSpans) {
  EXPECT_THAT(Found("the China National GeneBank (CNGB) in Shenzhen"),
              ElementsAre(Pair("org/cngb", "China National GeneBank"),
                          Pair("org/cngb", "CNGB")));
  EXPECT_THAT(Found("《生物安全法》与生物安全法案"),
              ElementsAre(Pair("law/cn-biosecurity-law", "生物安全法"),
                          Pair("law/us-biosecure-act", "生物安全法案")));
  // One synonym of two concepts: both are tagged on the same span.
  EXPECT_THAT(Found("加强生物安全"),
              ElementsAre(Pair("topic/biosafety", "生物安全"), Pair("topic/biosecurity", "生物安全")));
}

TEST_F(ConceptMatcherTest, TakesPluralAndPossessiveForms) {
  EXPECT_THAT(Found("Two laboratories and one Laboratory."),
              ElementsAre(Pair("topic/laboratories", "laboratories"),
                          Pair("topic/laboratories", "Laboratory")));
  // The mention of a name is the name, without the possessive after it.
  EXPECT_THAT(Found("China's law and China\u2019s rules"),
              ElementsAre(Pair("place/china", "China"), Pair("place/china", "China")));
  EXPECT_THAT(Found("gene-editing and GENE EDITING"),
              ElementsAre(Pair("topic/gene-editing", "gene-editing"),
                          Pair("topic/gene-editing", "GENE EDITING")));
}

TEST_F(ConceptMatcherTest, AcronymsMatchOnlyWithTheirCase) {
  EXPECT_THAT(Found("links with the PLA"), ElementsAre(Pair("org/pla", "PLA")));
  EXPECT_THAT(Found("pla and Pla"), IsEmpty());
  EXPECT_THAT(Found("the People\u2019s Liberation Army"),
              ElementsAre(Pair("org/pla", "People\u2019s Liberation Army")));
}

TEST_F(ConceptMatcherTest, GivesCategoriesAndSpansInBothUnits) {
  const std::string text = "中国 biosafety";
  const std::vector<v1::Annotation> found = matcher_->Match(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].concept(), "topic/biosafety");
  EXPECT_EQ(found[1].category(), v1::TOPIC);
  EXPECT_EQ(found[1].span().start_byte(), 7);
  EXPECT_EQ(found[1].span().end_byte(), 16);
  EXPECT_EQ(found[1].span().start_char(), 3);
  EXPECT_EQ(found[1].span().end_char(), 12);
  EXPECT_EQ(found[0].category(), v1::LOCATION);
}

TEST_F(ConceptMatcherTest, ContextWordsNearAMatchKeepItFromBeingAMention) {
  EXPECT_THAT(Found("该病毒在实验室中传播"), ElementsAre(Pair("pathogen/viruses", "病毒")));
  EXPECT_THAT(Found("360杀毒软件能清除勒索病毒"), IsEmpty());
  EXPECT_THAT(Found("a computer virus spread"), IsEmpty());
  EXPECT_THAT(Found("a Virus spread; no Antivirus Software was installed"), IsEmpty());
  // Beyond 24 characters the word no longer counts.
  EXPECT_THAT(Found("the virus was sequenced in the laboratory, then the computer logs"),
              ElementsAre(Pair("pathogen/viruses", "virus"), Pair("topic/laboratories", "laboratory")));
}

TEST_F(ConceptMatcherTest, AMatchInsideALongerStringCanBeNoMention) {
  EXPECT_THAT(Found("高福院士指出"), ElementsAre(Pair("person/gao-fu", "高福")));
  EXPECT_THAT(Found("高福利国家"), IsEmpty());
  EXPECT_THAT(Found("the UN Security Council met"), ElementsAre(Pair("org/un", "Security Council")));
  EXPECT_THAT(Found("the National Security Council met"), IsEmpty());
}

TEST_F(ConceptMatcherTest, TraditionalCharactersMatchSimplifiedSynonyms) {
  EXPECT_THAT(Found("中國的《生物安全法》與基因編輯"),
              ElementsAre(Pair("place/china", "中國"), Pair("law/cn-biosecurity-law", "生物安全法"),
                          Pair("topic/gene-editing", "基因編輯")));
}

TEST_F(ConceptMatcherTest, TypographicDashesAndApostrophesMatchStraightOnes) {
  EXPECT_THAT(Found("gene\u2013editing and gene\u2010editing"),
              ElementsAre(Pair("topic/gene-editing", "gene\u2013editing"),
                          Pair("topic/gene-editing", "gene\u2010editing")));
  EXPECT_THAT(Found("the People\u2019s Liberation Army"),
              ElementsAre(Pair("org/pla", "People\u2019s Liberation Army")));
}

TEST_F(ConceptMatcherTest, NamesMatchOnlyWithTheirCase) {
  EXPECT_THAT(Found("Georgia's capital, Tbilisi"),
              ElementsAre(Pair("place/georgia", "Georgia"), Pair("place/georgia", "Tbilisi")));
  EXPECT_THAT(Found("georgia tbilisi"), IsEmpty());
}

TEST(ConceptMatcherBuiltInTest, CompilesTheShippedVocabulary) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok());
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  const std::vector<v1::Annotation> found = (*matcher)->Match(
      "China\u2019s 2020 Biosecurity Law and He Jiankui\u2019s gene-edited babies.");
  std::vector<std::string> concepts;
  for (const v1::Annotation& a : found) concepts.push_back(a.concept());
  EXPECT_THAT(concepts, ::testing::IsSupersetOf({"place/china", "law/cn-biosecurity-law-2020",
                                                 "person/he-jiankui",
                                                 "topic/human-genetic-enhancement"}));
}

}  // namespace
}  // namespace biocorpus

namespace biocorpus {
namespace {

// (concept, matched text) pairs that `vocabulary_yaml`'s matcher finds.
std::vector<std::pair<std::string, std::string>> FoundWith(const std::string& vocabulary_yaml,
                                                           const std::string& text) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary =
      Vocabulary::Parse(vocabulary_yaml, "test");
  EXPECT_TRUE(vocabulary.ok()) << vocabulary.status();
  if (!vocabulary.ok()) return {};
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  if (!matcher.ok()) return {};
  std::vector<std::pair<std::string, std::string>> out;
  for (const v1::Annotation& a : (*matcher)->Match(text)) out.emplace_back(a.concept(), a.text());
  return out;
}

constexpr char kRecognizingVocabulary[] = R"(
version: "test-2"
concepts:
  - {id: org/unlisted, label: Organizations not listed, category: ORGANIZATION, recognized: true}
  - {id: person/unlisted, label: People not listed, category: PERSON, recognized: true}
  - {id: place/unlisted, label: Places not listed, category: LOCATION, recognized: true}
  - {id: law/unlisted, label: Laws not listed, category: LEGISLATION, recognized: true}
  - {id: law/example-convention, label: Example Convention, category: LEGISLATION, zh: [示例公约]}
  - {id: place/ghana, label: Ghana, category: LOCATION, names: [Ghana]}
  - {id: place/united-states, label: United States, category: LOCATION, zh: [美国]}
  - {id: place/maryland, label: Maryland, category: LOCATION, parent: place/united-states, names: [Maryland]}
  - {id: place/china, label: China, category: LOCATION, zh: [中国]}
  - {id: place/henan, label: Henan, category: LOCATION, parent: place/china, zh: [河南省]}
  - {id: org/example-cdc, label: Example CDC, category: ORGANIZATION, zh: [疾控中心]}
  - {id: org/example-academy, label: Example Academy, category: ORGANIZATION, zh: [示例科学院]}
  - {id: org/example-institute, label: Example Institute, category: ORGANIZATION, zh: [示例研究所]}
  - {id: law/example-law, label: Example Law, category: LEGISLATION, zh: [示例安全法]}
  - {id: org/example-university, label: Example University, category: ORGANIZATION, en: [example university], zh: [示例大学]}
  - {id: org/sinovac, label: Sinovac, category: ORGANIZATION, zh: [科兴]}
)";

TEST(RecognizedNamesTest, NamesNoConceptListsAreTaggedAsTheRecognizedConcepts) {
  // A place inside an organization's name is part of the name.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "Staff of the University of Ghana agreed."),
              ElementsAre(Pair("org/unlisted", "University of Ghana")));
  // A listed organization is not found again, nor with a generic suffix.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "Example University and 科兴公司"),
              ElementsAre(Pair("org/example-university", "Example University"),
                          Pair("org/sinovac", "科兴")));
  // Another country before an organization qualifies it; an institute of a
  // listed organization is a name of its own, and the listed one stays.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "据美国示例大学病毒研究所介绍"),
              ElementsAre(Pair("place/united-states", "美国"),
                          Pair("org/example-university", "示例大学"),
                          Pair("org/unlisted", "示例大学病毒研究所")));
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "在河南省示例市，记者王明远报道"),
              ElementsAre(Pair("place/henan", "河南省"), Pair("place/unlisted", "示例市"),
                          Pair("person/unlisted", "王明远")));
}

TEST(RecognizedNamesTest, ChineseNamesWrittenTogetherAreOneName) {
  // A province's or a city's body is another body than the national one of
  // that name, and the place is part of its name; 中国 stays a qualifier.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "河南省疾控中心通报，中国疾控中心回应"),
              ElementsAre(Pair("org/unlisted", "河南省疾控中心"), Pair("place/china", "中国"),
                          Pair("org/example-cdc", "疾控中心")));
  // Two organizations written together are one name too, besides each.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "示例科学院示例研究所发布"),
              ElementsAre(Pair("org/example-academy", "示例科学院"),
                          Pair("org/unlisted", "示例科学院示例研究所"),
                          Pair("org/example-institute", "示例研究所")));
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "示例大学附属示例医院"),
              ElementsAre(Pair("org/example-university", "示例大学"),
                          Pair("org/unlisted", "示例大学附属示例医院"),
                          Pair("org/unlisted", "示例医院")));
  // A listed law inside a title is the whole title, its country included.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "依据《中国示例安全法》"),
              ElementsAre(Pair("law/example-law", "中国示例安全法")));
  // The possessive after a name is not part of it.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "the Example Board for Safety's review"),
              ElementsAre(Pair("org/unlisted", "Example Board for Safety")));
}

TEST(RecognizedNamesTest, AVocabularyWithoutRecognizedConceptsRecognizesNothing) {
  constexpr char kPlain[] = R"(
version: "test-3"
concepts:
  - {id: place/ghana, label: Ghana, category: LOCATION, names: [Ghana]}
)";
  EXPECT_THAT(FoundWith(kPlain, "Staff of the University of Ghana agreed."),
              ElementsAre(Pair("place/ghana", "Ghana")));
}

TEST(RecognizedNamesTest, AcronymsDefinedAfterANameAreThatName) {
  // The acronym of a listed name is its concept, here and later on.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary,
                        "Example University (EXU) said EXU would comply; EXUS did not."),
              ElementsAre(Pair("org/example-university", "Example University"),
                          Pair("org/example-university", "EXU"),
                          Pair("org/example-university", "EXU")));
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "示例公约(英语:Example Convention,简称EXC)"),
              ElementsAre(Pair("law/example-convention", "示例公约"),
                          Pair("law/unlisted", "Example Convention"),
                          Pair("law/example-convention", "EXC")));
  // And of a recognised one, the recognised concept.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "the Example Board for Safety (EBS) met."),
              ElementsAre(Pair("org/unlisted", "Example Board for Safety"),
                          Pair("org/unlisted", "EBS")));
  // Parentheses that hold no acronym add nothing.
  EXPECT_THAT(FoundWith(kRecognizingVocabulary, "Example University (in 2020) and (Ab)"),
              ElementsAre(Pair("org/example-university", "Example University")));
}

}  // namespace
}  // namespace biocorpus
