// Tagging quality of the shipped vocabulary and matcher, on two sets:
//  - passages written for the project (tests/fixtures/tagging/
//    labelled_passages.yaml), where `tags` is exhaustive: precision and
//    recall of concepts, held at 0.95;
//  - real passages of the field labelled by reading before they were tagged
//    (tests/fixtures/tagging/real/): precision and recall of mentions, by
//    category, printed as a table and held at the floors below.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

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

// A mention's text as compared: ASCII case folded, typographic quotes and
// apostrophes straight, outer spaces trimmed.
std::string Comparable(const std::string& text) {
  std::string out = absl::StrReplaceAll(
      text, {{"\xE2\x80\x99", "'"}, {"\xE2\x80\x98", "'"}, {"\xE2\x80\x9C", "\""},
             {"\xE2\x80\x9D", "\""}});
  absl::AsciiStrToLower(&out);
  return std::string(absl::StripAsciiWhitespace(out));
}

struct Counts {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  double precision() const {
    return static_cast<double>(true_positives) / std::max(1, true_positives + false_positives);
  }
  double recall() const {
    return static_cast<double>(true_positives) / std::max(1, true_positives + false_negatives);
  }
  void Add(const Counts& o) {
    true_positives += o.true_positives;
    false_positives += o.false_positives;
    false_negatives += o.false_negatives;
  }
};

// Scores the matcher on a file of real passages: per passage, the distinct
// (text, category) mentions the reader labelled against the distinct ones
// the matcher found. A found mention counts as correct when a labelled one of
// the same category has the same text, or (when none does) when one text
// holds the other (`中国科技部` found, `科技部` labelled); each labelled
// mention is used once.
std::map<std::string, Counts> ScoreRealPassages(const ConceptMatcher& matcher,
                                                const std::string& path, int* passages,
                                                int* chinese) {
  std::map<std::string, Counts> by_category;
  const YAML::Node root = YAML::LoadFile(path);
  // The held-out set's errors are never printed: it says how far tuning on
  // the first set carries only while no one tunes on it.
  const bool verbose = std::getenv("BIOCORPUS_TAGGING_DETAILS") != nullptr &&
                       path.find("heldout") == std::string::npos;
  for (const YAML::Node& item : root["passages"]) {
    ++*passages;
    if (item["language"].as<std::string>() == "zh") ++*chinese;
    const std::string text = item["text"].as<std::string>();
    std::vector<std::pair<std::string, std::string>> labelled;  // (category, text)
    for (const YAML::Node& m : item["mentions"]) {
      std::pair<std::string, std::string> mention{m["category"].as<std::string>(),
                                                  Comparable(m["text"].as<std::string>())};
      if (std::find(labelled.begin(), labelled.end(), mention) == labelled.end()) {
        labelled.push_back(mention);
      }
    }
    std::vector<std::pair<std::string, std::string>> found;
    for (const v1::Annotation& a : matcher.Match(text)) {
      std::pair<std::string, std::string> mention{v1::ConceptCategory_Name(a.category()),
                                                  Comparable(a.text())};
      if (std::find(found.begin(), found.end(), mention) == found.end()) found.push_back(mention);
    }
    std::vector<bool> used(labelled.size(), false), matched(found.size(), false);
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t f = 0; f < found.size(); ++f) {
        for (size_t l = 0; l < labelled.size() && !matched[f]; ++l) {
          if (used[l] || labelled[l].first != found[f].first) continue;
          const std::string& a = labelled[l].second;
          const std::string& b = found[f].second;
          const bool same = a == b;
          const bool overlapping =
              a.find(b) != std::string::npos || b.find(a) != std::string::npos;
          if (pass == 0 ? same : overlapping) used[l] = matched[f] = true;
        }
      }
    }
    const std::string id = item["id"].as<std::string>();
    for (size_t f = 0; f < found.size(); ++f) {
      Counts& c = by_category[found[f].first];
      if (matched[f]) {
        ++c.true_positives;
      } else {
        ++c.false_positives;
        if (verbose) std::printf("  %s wrong  %-12s %s\n", id.c_str(), found[f].first.c_str(),
                                 found[f].second.c_str());
      }
    }
    for (size_t l = 0; l < labelled.size(); ++l) {
      if (used[l]) continue;
      ++by_category[labelled[l].first].false_negatives;
      if (verbose) std::printf("  %s missed %-12s %s\n", id.c_str(), labelled[l].first.c_str(),
                               labelled[l].second.c_str());
    }
  }
  return by_category;
}

