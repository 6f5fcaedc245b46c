#include "corpus/vocabulary/vocabulary.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;

// Every country of ISO 3166-1 and every kept first-level subdivision of
// ISO 3166-2 (Debian's iso-codes, as the build read it) is a place, with its
// Chinese name where iso-codes has one; the curated categories hold hundreds.
TEST(VocabularyTest, TheShippedVocabularyHasEveryCountryAndTheCuratedConcepts) {
  const std::string iso = "/usr/share/iso-codes/json/iso_3166-1.json";
  if (!std::ifstream(iso)) GTEST_SKIP() << "no iso-codes data at " << iso;
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  std::set<std::string> place_names;
  std::map<v1::ConceptCategory, int> per_category;
  for (const v1::Concept& c : (*vocabulary)->concepts()) {
    ++per_category[c.category()];
    if (c.category() != v1::LOCATION) continue;
    for (const auto* list : {&c.english_synonyms(), &c.names(), &c.chinese_synonyms()}) {
      for (const std::string& name : *list) place_names.insert(absl::AsciiStrToLower(name));
    }
  }
  // (JSON is YAML.)
  const YAML::Node countries = YAML::LoadFile(iso)["3166-1"];
  ASSERT_GT(countries.size(), 240u);
  for (const YAML::Node& country : countries) {
    const std::string name = country["common_name"] ? country["common_name"].as<std::string>()
                                                    : country["name"].as<std::string>();
    // "Palestine, State of" as "Palestine"; "Virgin Islands, British" as
    // "British Virgin Islands".
    const size_t comma = name.find(", ");
    const std::string head = name.substr(0, comma);
    const std::string turned =
        comma == std::string::npos ? head : absl::StrCat(name.substr(comma + 2), " ", head);
    EXPECT_TRUE(place_names.count(absl::AsciiStrToLower(head)) +
                    place_names.count(absl::AsciiStrToLower(turned)) >
                0)
        << name;
  }
  for (const char* name : {"israel", "以色列", "spain", "西班牙", "mexico", "墨西哥", "anhui", "安徽",
                           "zhejiang", "浙江", "california", "加利福尼亚", "bayern", "巴伐利亚"}) {
    EXPECT_EQ(place_names.count(name), 1u) << name;
  }
  EXPECT_GE(per_category[v1::LOCATION], 3000);
  EXPECT_GE(per_category[v1::ORGANIZATION], 500);
  EXPECT_GE(per_category[v1::PERSON], 200);
  EXPECT_GE(per_category[v1::LEGISLATION], 150);
  EXPECT_GE(per_category[v1::PATHOGEN], 150);
  EXPECT_GE(per_category[v1::TECHNOLOGY], 150);
}

TEST(VocabularyTest, ContextRulesAndNamesAreRead) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> v = Vocabulary::Parse(R"(
version: "1"
concepts:
  - {id: place/georgia, label: Georgia, category: LOCATION, names: [Georgia]}
  - {id: pathogen/viruses, label: Viruses, category: PATHOGEN, zh: [病毒], unless_near: [杀毒], unless_within: [病毒式营销]}
)", "test");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_THAT((*v)->Find("place/georgia")->names(), ::testing::ElementsAre("Georgia"));
  EXPECT_THAT((*v)->Find("pathogen/viruses")->unless_near(), ::testing::ElementsAre("杀毒"));
  EXPECT_THAT((*v)->Find("pathogen/viruses")->unless_within(),
              ::testing::ElementsAre("病毒式营销"));
  absl::StatusOr<std::shared_ptr<const Vocabulary>> bad = Vocabulary::Parse(R"(
version: "1"
concepts:
  - {id: pathogen/viruses, label: Viruses, category: PATHOGEN, zh: [病毒], unless_near: 杀毒}
)", "test");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("unless_near must be a list"));
}

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
  // Names no concept lists are tagged as these.
  for (const char* id : {"org/unlisted", "person/unlisted", "place/unlisted"}) {
    SCOPED_TRACE(id);
    const v1::Concept* c = v.Find(id);
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->recognized());
  }
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
      {"recognized topic",
       "version: 1\nconcepts:\n  - {id: topic/a, label: A, category: TOPIC, recognized: true}\n",
       "line 3 (topic/a): only an ORGANIZATION, PERSON, LOCATION or LEGISLATION concept can be "
       "recognized"},
      {"two recognized",
       "version: 1\nconcepts:\n  - {id: org/a, label: A, category: ORGANIZATION, recognized: true}\n"
       "  - {id: org/b, label: B, category: ORGANIZATION, recognized: true}\n",
       "line 4 (org/b): org/a is already the recognized ORGANIZATION concept"},
      {"recognized not a bool",
       "version: 1\nconcepts:\n  - {id: org/a, label: A, category: ORGANIZATION, recognized: yes}\n",
       "recognized must be true or false"},
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
