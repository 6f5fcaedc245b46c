// Full-text search over a small corpus written for the test, against numbers
// computed by hand.

#include "query_service/search/full_text_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "query_service/search/text_search.h"
#include "corpus/search/text_index.h"
#include "ingest_service/pipeline/text_backfill.h"
#include "ingest_service/writer/document_writer.h"
#include "rocksdb/write_batch.h"
#include "query_service/store/replica.h"
#include "tests/support/prepared_documents.h"
#include "tests/support/corpus_fixtures.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

class FullTextSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = testing::OpenTestWriter(temp_.path() + "/db");
    ASSERT_NE(writer_, nullptr);
    // The test catches up by hand.
    replica_ = testing::OpenTestReplica(temp_.path() + "/db", temp_.path() + "/secondary");
    ASSERT_NE(replica_, nullptr);
  }

  // Writes citation records in one group commit.
  void Write(const std::vector<std::string>& records) {
    std::vector<std::vector<ParsedDocument>> group;
    for (const std::string& record : records) group.push_back(testing::PrepareUntagged(record));
    for (auto& result : writer_->WriteGroup(std::move(group))) {
      ASSERT_TRUE(result.ok()) << result.status();
    }
    ASSERT_TRUE(replica_->CatchUp().ok());
  }

  absl::StatusOr<FullTextPage> Search(const std::string& query, int page_size = 20,
                                      const std::string& after = "", bool document_order = false) {
    absl::StatusOr<QueryNode> parsed = ParseQuery(query);
    if (!parsed.ok()) return parsed.status();
    FullTextRequest request;
    request.query = *parsed;
    request.page_size = page_size;
    request.after = after;
    request.document_order = document_order;
    return SearchFullText(replica_->reader(), request,
                          std::chrono::steady_clock::now() + std::chrono::minutes(1));
  }

  // The titles (the TITLE passages' texts) found, in result order.
  std::vector<std::string> Titles(const std::string& query) {
    absl::StatusOr<FullTextPage> page = Search(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const v1::SearchResult& r : page->results) out.push_back(r.passage().text());
    }
    return out;
  }

  testing::TempDir temp_;
  std::unique_ptr<DocumentWriter> writer_;
  std::unique_ptr<Replica> replica_;
};

TEST_F(FullTextSearchTest, Bm25ScoresAreTheOnesComputedByHand) {
  // One passage (the title) each: 3 passages, 8 tokens, average length 8/3.
  Write({"TITLE=gene drive DOI=10.5555/a", "TITLE=gene drive drive research DOI=10.5555/b",
         "TITLE=biosafety law DOI=10.5555/c"});
  absl::StatusOr<FullTextPage> page = Search("drives");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->results.size(), 2u);
  EXPECT_EQ(page->total_size, 2);
  // df 2 of N 3: idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6.
  const double idf = std::log(1.6);
  // tf 2, length 4: k1 (1 - b + b 4 / (8/3)) = 1.2 x 1.375 = 1.65.
  EXPECT_EQ(page->results[0].passage().text(), "gene drive drive research");
  EXPECT_NEAR(page->results[0].score(), idf * 2 * 2.2 / (2 + 1.65), 1e-9);
  // tf 1, length 2: 1.2 x (0.25 + 0.5625) = 0.975.
  EXPECT_EQ(page->results[1].passage().text(), "gene drive");
  EXPECT_NEAR(page->results[1].score(), idf * 1 * 2.2 / (1 + 0.975), 1e-9);
  // Two words add up ("gene" has the same df): the short title now wins.
  page = Search("gene drive");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->results.size(), 2u);
  EXPECT_EQ(page->results[0].passage().text(), "gene drive");
  EXPECT_NEAR(page->results[0].score(), 2 * idf * 2.2 / 1.975, 1e-9);
  EXPECT_NEAR(page->results[1].score(), idf * 2.2 / 2.65 + idf * 4.4 / 3.65, 1e-9);
  // The highlights are the matched words, in bytes and code points.
  ASSERT_EQ(page->results[0].highlights_size(), 2);
  EXPECT_EQ(page->results[0].highlights(1).start_byte(), 5);
  EXPECT_EQ(page->results[0].highlights(1).end_char(), 10);
}

