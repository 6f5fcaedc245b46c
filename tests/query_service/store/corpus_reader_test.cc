#include "query_service/store/corpus_reader.h"

#include "query_service/store/replica.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/writer/document_writer.h"
#include "tests/support/prepared_documents.h"
#include "tests/support/corpus_fixtures.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

class CorpusReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = testing::OpenTestWriter(temp_.path() + "/db");
    ASSERT_NE(writer_, nullptr);
    // The test catches up by hand.
    replica_ = testing::OpenTestReplica(temp_.path() + "/db", temp_.path() + "/secondary");
    ASSERT_NE(replica_, nullptr);
    reader_ = &replica_->reader();
  }

  std::string Write(const std::string& text) {
    absl::StatusOr<WriteResult> written = writer_->Write(testing::PrepareUntagged(text).front());
    EXPECT_TRUE(written.ok()) << written.status();
    return written->document.name().substr(10);
  }

  testing::TempDir temp_;
  std::unique_ptr<DocumentWriter> writer_;
  std::unique_ptr<Replica> replica_;
  const CorpusReader* reader_ = nullptr;
};

TEST_F(CorpusReaderTest, SeesWritesOnceItCatchesUp) {
  const std::string id = Write("TITLE=Late Arrival DOI=10.5555/late");
  EXPECT_EQ(reader_->GetDocument(id).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(replica_->CatchUp().ok());
  absl::StatusOr<v1::Document> document = reader_->GetDocument(id);
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->title(), "Late Arrival");
  absl::StatusOr<uint64_t> count = reader_->DocumentCount();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
}

TEST_F(CorpusReaderTest, PagesThroughDocumentsAndPassagesInKeyOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Write("TITLE=Doc " + std::to_string(i) + " DOI=10.5555/page." +
                        std::to_string(i) + " AUTHOR=Ode Ama YEAR=" +
                        std::to_string(2018 + i) + " ABSTRACT=Text."));
  }
  std::sort(ids.begin(), ids.end());
  ASSERT_TRUE(replica_->CatchUp().ok());
  std::vector<std::string> seen;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<Page<v1::Document>> page = reader_->ListDocuments({}, 2, after);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->items.size(), 2u);
    for (const v1::Document& d : page->items) seen.push_back(d.name().substr(10));
    if (page->next_after.empty()) break;
    after = page->next_after;
  }
  EXPECT_EQ(seen, ids);

  DocumentFilter filter;
  filter.year_min = 2020;
  filter.year_max = 2021;
  filter.author = "ode";
  absl::StatusOr<Page<v1::Document>> filtered = reader_->ListDocuments(filter, 10, "");
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->items.size(), 2u);
  filter.format = v1::MIRRORED_ARTICLE;
  filtered = reader_->ListDocuments(filter, 10, "");
  ASSERT_TRUE(filtered.ok());
  EXPECT_TRUE(filtered->items.empty());

  absl::StatusOr<Page<std::string>> passages = reader_->ListPassages(ids[0], 1, -1);
  ASSERT_TRUE(passages.ok());
  ASSERT_EQ(passages->items.size(), 1u);
  v1::Passage passage;
  ASSERT_TRUE(passage.ParseFromString(passages->items[0]));
  EXPECT_EQ(passage.type(), v1::TITLE);
  EXPECT_EQ(passages->next_after, "0");
  passages = reader_->ListPassages(ids[0], 1, 0);
  ASSERT_TRUE(passages.ok());
  ASSERT_EQ(passages->items.size(), 1u);
  ASSERT_TRUE(passage.ParseFromString(passages->items[0]));
  EXPECT_EQ(passage.type(), v1::ABSTRACT);
  EXPECT_EQ(passage.ordinal(), 1);
  EXPECT_EQ(passages->next_after, "");
  EXPECT_EQ(reader_->ListPassages("0000000000000000", 10, -1).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CorpusReaderOpenTest, IsUnavailableBeforeThePrimaryCreatesTheDatabase) {
  testing::TempDir temp;
  ReplicaOptions options;
  options.data_dir = temp.path() + "/missing";
  options.secondary_dir = temp.path() + "/secondary";
  EXPECT_EQ(Replica::Open(options).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace biocorpus