// The targets: over the six entity categories precision 0.90 and recall
// 0.80, with topics 0.80 and 0.70. Measured 2026-12-02, vocabulary
// 2026.12.11 (docs/tagging-quality.md has every figure):
//  - real_passages.yaml, real2_passages.yaml, real3_passages.yaml and
//    real4_passages.yaml (tuned on): all four met and held; real4 scored
//    0.909 / 0.767 entities when first tagged (vocabulary 2026.12.10),
//    before any tuning on it, as real3 did 0.883 / 0.711;
//  - heldout_passages.yaml (another reader; never tuned on, though its
//    ORGANIZATION and PERSON errors were once printed): 0.911 / 0.848 and
//    0.848 / 0.859; all four met and held;
//  - heldout2_passages.yaml (a third reader, its errors never printed):
//    0.944 / 0.776 and 0.916 / 0.778; the entity recall target is missed,
//    and the test holds the set where it stands so that it cannot fall back
//    unnoticed.
// Every figure is printed as met or missed.
struct Targets {
  double entity_precision;
  double entity_recall;
  double all_precision;
  double all_recall;
};
constexpr Targets kTargets = {0.90, 0.80, 0.80, 0.70};
constexpr Targets kSecondHeldOutFloors = {0.90, 0.76, 0.85, 0.76};

TEST(TaggingQualityTest, PrecisionAndRecallByCategoryOnRealPassages) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  for (const std::string file :
       {"real_passages.yaml", "real2_passages.yaml", "real3_passages.yaml", "real4_passages.yaml",
        "heldout_passages.yaml", "heldout2_passages.yaml"}) {
    const std::string path = std::string(BIOCORPUS_FIXTURES_DIR) + "/tagging/real/" + file;
    if (file != "real_passages.yaml" && !std::ifstream(path)) continue;
    SCOPED_TRACE(file);
    int passages = 0, chinese = 0;
    const std::map<std::string, Counts> by_category =
        ScoreRealPassages(**matcher, path, &passages, &chinese);
    Counts entities, all;
    std::printf("tagging on real passages (%s: %d passages, %d Chinese)\n", file.c_str(), passages,
                chinese);
    std::printf("  %-13s %9s %6s %9s %6s\n", "category", "labelled", "found", "precision",
                "recall");
    for (const auto& [category, c] : by_category) {
      std::printf("  %-13s %9d %6d %9.3f %6.3f\n", category.c_str(),
                  c.true_positives + c.false_negatives, c.true_positives + c.false_positives,
                  c.precision(), c.recall());
      if (category != "TOPIC") entities.Add(c);
      all.Add(c);
    }
    auto verdict = [](double value, double target) { return value >= target ? "met" : "missed"; };
    std::printf("  entities: precision %.3f (target %.2f %s), recall %.3f (target %.2f %s)\n",
                entities.precision(), kTargets.entity_precision,
                verdict(entities.precision(), kTargets.entity_precision), entities.recall(),
                kTargets.entity_recall, verdict(entities.recall(), kTargets.entity_recall));
    std::printf("  with topics: precision %.3f (target %.2f %s), recall %.3f (target %.2f %s)\n",
                all.precision(), kTargets.all_precision,
                verdict(all.precision(), kTargets.all_precision), all.recall(),
                kTargets.all_recall, verdict(all.recall(), kTargets.all_recall));
    EXPECT_GE(passages, file == "real_passages.yaml" ? 100 : 1);
    EXPECT_GE(2 * chinese, passages - 2) << "about half of the passages are Chinese";
    const Targets& floors =
        file == "heldout2_passages.yaml" ? kSecondHeldOutFloors : kTargets;
    EXPECT_GE(entities.precision(), floors.entity_precision);
    EXPECT_GE(entities.recall(), floors.entity_recall);
    EXPECT_GE(all.precision(), floors.all_precision);
    EXPECT_GE(all.recall(), floors.all_recall);
  }
}

}  // namespace
}  // namespace biocorpus