TEST(DocNumberTest, IdsAndNumbersRoundTripAndSortAlike) {
  std::vector<std::string> ids;
  uint64_t n = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 1000; ++i) {
    n = n * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::string id = DocIdOfNumber(i < 2 ? (i == 0 ? 0 : ~0ULL) : n);
    EXPECT_EQ(DocIdOfNumber(DocNumber(id)), id);
    ids.push_back(id);
  }
  EXPECT_EQ(DocNumber("00000000000000ff"), 255u);
  EXPECT_EQ(DocNumber("a000000000000001"), 0xa000000000000001ULL);
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i - 1] < ids[i], DocNumber(ids[i - 1]) < DocNumber(ids[i])) << ids[i];
  }
}

TEST_F(FullTextSearchTest, SetsCombineAcrossGroupCommitsAndUpdates) {
  // Documents in several group commits (blocks), one updated into a later
  // one: AND, OR, NOT and phrases still meet in the same passages.
  Write({"TITLE=anthrax vaccine policy DOI=10.5555/a", "TITLE=anthrax spores DOI=10.5555/b",
         "TITLE=vaccine trials DOI=10.5555/c"});
  Write({"TITLE=anthrax vaccine stockpile DOI=10.5555/d", "TITLE=vaccine anthrax DOI=10.5555/e"});
  Write({"TITLE=smallpox vaccine policy DOI=10.5555/c"});
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(Titles("anthrax vaccine")),
            sorted({"anthrax vaccine policy", "anthrax vaccine stockpile", "vaccine anthrax"}));
  EXPECT_EQ(sorted(Titles("\"anthrax vaccine\"")),
            sorted({"anthrax vaccine policy", "anthrax vaccine stockpile"}));
  EXPECT_EQ(sorted(Titles("vaccine -anthrax")), sorted({"smallpox vaccine policy"}));
  EXPECT_EQ(sorted(Titles("policy OR spores")),
            sorted({"anthrax vaccine policy", "anthrax spores", "smallpox vaccine policy"}));
  EXPECT_TRUE(Titles("trials").empty());
  // Relevance ties break in passage order, as the page cursor expects.
  absl::StatusOr<FullTextPage> page = Search("vaccine", 2);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total_size, 4);
  std::set<std::string> seen;
  for (const v1::SearchResult& r : page->results) seen.insert(r.passage().text());
  page = Search("vaccine", 2, page->next_after);
  ASSERT_TRUE(page.ok()) << page.status();
  for (const v1::SearchResult& r : page->results) EXPECT_TRUE(seen.insert(r.passage().text()).second);
  EXPECT_EQ(seen.size(), 4u);
}

TEST_F(FullTextSearchTest, PhrasesOrNotPrefixesAndFields) {
  Write({"TITLE=Regulation of gene drives AUTHOR=Xue Yang JOURNAL=Nature Ecology DOI=10.5555/1",
         "TITLE=Drives of gene regulation AUTHOR=Lin Wei JOURNAL=Science DOI=10.5555/2",
         "TITLE=Laboratory regulations in China DOI=10.5555/3",
         "TITLE=Genome editing rules DOI=10.5555/4"});
  using Titles = std::vector<std::string>;
  auto sorted = [](Titles t) {
    std::sort(t.begin(), t.end());
    return t;
  };
  EXPECT_EQ(sorted(Titles(this->Titles("regulations"))),
            sorted({"Drives of gene regulation", "Laboratory regulations in China",
                    "Regulation of gene drives"}));
  EXPECT_EQ(this->Titles("\"gene drives\""), Titles{"Regulation of gene drives"});
  // A quoted word matches its exact form only.
  EXPECT_EQ(this->Titles("\"regulations\""), Titles{"Laboratory regulations in China"});
  EXPECT_EQ(sorted(this->Titles("china OR editing")),
            sorted({"Laboratory regulations in China", "Genome editing rules"}));
  EXPECT_EQ(sorted(this->Titles("regulation -drives")), Titles{"Laboratory regulations in China"});
  // Words without a prefix match passage text: xue is only an author.
  EXPECT_EQ(sorted(this->Titles("regulation NOT (china OR xue)")).size(), 2u);
  EXPECT_EQ(sorted(this->Titles("regulation NOT (china OR author:xue)")),
            Titles{"Drives of gene regulation"});
  EXPECT_EQ(sorted(this->Titles("gen*")),
            sorted({"Drives of gene regulation", "Genome editing rules", "Regulation of gene drives"}));
  EXPECT_EQ(this->Titles("regulation author:xue"), Titles{"Regulation of gene drives"});
  EXPECT_EQ(this->Titles("journal:science"), Titles{"Drives of gene regulation"});
  EXPECT_EQ(this->Titles("title:china"), Titles{"Laboratory regulations in China"});
}

