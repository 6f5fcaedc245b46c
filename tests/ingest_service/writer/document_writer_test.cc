#include "ingest_service/writer/document_writer.h"

#include <memory>
#include <string>
#include <vector>

#include "corpus/citations/citation_keys.h"
#include "corpus/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/support/prepared_documents.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;

// Everything stored, read straight from RocksDB after the writer closed.
struct StoredState {
  std::vector<std::string> document_ids;
  std::vector<std::string> passage_keys;
  std::vector<std::string> citation_keys;
  uint64_t document_count = 0;
  uint64_t passage_count = 0;
};

class DocumentWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    DocumentWriterOptions options;
    options.data_dir = temp_.path() + "/db";
    options.sync_writes = false;
    absl::StatusOr<std::unique_ptr<DocumentWriter>> writer =
        DocumentWriter::Open(options);
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = std::move(*writer);
  }

  std::vector<ParsedDocument> Parse(const std::string& text) {
    return testing::PrepareUntagged(text);
  }

  absl::StatusOr<WriteResult> WriteOne(const std::string& text) {
    return writer_->Write(Parse(text).front());
  }

  // Closes the writer and reads every column family.
  StoredState ReadBack() {
    EXPECT_TRUE(writer_->Close().ok());
    writer_.reset();
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = ColumnFamilyDescriptors();
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), temp_.path() + "/db",
                                             families, &handles, &raw)
                    .ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    StoredState state;
    auto keys = [&](int family) {
      std::vector<std::string> out;
      rocksdb::ReadOptions options;
      options.total_order_seek = true;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options, handles[family]));
      for (it->SeekToFirst(); it->Valid(); it->Next()) out.push_back(it->key().ToString());
      return out;
    };
    state.document_ids = keys(1);
    state.passage_keys = keys(2);
    state.citation_keys = keys(4);
    std::string value;
    if (db->Get(rocksdb::ReadOptions(), handles[5], kDocumentCountKey, &value).ok()) {
      state.document_count = DecodeCounter(value);
    }
    if (db->Get(rocksdb::ReadOptions(), handles[5], kPassageCountKey, &value).ok()) {
      state.passage_count = DecodeCounter(value);
    }
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    return state;
  }

  testing::TempDir temp_;
  std::unique_ptr<DocumentWriter> writer_;
};

constexpr char kArticle[] =
    "---\ntitle: Containment\nfrom: https://example.org/a\n---\n"
    "<p>One <a href=\"https://example.org/x\">link</a>.</p><p>Two.</p><p>Three "
    "<a href=\"https://doi.org/10.5555/ref.1\">cites</a>.</p>";
constexpr char kArticleShorter[] =
    "---\ntitle: Containment, revised\nfrom: https://example.org/a/\n---\n"
    "<p>Only one paragraph now.</p>";

TEST_F(DocumentWriterTest, CreatesThenReportsUnchangedThenUpdates) {
  absl::StatusOr<WriteResult> first = WriteOne(kArticle);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->kind, WriteKind::kCreated);
  EXPECT_EQ(first->document.passage_count(), 4);
  EXPECT_TRUE(first->document.has_ingest_time());
  EXPECT_GT(first->sequence, 0u);

  absl::StatusOr<WriteResult> again = WriteOne(kArticle);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, WriteKind::kUnchanged);
  EXPECT_EQ(again->sequence, first->sequence);  // Nothing written.
  EXPECT_EQ(again->document.name(), first->document.name());

  absl::StatusOr<WriteResult> updated = WriteOne(kArticleShorter);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->kind, WriteKind::kUpdated);
  EXPECT_EQ(updated->document.name(), first->document.name());
  EXPECT_GT(updated->sequence, first->sequence);

  // The old version's extra passages and its link entries are gone.
  const StoredState state = ReadBack();
  EXPECT_EQ(state.document_ids.size(), 1u);
  EXPECT_EQ(state.passage_keys.size(), 2u);
  EXPECT_EQ(state.document_count, 1u);
  EXPECT_EQ(state.passage_count, 2u);
  for (const std::string& key : state.citation_keys) {
    EXPECT_THAT(key, ::testing::Not(HasSubstr("ref.1")));
    EXPECT_THAT(key, ::testing::Not(HasSubstr("example.org/x")));
  }
  EXPECT_THAT(state.citation_keys,
              ::testing::Contains(HasSubstr("containment revised")));
}

