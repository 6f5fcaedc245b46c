#include "query_service/analytics/analytics_filter.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/analytics/association.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const Vocabulary> TestVocabulary() {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> v = Vocabulary::Parse(R"(version: "t1"
concepts:
  - id: topic/biotechnology
    label: biotechnology
    category: TOPIC
    en: [biotechnology]
  - id: topic/gene-editing
    label: gene editing
    category: TOPIC
    parent: topic/biotechnology
    en: [gene editing]
  - id: org/who
    label: World Health Organization
    category: ORGANIZATION
    en: [WHO]
)", "test");
  EXPECT_TRUE(v.ok()) << v.status();
  return *v;
}

TEST(AnalyticsFilterTest, FilterFieldsCopyByName) {
  v1::CountConceptsRequest request;
  request.add_concepts("topic/gene-editing");
  request.set_match(v1::SearchPassagesRequest::ALL);
  request.set_include_descendants(true);
  request.set_category(v1::TOPIC);
  request.set_type(v1::PARAGRAPH);
  request.set_format(v1::PLAIN_ABSTRACT);
  request.set_year_min(2020);
  request.set_year_max(2024);
  request.set_author("Zhang");
  request.set_query("gene drive");
  request.set_language("zh");
  request.set_source_tag("news");
  request.set_top_n(5);
  const v1::SearchPassagesRequest filter = FilterOf(request);
  EXPECT_THAT(filter.concepts(), ElementsAre("topic/gene-editing"));
  EXPECT_EQ(filter.match(), v1::SearchPassagesRequest::ALL);
  EXPECT_TRUE(filter.include_descendants());
  EXPECT_EQ(filter.category(), v1::TOPIC);
  EXPECT_EQ(filter.type(), v1::PARAGRAPH);
  EXPECT_EQ(filter.format(), v1::PLAIN_ABSTRACT);
  EXPECT_EQ(filter.year_min(), 2020);
  EXPECT_EQ(filter.year_max(), 2024);
  EXPECT_EQ(filter.author(), "Zhang");
  EXPECT_EQ(filter.query(), "gene drive");
  EXPECT_EQ(filter.language(), "zh");
  EXPECT_EQ(filter.source_tag(), "news");
  EXPECT_EQ(filter.page_size(), 0);
  EXPECT_TRUE(HasFilter(filter));
  EXPECT_FALSE(HasFilter(FilterOf(v1::CountConceptsRequest())));
}

TEST(AnalyticsFilterTest, CountersAnswerCellsAndOneConceptOrCategory) {
  const auto vocabulary = TestVocabulary();
  v1::SearchPassagesRequest f;
  f.set_year_min(2021);
  f.set_format(v1::MIRRORED_ARTICLE);
  f.set_language("en");
  std::optional<CounterFilter> counters = CounterFilterOf(f, *vocabulary);
  ASSERT_TRUE(counters.has_value());
  EXPECT_TRUE(counters->Selects(CounterCell{2022, v1::MIRRORED_ARTICLE, "en"}));
  EXPECT_FALSE(counters->Selects(CounterCell{2020, v1::MIRRORED_ARTICLE, "en"}));
  EXPECT_FALSE(counters->Selects(CounterCell{2022, v1::PLAIN_ABSTRACT, "en"}));
  EXPECT_FALSE(counters->Selects(CounterCell{2022, v1::MIRRORED_ARTICLE, "zh"}));
  // An upper bound leaves out the documents of unknown year.
  f.set_year_max(2023);
  EXPECT_FALSE(CounterFilterOf(f, *vocabulary)->SelectsYear(0));

  f.add_concepts("topic/gene-editing");
  ASSERT_TRUE(CounterFilterOf(f, *vocabulary).has_value());
  EXPECT_EQ(CounterFilterOf(f, *vocabulary)->concept_id, "topic/gene-editing");
  // A concept standing for its descendants is several.
  v1::SearchPassagesRequest broad;
  broad.add_concepts("topic/biotechnology");
  broad.set_include_descendants(true);
  EXPECT_FALSE(CounterFilterOf(broad, *vocabulary).has_value());
  for (auto edit : std::vector<void (*)(v1::SearchPassagesRequest*)>{
           [](v1::SearchPassagesRequest* r) { r->set_query("x"); },
           [](v1::SearchPassagesRequest* r) { r->set_type(v1::TITLE); },
           [](v1::SearchPassagesRequest* r) { r->set_author("Li"); },
           [](v1::SearchPassagesRequest* r) { r->set_source_tag("news"); },
           [](v1::SearchPassagesRequest* r) { r->add_concepts("org/who"); }}) {
    v1::SearchPassagesRequest g;
    g.add_concepts("topic/gene-editing");
    edit(&g);
    EXPECT_FALSE(CounterFilterOf(g, *vocabulary).has_value()) << g.DebugString();
  }
}

TEST(AnalyticsFilterTest, ConceptSetsResolveOrNameTheirField) {
  const auto vocabulary = TestVocabulary();
  v1::ConceptSet set;
  set.add_concepts("topic/biotechnology");
  set.set_include_descendants(true);
  EXPECT_THAT(*ConceptSetMembers(set, *vocabulary, "rows", false),
              ElementsAre("topic/biotechnology", "topic/gene-editing"));
  v1::ConceptSet category;
  category.set_category(v1::ORGANIZATION);
  EXPECT_THAT(*ConceptSetMembers(category, *vocabulary, "rows", false), ElementsAre("org/who"));
  absl::StatusOr<std::vector<std::string>> empty =
      ConceptSetMembers(v1::ConceptSet(), *vocabulary, "columns", false);
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
  EXPECT_THAT(empty.status().message(), HasSubstr("columns"));
  v1::ConceptSet unknown;
  unknown.add_concepts("org/who");
  unknown.add_concepts("org/nobody");
  absl::StatusOr<std::vector<std::string>> bad =
      ConceptSetMembers(unknown, *vocabulary, "rows", false);
  EXPECT_THAT(bad.status().message(), HasSubstr("rows.concepts[1]"));
}

TEST(AssociationTest, ExpectedNpmiAndLogLikelihood) {
  // Independent: 10 of 100 with a, 20 with b, 2 with both.
  const Contingency independent{2, 10, 20, 100};
  EXPECT_DOUBLE_EQ(ExpectedCount(independent), 2.0);
  EXPECT_NEAR(NormalizedPmi(independent), 0.0, 1e-12);
  EXPECT_NEAR(LogLikelihoodRatio(independent), 0.0, 1e-9);
  // Always together.
  EXPECT_NEAR(NormalizedPmi(Contingency{10, 10, 10, 100}), 1.0, 1e-12);
  // Never together.
  EXPECT_DOUBLE_EQ(NormalizedPmi(Contingency{0, 10, 10, 100}), -1.0);
  // G² by hand for the table [[8, 2], [12, 78]]: 2 Σ k ln(k / E).
  const double n = 100, r1 = 10, r2 = 90, c1 = 20, c2 = 80;
  const double g2 = 2 * (8 * std::log(8 / (r1 * c1 / n)) + 2 * std::log(2 / (r1 * c2 / n)) +
                         12 * std::log(12 / (r2 * c1 / n)) + 78 * std::log(78 / (r2 * c2 / n)));
  EXPECT_NEAR(LogLikelihoodRatio(Contingency{8, 10, 20, 100}), g2, 1e-9);
  EXPECT_GT(g2, 10.83);  // Significant at p < 0.001.
  EXPECT_EQ(LogLikelihoodRatio(Contingency{}), 0.0);
}

}  // namespace
}  // namespace biocorpus