TEST_F(FullTextSearchTest, ChineseRunsOfCharactersAreFound) {
  Write({"TITLE=中华人民共和国生物安全法 DOI=10.5555/zh.1", "TITLE=生物技术与安全 DOI=10.5555/zh.2"});
  EXPECT_EQ(Titles("安全法"), std::vector<std::string>{"中华人民共和国生物安全法"});
  EXPECT_EQ(Titles("生物安全"), std::vector<std::string>{"中华人民共和国生物安全法"});
  EXPECT_EQ(Titles("生物").size(), 2u);
  absl::StatusOr<FullTextPage> page = Search("安全法");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results[0].highlights_size(), 1);
  EXPECT_EQ(page->results[0].highlights(0).start_char(), 9);
  EXPECT_EQ(page->results[0].highlights(0).end_char(), 12);
  EXPECT_EQ(page->results[0].highlights(0).start_byte(), 27);
}

TEST_F(FullTextSearchTest, ASearchPastItsTimeAnswersWithATotalThatIsABound) {
  Write({"TITLE=Smallpox stocks DOI=10.5555/t.1", "TITLE=Smallpox vaccine DOI=10.5555/t.2"});
  absl::StatusOr<QueryNode> parsed = ParseQuery("smallpox");
  ASSERT_TRUE(parsed.ok());
  FullTextRequest request;
  request.query = *parsed;
  request.page_size = 20;
  // The query service gives a search the call's deadline, and at most 20 s.
  absl::StatusOr<FullTextPage> in_time = SearchFullText(
      replica_->reader(), request, std::chrono::steady_clock::now() + std::chrono::seconds(20));
  ASSERT_TRUE(in_time.ok()) << in_time.status();
  EXPECT_EQ(in_time->total_size, 2);
  EXPECT_FALSE(in_time->total_size_is_bound);
  absl::StatusOr<FullTextPage> late = SearchFullText(
      replica_->reader(), request, std::chrono::steady_clock::now() - std::chrono::seconds(1));
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE(late->total_size_is_bound);
  EXPECT_LE(late->results.size(), 2u);
}

TEST_F(FullTextSearchTest, AReplacedOrDeletedDocumentLeavesTheResultsInItsBatch) {
  Write({"TITLE=Smallpox stocks DOI=10.5555/r.1", "TITLE=Anthrax letters DOI=10.5555/r.2"});
  EXPECT_EQ(Titles("smallpox").size(), 1u);
  Write({"TITLE=Variola stocks DOI=10.5555/r.1"});
  EXPECT_TRUE(Titles("smallpox").empty());
  EXPECT_EQ(Titles("variola"), std::vector<std::string>{"Variola stocks"});
  EXPECT_EQ(Titles("stocks"), std::vector<std::string>{"Variola stocks"});
  // Replaced twice within one group: only the last version is found.
  Write({"TITLE=First anthrax DOI=10.5555/r.3", "TITLE=Second anthrax DOI=10.5555/r.3"});
  EXPECT_EQ(Titles("anthrax").size(), 2u);
  EXPECT_TRUE(Titles("first").empty());
  absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds("", 10);
  ASSERT_TRUE(ids.ok());
  for (const std::string& id : *ids) ASSERT_TRUE(writer_->Delete(id).ok());
  ASSERT_TRUE(replica_->CatchUp().ok());
  EXPECT_TRUE(Titles("anthrax").empty());
  EXPECT_TRUE(Titles("variola").empty());
}

