#include "corpus/vocabulary/vocabulary.h"

#include <map>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;

TEST(VocabularyTest, TheShippedVocabularyCoversTheField) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  const Vocabulary& v = **vocabulary;
  EXPECT_FALSE(v.version().empty());
  EXPECT_GE(v.concepts().size(), 200u);
  std::map<v1::ConceptCategory, int> per_category;
  int with_chinese = 0;
  for (const v1::Concept& c : v.concepts()) {
    ++per_category[c.category()];
    if (!c.chinese_synonyms().empty()) ++with_chinese;
  }
  for (v1::ConceptCategory category :
       {v1::TOPIC, v1::LEGISLATION, v1::ORGANIZATION, v1::PERSON, v1::LOCATION,
        v1::TECHNOLOGY, v1::PATHOGEN}) {
    SCOPED_TRACE(v1::ConceptCategory_Name(category));
    EXPECT_GE(per_category[category], 10);
  }
  EXPECT_GE(with_chinese, 150);
  // What a reader of the three seed documents would tag.
  for (const char* id :
       {"law/cn-biosecurity-law-2020", "law/cn-human-genetic-resources-regulations-2019",
        "law/us-genomics-data-security-act", "org/bgi", "org/china-national-genebank",
        "org/yisheng-biopharma", "org/pla", "org/china-cdc", "org/cas",
        "org/academy-of-military-medical-sciences", "person/he-jiankui",
        "person/xi-jinping", "person/marco-rubio", "person/tom-cotton",
        "place/china", "place/united-states", "place/shenyang", "place/beijing",
        "tech/crispr", "tech/mrna-vaccine", "pathogen/sars-cov-2",
        "topic/biosafety", "topic/biosecurity", "topic/gene-editing",
        "topic/precautionary-principle", "topic/biosafety-capacity-building",
        "topic/china-reference-column"}) {
    EXPECT_NE(v.Find(id), nullptr) << id;
  }
  EXPECT_EQ(v.Find("topic/gene-editing")->parent(), "topic/biotechnology");
  const std::vector<std::string> below = v.SelfAndDescendants("topic/biotechnology");
  EXPECT_THAT(below, ::testing::Contains("tech/crispr"));
  EXPECT_THAT(below, ::testing::Contains("topic/gene-editing"));
  EXPECT_EQ(below.front(), "topic/biotechnology");
}

TEST(VocabularyTest, RefusesAMalformedFileWithItsLineAndReason) {
  struct Case {
    std::string name;
    std::string yaml;
    std::string message;
  };
  const Case cases[] = {
      {"not yaml", "version: 1\nconcepts: [\n", "test.yaml line"},
      {"no version", "concepts:\n  - {id: topic/a, label: A, category: TOPIC, en: [a]}\n",
       "version is missing"},
      {"bad id", "version: 1\nconcepts:\n  - {id: Topic A, label: A, category: TOPIC, en: [a]}\n",
       "line 3: id must look like category/slug"},
      {"bad category",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: THING, en: [a]}\n",
       "line 3 (topic/a): category must be one of"},
      {"no synonym", "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC}\n",
       "needs at least one synonym"},
      {"duplicate",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC, en: [a]}\n"
       "  - {id: topic/a, label: B, category: TOPIC, en: [b]}\n",
       "line 4 (topic/a): id is defined twice"},
      {"unknown parent",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC, en: [a], parent: topic/zz}\n",
       "parent 'topic/zz' is not defined"},
      {"cycle",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC, en: [a], parent: topic/b}\n"
       "  - {id: topic/b, label: B, category: TOPIC, en: [b], parent: topic/a}\n",
       "parents form a cycle"},
      {"synonyms not a list",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC, en: a}\n",
       "en must be a list"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<std::shared_ptr<const Vocabulary>> v = Vocabulary::Parse(c.yaml, "test.yaml");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(v.status().message()), HasSubstr(c.message));
  }
  EXPECT_EQ(Vocabulary::Load("/nonexistent/vocabulary.yaml").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace biocorpus