TEST_F(DocumentWriterTest, WritesCitationEntriesForTheRecordAndEachLink) {
  absl::StatusOr<WriteResult> written = WriteOne(kArticle);
  ASSERT_TRUE(written.ok());
  const std::string id = DocIdFromName(written->document.name());
  const StoredState state = ReadBack();
  const std::vector<std::string> expected = {
      CitationKey(CitationKeyKind::kDoi, "10.5555/ref.1", id, 3),
      CitationKey(CitationKeyKind::kTitle, "containment", id),
      CitationKey(CitationKeyKind::kTitleWord, "containment", id),
      CitationKey(CitationKeyKind::kUrl, "https://doi.org/10.5555/ref.1", id, 3),
      CitationKey(CitationKeyKind::kUrl, "https://example.org/a", id),
      CitationKey(CitationKeyKind::kUrl, "https://example.org/x", id, 1),
  };
  EXPECT_EQ(state.citation_keys, expected);
  EXPECT_EQ(written->citation_count, 3);  // Its own record and two links.
}

TEST_F(DocumentWriterTest, DeleteRemovesEverythingTheDocumentOwns) {
  absl::StatusOr<WriteResult> kept = WriteOne("TITLE=Kept DOI=10.5555/kept AUTHOR=Doe Jane YEAR=2020");
  absl::StatusOr<WriteResult> gone = WriteOne(kArticle);
  ASSERT_TRUE(kept.ok() && gone.ok());
  absl::StatusOr<uint64_t> deleted = writer_->Delete(DocIdFromName(gone->document.name()));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_GT(*deleted, gone->sequence);
  absl::StatusOr<uint64_t> again = writer_->Delete(DocIdFromName(gone->document.name()));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kNotFound);

  const std::string kept_id = DocIdFromName(kept->document.name());
  const StoredState state = ReadBack();
  EXPECT_EQ(state.document_ids, std::vector<std::string>{kept_id});
  EXPECT_EQ(state.document_count, 1u);
  EXPECT_EQ(state.passage_count, 1u);
  for (const std::string& key : state.passage_keys) EXPECT_EQ(key.substr(0, 16), kept_id);
  for (const std::string& key : state.citation_keys) EXPECT_THAT(key, HasSubstr(kept_id));
  // DOI, the DOI's URL, title, title word, author.
  EXPECT_EQ(state.citation_keys.size(), 5u);
}

TEST_F(DocumentWriterTest, RecordsOfOneFileAreWrittenTogether) {
  std::vector<ParsedDocument> records = Parse(
      "TITLE=One DOI=10.5555/r.1\nTITLE=Two DOI=10.5555/r.2\nTITLE=Three DOI=10.5555/r.3\n");
  ASSERT_EQ(records.size(), 3u);
  absl::StatusOr<std::vector<WriteResult>> written = writer_->WriteAll(records);
  ASSERT_TRUE(written.ok()) << written.status();
  ASSERT_EQ(written->size(), 3u);
  for (const WriteResult& result : *written) {
    EXPECT_EQ(result.kind, WriteKind::kCreated);
    EXPECT_EQ(result.sequence, written->front().sequence);
  }
  // The same file again: each record is unchanged.
  written = writer_->WriteAll(records);
  ASSERT_TRUE(written.ok());
  for (const WriteResult& result : *written) EXPECT_EQ(result.kind, WriteKind::kUnchanged);

  // Two records of one identity in one call are refused, and nothing is written.
  std::vector<ParsedDocument> duplicate = {Parse("TITLE=Four DOI=10.5555/r.4").front(),
                                           Parse("TITLE=Four again DOI=10.5555/r.4").front()};
  EXPECT_EQ(writer_->WriteAll(duplicate).status().code(),
            absl::StatusCode::kInvalidArgument);
  const StoredState state = ReadBack();
  EXPECT_EQ(state.document_ids.size(), 3u);
  EXPECT_EQ(state.document_count, 3u);
}

