// Tagging quality on hand-labelled passages written for the project
// (tests/fixtures/tagging/labelled_passages.yaml): prints precision and
// recall of the shipped vocabulary and matcher, and holds both at 0.95 or
// more. `tags` in the file is exhaustive, so every concept found that is not
// listed counts against precision.

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "ingest_service/tagging/concept_matcher.h"

namespace biocorpus {
namespace {

TEST(TaggingQualityTest, PrecisionAndRecallOnHandLabelledPassages) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  const YAML::Node root = YAML::LoadFile(std::string(BIOCORPUS_FIXTURES_DIR) +
                                         "/tagging/labelled_passages.yaml");
  int true_positives = 0, false_positives = 0, false_negatives = 0, traps = 0;
  int passages = 0;
  for (const YAML::Node& item : root["passages"]) {
    ++passages;
    const std::string text = item["text"].as<std::string>();
    SCOPED_TRACE(text);
    std::set<std::string> expected, forbidden, found;
    for (const YAML::Node& t : item["tags"]) {
      expected.insert(t.as<std::string>());
      EXPECT_NE((*vocabulary)->Find(t.as<std::string>()), nullptr) << t.as<std::string>();
    }
    if (item["not"]) {
      for (const YAML::Node& t : item["not"]) forbidden.insert(t.as<std::string>());
    }
    for (const v1::Annotation& a : (*matcher)->Match(text)) found.insert(a.concept());
    for (const std::string& c : found) {
      if (expected.count(c) > 0) {
        ++true_positives;
      } else {
        ++false_positives;
        std::printf("  unexpected %-45s in: %s\n", c.c_str(), text.c_str());
      }
      if (forbidden.count(c) > 0) {
        ++traps;
        ADD_FAILURE() << "tagged " << c << ", which it must not be";
      }
    }
    for (const std::string& c : expected) {
      if (found.count(c) == 0) {
        ++false_negatives;
        std::printf("  missed     %-45s in: %s\n", c.c_str(), text.c_str());
      }
    }
  }
  const double precision =
      static_cast<double>(true_positives) / std::max(1, true_positives + false_positives);
  const double recall =
      static_cast<double>(true_positives) / std::max(1, true_positives + false_negatives);
  std::printf("tagging quality: %d passages, %d expected tags, precision %.3f, recall %.3f, "
              "%d traps hit\n",
              passages, true_positives + false_negatives, precision, recall, traps);
  EXPECT_GE(passages, 40);
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace biocorpus
