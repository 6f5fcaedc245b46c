// Acceptance: the three real documents the product was designed from
// (../shared/seeds next to the repository, or $BIOCORPUS_SEEDS_DIR) are
// ingested by the real servers and served with the right fields. When the
// folder is absent the test says so and skips: the seeds are not part of the
// repository.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

std::string SeedsDir() {
  const char* env = std::getenv("BIOCORPUS_SEEDS_DIR");
  return env != nullptr ? env : BIOCORPUS_SEEDS_DIR;
}

struct Expected {
  std::string file_prefix;
  v1::DocumentFormat format;
  std::string title;  // Empty: the document has no title.
  std::vector<std::string> families;
  int year;
  std::string doi;
  std::string url;
  int passages;
};

TEST(SeedAcceptanceTest, EachSeedIsIngestedAndServedWithItsFields) {
  const std::string dir = SeedsDir();
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "seed documents not found at " << dir
                 << " (they live outside the repository); set "
                    "BIOCORPUS_SEEDS_DIR to run this test";
  }
  const std::vector<Expected> expected = {
      {"000_", v1::CITATION_RECORD,
       "Towards Better Governance on Biosafety and Biosecurity: China\u2019s "
       "Advances and Perspectives in Medical Biotechnology Legislation",
       {"Xue", "Shang"}, 2022, "10.3389/fbioe.2022.939295",
       "https://www.frontiersin.org/journals/bioengineering-and-biotechnology/"
       "articles/10.3389/fbioe.2022.939295",
       2},
      {"001_", v1::MIRRORED_ARTICLE,
       "Closing the U.S. to Chinese Biotech Would Do Far More Harm Than Good",
       {"Moore", "Coplin"}, 2022, "",
       "https://www.chinafile.com/reporting-opinion/viewpoint/"
       "closing-us-chinese-biotech-would-do-far-more-harm-good",
       // Title, photo credit, photo caption and 19 body paragraphs.
       22},
      {"004_", v1::PLAIN_ABSTRACT, "", {"LIU", "JIANG", "LU"}, 0, "", "", 1},
  };
  ServicePair pair;
  ASSERT_TRUE(pair.Start()) << pair.error();
  for (const std::string& file : FilesUnder(dir)) {
    const std::string base = std::filesystem::path(file).filename().string();
    const Expected* want = nullptr;
    for (const Expected& e : expected) {
      if (base.rfind(e.file_prefix, 0) == 0) want = &e;
    }
    if (want == nullptr) continue;
    SCOPED_TRACE(base);
    v1::IngestDocumentResponse ingested;
    ASSERT_TRUE(pair.Ingest(ReadFile(file), &ingested, file).ok());
    v1::Document served;
    ASSERT_TRUE(Eventually([&] {
      grpc::ClientContext context;
      v1::GetDocumentRequest request;
      request.set_name(ingested.document().name());
      return pair.query().GetDocument(&context, request, &served).ok();
    }));
    EXPECT_EQ(served.format(), want->format);
    EXPECT_EQ(served.has_title(), !want->title.empty());
    EXPECT_EQ(served.title(), want->title);
    ASSERT_EQ(served.authors_size(), static_cast<int>(want->families.size()));
    for (size_t i = 0; i < want->families.size(); ++i) {
      EXPECT_EQ(served.authors(static_cast<int>(i)).family(), want->families[i]);
    }
    EXPECT_EQ(served.year(), want->year);
    EXPECT_EQ(served.doi(), want->doi);
    EXPECT_EQ(served.url(), want->url);
    EXPECT_EQ(served.passage_count(), want->passages);
    grpc::ClientContext context;
    v1::ListPassagesRequest request;
    request.set_parent(served.name());
    v1::ListPassagesResponse passages;
    ASSERT_TRUE(pair.query().ListPassages(&context, request, &passages).ok());
    EXPECT_EQ(passages.passages_size(), want->passages);

    // Found by every identifier it carries.
    std::vector<v1::LookupCitationRequest> lookups;
    if (!want->doi.empty()) {
      lookups.emplace_back().set_doi("https://doi.org/" + want->doi);
    }
    if (!want->url.empty()) lookups.emplace_back().set_url(want->url);
    if (!want->title.empty()) lookups.emplace_back().set_title(want->title);
    for (const std::string& family : want->families) {
      v1::LookupCitationRequest& by_author = lookups.emplace_back();
      by_author.mutable_author()->set_family(family);
      by_author.mutable_author()->set_year(want->year);
    }
    for (const v1::LookupCitationRequest& lookup : lookups) {
      SCOPED_TRACE(lookup.ShortDebugString());
      grpc::ClientContext lookup_context;
      v1::LookupCitationResponse found;
      ASSERT_TRUE(pair.query().LookupCitation(&lookup_context, lookup, &found).ok());
      ASSERT_GE(found.citations_size(), 1);
      EXPECT_EQ(found.citations(0).document(), served.name());
    }
  }
}

}  // namespace
}  // namespace biocorpus::testing
