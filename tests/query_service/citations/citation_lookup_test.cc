#include "query_service/citations/citation_lookup.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/writer/document_writer.h"
#include "query_service/store/replica.h"
#include "tests/support/prepared_documents.h"
#include "tests/support/corpus_fixtures.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

class CitationLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = testing::OpenTestWriter(temp_.path() + "/db");
    ASSERT_NE(writer_, nullptr);
    for (const char* text : {
             "TITLE=Gene drives in wild populations DOI=10.5555/drive.1 AUTHOR=Xue Yang "
             "YEAR=2021",
             "TITLE=Gene drives DOI=10.5555/drive.2 AUTHOR=Xue Li YEAR=2023",
             "TITLE=Laboratory biosafety rules URL=https://www.example.org/rules YEAR=2020",
             "---\ntitle: Links\nfrom: https://news.example/links\n---\n"
             "<p>See <a href=\"https://doi.org/10.5555/drive.1\">one</a>, "
             "<a href=\"https://www.science.org/doi/10.5555/drive.2\">two</a> and "
             "<a href=\"https://example.org/rules\">rules</a>.</p>"
             "<p>And <a href=\"https://elsewhere.example/\">elsewhere</a>.</p>",
         }) {
      ASSERT_TRUE(writer_->Write(testing::PrepareUntagged(text).front()).ok());
    }
    replica_ = testing::OpenTestReplica(temp_.path() + "/db", temp_.path() + "/secondary");
    ASSERT_NE(replica_, nullptr);
    lookup_ = std::make_unique<CitationLookup>(&replica_->reader());
  }

  // Titles and scores found for `request`.
  std::vector<std::pair<std::string, double>> Found(const v1::LookupCitationRequest& request) {
    absl::StatusOr<std::vector<ScoredDocument>> found = lookup_->Lookup(request, 10);
    EXPECT_TRUE(found.ok()) << found.status();
    std::vector<std::pair<std::string, double>> out;
    if (found.ok()) {
      for (const ScoredDocument& d : *found) out.emplace_back(d.document.title(), d.score);
    }
    return out;
  }

  testing::TempDir temp_;
  std::unique_ptr<DocumentWriter> writer_;
  std::unique_ptr<Replica> replica_;
  std::unique_ptr<CitationLookup> lookup_;
};

TEST_F(CitationLookupTest, FindsByDoiUrlTitleAndAuthor) {
  using Result = std::vector<std::pair<std::string, double>>;
  v1::LookupCitationRequest request;
  request.set_doi("https://doi.org/10.5555/DRIVE.1");
  EXPECT_EQ(Found(request), (Result{{"Gene drives in wild populations", 1.0}}));
  request.set_url("http://example.org/rules/");
  EXPECT_EQ(Found(request), (Result{{"Laboratory biosafety rules", 1.0}}));
  request.set_url("https://www.science.org/doi/10.5555/drive.2");
  EXPECT_EQ(Found(request), (Result{{"Gene drives", 1.0}}));
  // Exact title first, then one that starts with it, newest first on a tie.
  request.set_title("gene drives");
  const Result by_title = Found(request);
  ASSERT_EQ(by_title.size(), 2u);
  EXPECT_EQ(by_title[0], (std::pair<std::string, double>{"Gene drives", 1.0}));
  EXPECT_EQ(by_title[1].first, "Gene drives in wild populations");
  EXPECT_DOUBLE_EQ(by_title[1].second, 0.9);
  // Half of the words: 0.8 x (2/3 matched) x (2/4 of the title covered).
  request.set_title("drives populations biosafety");
  const Result by_words = Found(request);
  ASSERT_FALSE(by_words.empty());
  EXPECT_EQ(by_words[0].first, "Gene drives in wild populations");
  request.mutable_author()->set_family("XUE");
  const Result by_author = Found(request);
  ASSERT_EQ(by_author.size(), 2u);
  EXPECT_EQ(by_author[0].first, "Gene drives");  // 2023 before 2021.
  request.mutable_author()->set_year(2021);
  EXPECT_EQ(Found(request), (Result{{"Gene drives in wild populations", 1.0}}));
}

TEST_F(CitationLookupTest, BadAndMissingKeysAreNamed) {
  v1::LookupCitationRequest request;
  EXPECT_EQ(lookup_->Lookup(request, 10).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_doi("not a doi");
  absl::Status bad = lookup_->Lookup(request, 10).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("doi: 'not a doi'"), absl::string_view::npos) << bad;
  request.set_doi("10.5555/absent");
  EXPECT_EQ(lookup_->Lookup(request, 10).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CitationLookupTest, ReferencesPageThroughLinksWithTheDocumentsTheyCite) {
  v1::LookupCitationRequest by_url;
  by_url.set_url("https://news.example/links");
  absl::StatusOr<std::vector<ScoredDocument>> links = lookup_->Lookup(by_url, 1);
  ASSERT_TRUE(links.ok()) << links.status();
  const std::string id = links->front().document.name().substr(10);
  std::vector<std::string> cited;
  int64_t first = 0;
  int pages = 0;
  while (first >= 0 && pages++ < 10) {
    absl::StatusOr<ReferencePage> page = lookup_->References(id, first, 3);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->references.size(), 3u);
    for (const v1::Reference& r : page->references) cited.push_back(r.cited_document());
    first = page->next;
  }
  EXPECT_EQ(pages, 2);
  ASSERT_EQ(cited.size(), 4u);
  EXPECT_NE(cited[0], "");  // doi.org link to drive.1
  EXPECT_NE(cited[1], "");  // publisher link to drive.2
  EXPECT_NE(cited[2], "");  // the rules page, by URL variant
  EXPECT_EQ(cited[3], "");  // nothing stored
  EXPECT_EQ(lookup_->References("0000000000000000", 0, 3).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace biocorpus
