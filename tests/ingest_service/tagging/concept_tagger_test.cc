#include "ingest_service/tagging/concept_tagger.h"

#include <set>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

TEST(ConceptTaggerTest, AffiliationsGiveOrganizationsAndPlacesAsDocumentTags) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  const ConceptTagger tagger(std::move(*matcher));
  ParsedDocument parsed;
  v1::Author* first = parsed.document.add_authors();
  first->set_family("Xue");
  first->add_affiliations("Chinese Center for Disease Control and Prevention, Beijing, China");
  first->add_affiliations("Institute of Biosafety Research");
  v1::Author* second = parsed.document.add_authors();
  second->set_family("Lin");
  second->add_affiliations("中国科学院");
  second->add_affiliations("Chinese Center for Disease Control and Prevention, Beijing, China");
  tagger.Tag(&parsed);
  std::set<std::pair<std::string, int>> tags;
  for (const v1::DocumentTag& tag : parsed.document.tags()) tags.insert({tag.concept(), tag.source()});
  const int affiliation = v1::DocumentTag::AFFILIATION;
  EXPECT_TRUE(tags.count({"org/china-cdc", affiliation})) << parsed.document.DebugString();
  EXPECT_TRUE(tags.count({"org/cas", affiliation}));
  EXPECT_TRUE(tags.count({"place/china", affiliation}));
  // Topics named in an affiliation are not what the paper is about.
  EXPECT_FALSE(tags.count({"topic/biosafety", affiliation}));
  // Each concept once, however many authors share the affiliation.
  int cdc = 0;
  for (const v1::DocumentTag& tag : parsed.document.tags()) cdc += tag.concept() == "org/china-cdc";
  EXPECT_EQ(cdc, 1);
}

}  // namespace
}  // namespace biocorpus