TEST_F(DocumentWriterTest, AGroupCommitsItsRequestsInOrderEachOnItsOwn) {
  std::vector<std::vector<ParsedDocument>> group;
  group.push_back(Parse(kArticle));
  // Refused alone: two records of one identity.
  group.push_back({Parse("TITLE=Four DOI=10.5555/r.4").front(),
                   Parse("TITLE=Four again DOI=10.5555/r.4").front()});
  // Replaces the first request's document within the same group.
  group.push_back(Parse(kArticleShorter));
  group.push_back(Parse("TITLE=Kept DOI=10.5555/kept AUTHOR=Doe Jane YEAR=2020"));
  group.push_back(Parse(kArticleShorter));
  std::vector<absl::StatusOr<std::vector<WriteResult>>> written =
      writer_->WriteGroup(std::move(group));
  ASSERT_EQ(written.size(), 5u);
  ASSERT_TRUE(written[0].ok()) << written[0].status();
  EXPECT_EQ(written[0]->front().kind, WriteKind::kCreated);
  EXPECT_EQ(written[1].status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(written[2].ok()) << written[2].status();
  EXPECT_EQ(written[2]->front().kind, WriteKind::kUpdated);
  EXPECT_EQ(written[2]->front().document.name(), written[0]->front().document.name());
  ASSERT_TRUE(written[3].ok());
  EXPECT_EQ(written[3]->front().kind, WriteKind::kCreated);
  ASSERT_TRUE(written[4].ok());
  EXPECT_EQ(written[4]->front().kind, WriteKind::kUnchanged);
  // One commit: every result carries its sequence.
  EXPECT_GT(written[0]->front().sequence, 0u);
  for (size_t i : {2, 3, 4}) {
    EXPECT_EQ(written[i]->front().sequence, written[0]->front().sequence);
  }

  // The counters and entries are those of the requests applied one by one.
  const StoredState state = ReadBack();
  EXPECT_EQ(state.document_ids.size(), 2u);
  EXPECT_EQ(state.document_count, 2u);
  EXPECT_EQ(state.passage_keys.size(), 3u);
  EXPECT_EQ(state.passage_count, 3u);
  for (const std::string& key : state.citation_keys) {
    EXPECT_THAT(key, ::testing::Not(HasSubstr("ref.1")));
    EXPECT_THAT(key, ::testing::Not(HasSubstr("r.4")));
  }
}

TEST_F(DocumentWriterTest, CountersStayRightAcrossGroupsAndDeletes) {
  std::vector<std::vector<ParsedDocument>> group;
  group.push_back(Parse(kArticle));
  group.push_back(Parse("TITLE=Kept DOI=10.5555/kept AUTHOR=Doe Jane YEAR=2020"));
  ASSERT_TRUE(writer_->WriteGroup(std::move(group))[0].ok());
  absl::StatusOr<WriteResult> article = WriteOne(kArticle);
  ASSERT_TRUE(article.ok());
  ASSERT_TRUE(writer_->Delete(DocIdFromName(article->document.name())).ok());
  absl::StatusOr<uint64_t> count = writer_->DocumentCount();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
  // Reopened, the counters come from the database again.
  ASSERT_TRUE(writer_->Close().ok());
  writer_.reset();
  Open();
  ASSERT_TRUE(WriteOne(kArticle).ok());
  const StoredState state = ReadBack();
  EXPECT_EQ(state.document_count, 2u);
  EXPECT_EQ(state.passage_count, 5u);
}

TEST_F(DocumentWriterTest, DocumentsSurviveReopening) {
  ASSERT_TRUE(WriteOne(kArticle).ok());
  ASSERT_TRUE(writer_->Close().ok());
  writer_.reset();
  Open();
  absl::StatusOr<uint64_t> count = writer_->DocumentCount();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
  absl::StatusOr<WriteResult> again = WriteOne(kArticle);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, WriteKind::kUnchanged);
}

TEST(DocumentWriterOpenTest, RefusesADatabaseOfAnotherSchemaVersion) {
  testing::TempDir temp;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = ColumnFamilyDescriptors();
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, temp.path(), families, &handles, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[5], kSchemaVersionKey, "99").ok());
    for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle);
    delete raw;
  }
  DocumentWriterOptions options;
  options.data_dir = temp.path();
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr("schema version 99"));
}

}  // namespace
}  // namespace biocorpus
