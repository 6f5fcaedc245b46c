#include "corpus/storage/corpus_db.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "corpus/storage/schema.h"
#include "gtest/gtest.h"
#include "rocksdb/perf_context.h"
#include "rocksdb/perf_level.h"
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

TEST_F(CorpusDbTest, MemtablesCarryBloomFilters) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenAt(path(), Mode::kPrimary);
  ASSERT_TRUE(db.ok()) << db.status();
  rocksdb::WriteBatch batch;
  for (int i = 0; i < 100; ++i) {
    batch.Put((*db)->families().passages, absl::StrCat("00000000000000", 10 + i), "x");
    batch.Put((*db)->families().tags, TagKey("topic/a", absl::StrCat("00000000000000", 10 + i), 0),
              "");
  }
  ASSERT_TRUE((*db)->Write(&batch, /*sync=*/false).ok());
  // Nothing is flushed: every read below is answered by the memtable alone.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  std::string value;
  EXPECT_TRUE((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->families().passages,
                               "0000000000000010", &value).ok());
  EXPECT_TRUE((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->families().passages,
                               "00000000000000ff", &value).IsNotFound());
  EXPECT_EQ(rocksdb::get_perf_context()->bloom_memtable_hit_count, 1u);
  EXPECT_EQ(rocksdb::get_perf_context()->bloom_memtable_miss_count, 1u);
  // A prefix scan of a concept the memtable lacks stops at the filter.
  rocksdb::get_perf_context()->Reset();
  rocksdb::ReadOptions scan;
  scan.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it((*db)->db()->NewIterator(scan, (*db)->families().tags));
  it->Seek(TagPrefix("topic/b"));
  EXPECT_FALSE(it->Valid());
  EXPECT_EQ(rocksdb::get_perf_context()->bloom_memtable_miss_count, 1u);
  it->Seek(TagPrefix("topic/a"));
  EXPECT_TRUE(it->Valid());
  EXPECT_EQ(rocksdb::get_perf_context()->bloom_memtable_hit_count, 1u);
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
}

TEST_F(CorpusDbTest, PrefixScansOfTheIndexesFindEveryKeyAcrossTables) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenAt(path(), Mode::kPrimary);
  ASSERT_TRUE(db.ok()) << db.status();
  rocksdb::ColumnFamilyHandle* tags = (*db)->families().tags;
  rocksdb::ColumnFamilyHandle* citations = (*db)->families().citations;
  // Concept "topic/a" in every table, beside ids it is a prefix of; one
  // citation key per table, beside a longer normalized key.
  std::vector<std::string> expected_tags;
  std::vector<std::string> expected_citations;
  for (int table = 0; table < 3; ++table) {
    rocksdb::WriteBatch batch;
    const std::string doc = absl::StrCat("000000000000000", table);
    for (uint32_t ordinal : {0u, 256u, kDocumentLevelOrdinal}) {
      expected_tags.push_back(TagKey("topic/a", doc, ordinal));
      batch.Put(tags, expected_tags.back(), "");
      batch.Put(tags, TagKey("topic/ab", doc, ordinal), "");
      batch.Put(tags, TagKey("topic/", doc, ordinal), "");
    }
    const std::string doi = std::string("doi\0", 4) + "10.1/x" + std::string("\0", 1);
    expected_citations.push_back(doi + doc);
    batch.Put(citations, expected_citations.back(), "");
    batch.Put(citations, std::string("doi\0", 4) + "10.1/xy" + std::string("\0", 1) + doc, "");
    ASSERT_TRUE((*db)->Write(&batch, /*sync=*/false).ok());
    ASSERT_TRUE((*db)->db()->Flush(rocksdb::FlushOptions(), {tags, citations}).ok());
  }
  std::sort(expected_tags.begin(), expected_tags.end());
  auto scan = [&](rocksdb::ColumnFamilyHandle* family, const std::string& prefix) {
    rocksdb::ReadOptions options;
    options.prefix_same_as_start = true;
    std::unique_ptr<rocksdb::Iterator> it((*db)->db()->NewIterator(options, family));
    std::vector<std::string> keys;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      keys.push_back(it->key().ToString());
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return keys;
  };
  EXPECT_EQ(scan(tags, TagPrefix("topic/a")), expected_tags);
  EXPECT_TRUE(scan(tags, TagPrefix("topic/b")).empty());
  EXPECT_EQ(scan(citations, std::string("doi\0", 4) + "10.1/x" + std::string("\0", 1)),
            expected_citations);

  rocksdb::TablePropertiesCollection tables;
  ASSERT_TRUE((*db)->db()->GetPropertiesOfAllTables(tags, &tables).ok());
  ASSERT_EQ(tables.size(), 3u);
  for (const auto& [file, properties] : tables) {
    EXPECT_EQ(properties->prefix_extractor_name, "biocorpus.TagPrefix") << file;
  }
}

}  // namespace
}  // namespace biocorpus