TEST_F(FullTextSearchTest, PagesNeitherRepeatNorSkipWhileDocumentsArrive) {
  std::vector<std::string> records;
  for (int i = 0; i < 25; ++i) {
    std::string title = "biosafety";
    for (int r = 0; r < i % 5; ++r) title += " biosafety";
    records.push_back("TITLE=" + title + " review " + std::to_string(i) +
                      " DOI=10.5555/p." + std::to_string(i));
  }
  Write(records);
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    absl::StatusOr<FullTextPage> page = Search("biosafety", 4, after);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::SearchResult& r : page->results) {
      EXPECT_TRUE(seen.insert(r.passage().name()).second) << r.passage().name();
    }
    after = page->next_after;
    // Documents arrive between pages, some ranking above the cursor.
    Write({"TITLE=biosafety biosafety biosafety biosafety new " + std::to_string(pages) +
           " DOI=10.5555/new." + std::to_string(pages)});
    ++pages;
  } while (!after.empty() && pages < 50);
  EXPECT_GE(seen.size(), 25u);
  EXPECT_EQ(Search("biosafety", 4, "not a cursor").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Document order.
  absl::StatusOr<FullTextPage> ordered = Search("review", 100, "", /*document_order=*/true);
  ASSERT_TRUE(ordered.ok());
  for (size_t i = 1; i < ordered->results.size(); ++i) {
    EXPECT_LT(ordered->results[i - 1].passage().name(), ordered->results[i].passage().name());
  }
}

TEST_F(FullTextSearchTest, ADatabaseWrittenBeforeTheTextIndexIsIndexedInTheBackground) {
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) {
    records.push_back("TITLE=Backfill record " + std::to_string(i) + " DOI=10.5555/bf." +
                      std::to_string(i));
  }
  Write(records);
  // Make it a database of the time before the text index: no postings, no
  // text counters, no "complete".
  replica_.reset();
  ASSERT_TRUE(writer_->Close().ok());
  {
    CorpusDbOptions options;
    options.path = temp_.path() + "/db";
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    rocksdb::WriteBatch batch;
    const ColumnFamilies& f = (*db)->families();
    batch.DeleteRange(f.text, std::string(1, '\0'), std::string(1, '\xff'));
    for (const char* key : {kTextIndexCompleteKey, kTextTokenCountKey, kTextBlockCountKey}) {
      batch.Delete(f.meta, key);
    }
    batch.DeleteRange(f.meta, "text/block/", "text/block0");
    ASSERT_TRUE((*db)->Write(&batch, true).ok());
    ASSERT_TRUE((*db)->Close().ok());
  }
  SetUp();
  EXPECT_TRUE(Titles("backfill").empty());
  absl::StatusOr<FullTextPage> before = Search("record");
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->total_size_is_bound);

  // A first chunk by hand, as a run a restart stopped would leave it; the
  // backfill goes on from there.
  absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds("", 64);
  ASSERT_TRUE(ids.ok());
  absl::StatusOr<int> first = writer_->IndexText(*ids);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 64);
  TextBackfill backfill(writer_.get());
  ASSERT_TRUE(backfill.Run().ok());
  EXPECT_EQ(backfill.indexed(), 36);
  EXPECT_TRUE(backfill.complete());
  ASSERT_TRUE(replica_->CatchUp().ok());
  absl::StatusOr<FullTextPage> after = Search("backfill", 200);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total_size, 100);
  EXPECT_FALSE(after->total_size_is_bound);
  // Once complete, a second run does nothing.
  TextBackfill again(writer_.get());
  ASSERT_TRUE(again.Run().ok());
  EXPECT_EQ(again.indexed(), 0);
}

}  // namespace
}  // namespace biocorpus
