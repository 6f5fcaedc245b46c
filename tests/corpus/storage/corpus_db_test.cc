#include "corpus/storage/corpus_db.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "corpus/storage/schema.h"
#include "gtest/gtest.h"
#include "rocksdb/table_properties.h"
#include "rocksdb/write_batch.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

using Mode = CorpusDbOptions::Mode;

absl::StatusOr<std::unique_ptr<CorpusDb>> OpenAt(const std::string& path, Mode mode,
                                                 const std::string& secondary = "") {
  CorpusDbOptions options;
  options.path = path;
  options.mode = mode;
  options.secondary_path = secondary;
  return CorpusDb::Open(options);
}

class CorpusDbTest : public ::testing::Test {
 protected:
  std::string path() const { return temp_.path() + "/db"; }
  testing::TempDir temp_;
};

TEST_F(CorpusDbTest, APrimaryCreatesTheDatabaseAndRecordsTheSchemaVersion) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenAt(path(), Mode::kPrimary);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::string> version = (*db)->ReadMeta(kSchemaVersionKey);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, kSchemaVersion);
  EXPECT_EQ((*db)->ReadMeta("absent").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<uint64_t> counter = (*db)->ReadCounter(kDocumentCountKey);
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(*counter, 0u);
  EXPECT_TRUE((*db)->Close().ok());
  // Every call after Close fails; a second Close is fine.
  EXPECT_EQ((*db)->ReadDocument("0123456789abcdef").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*db)->Close().ok());
}

TEST_F(CorpusDbTest, ReadersFindNoDatabaseUntilThePrimaryCreatesIt) {
  EXPECT_EQ(OpenAt(path(), Mode::kReadOnly).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(OpenAt(path(), Mode::kSecondary, temp_.path() + "/secondary").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(CorpusDbTest, ASecondarySeesThePrimarysWritesOnceItCatchesUp) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> primary = OpenAt(path(), Mode::kPrimary);
  ASSERT_TRUE(primary.ok()) << primary.status();
  absl::StatusOr<std::unique_ptr<CorpusDb>> secondary =
      OpenAt(path(), Mode::kSecondary, temp_.path() + "/secondary");
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  v1::Document document;
  document.set_name("documents/0123456789abcdef");
  document.set_title("Stored");
  rocksdb::WriteBatch batch;
  batch.Put((*primary)->families().documents, "0123456789abcdef", document.SerializeAsString());
  batch.Put((*primary)->families().meta, kDocumentCountKey, EncodeCounter(1));
  ASSERT_TRUE((*primary)->Write(&batch, /*sync=*/false).ok());
  EXPECT_EQ((*secondary)->ReadDocument("0123456789abcdef").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE((*secondary)->CatchUpWithPrimary().ok());
  absl::StatusOr<v1::Document> read = (*secondary)->ReadDocument("0123456789abcdef");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->title(), "Stored");
  EXPECT_EQ((*secondary)->Sequence(), (*primary)->Sequence());
  absl::StatusOr<std::vector<std::optional<v1::Document>>> both =
      (*secondary)->ReadDocuments({"0123456789abcdef", "fedcba9876543210"});
  ASSERT_TRUE(both.ok()) << both.status();
  ASSERT_EQ(both->size(), 2u);
  EXPECT_TRUE((*both)[0].has_value());
  EXPECT_FALSE((*both)[1].has_value());
  absl::StatusOr<uint64_t> count = (*secondary)->ReadCounter(kDocumentCountKey);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
}

TEST_F(CorpusDbTest, AnotherSchemaVersionIsRefused) {
  {
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenAt(path(), Mode::kPrimary);
    ASSERT_TRUE(db.ok()) << db.status();
    rocksdb::WriteBatch batch;
    batch.Put((*db)->families().meta, kSchemaVersionKey, "0");
    ASSERT_TRUE((*db)->Write(&batch, /*sync=*/true).ok());
    ASSERT_TRUE((*db)->Close().ok());
  }
  absl::StatusOr<std::unique_ptr<CorpusDb>> again = OpenAt(path(), Mode::kPrimary);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("schema version 0"), absl::string_view::npos)
      << again.status();
}

}  // namespace
}  // namespace biocorpus

namespace biocorpus {
namespace {

TEST(PrefixSuccessorTest, IsTheFirstKeyPastEveryKeyWithThePrefix) {
  EXPECT_EQ(PrefixSuccessor(std::string("topic/a\0", 8)), std::string("topic/a\x01", 8));
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST_F(CorpusDbTest, StoredTablesCarryBloomFilters) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenAt(path(), Mode::kPrimary);
  ASSERT_TRUE(db.ok()) << db.status();
  rocksdb::WriteBatch batch;
  for (int i = 0; i < 100; ++i) {
    batch.Put((*db)->families().documents, absl::StrCat("00000000000000", 10 + i), "x");
  }
  ASSERT_TRUE((*db)->Write(&batch, /*sync=*/false).ok());
  ASSERT_TRUE((*db)->db()->Flush(rocksdb::FlushOptions(), (*db)->families().documents).ok());
  rocksdb::TablePropertiesCollection tables;
  ASSERT_TRUE(
      (*db)->db()->GetPropertiesOfAllTables((*db)->families().documents, &tables).ok());
  ASSERT_FALSE(tables.empty());
  for (const auto& [file, properties] : tables) {
    EXPECT_EQ(properties->filter_policy_name, "bloomfilter")
        << file << ": " << properties->filter_policy_name;
    EXPECT_GT(properties->filter_size, 0u) << file;
  }
  std::string value;
  EXPECT_TRUE((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->families().documents,
                               "0000000000000010", &value).ok());
  EXPECT_TRUE((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->families().documents,
                               "00000000000000ff", &value).IsNotFound());
}

}  // namespace
}  // namespace biocorpus
