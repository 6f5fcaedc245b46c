// The consistency check on a database the real pipeline wrote (the samples,
// tagged, updated, deleted and re-tagged), then on copies of it damaged one
// way each: every damage is named, the intact database has no problem, and
// checking changes no file.

#include "corpus/check/consistency_check.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/citations/citation_keys.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "ingest_service/pipeline/retagger.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "rocksdb/write_batch.h"
#include "tests/support/corpus_fixtures.h"
#include "tests/support/server_process.h"

namespace biocorpus::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

ConsistencyReport Check(const std::string& path) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenForCheck(path);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return {};
  absl::StatusOr<ConsistencyReport> report = CheckConsistency(**db);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : ConsistencyReport();
}

// Names, sizes and modification times of every file under `dir`.
std::map<std::string, std::string> Listing(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    files[entry.path().string()] = absl::StrCat(
        entry.file_size(), "@", entry.last_write_time().time_since_epoch().count());
  }
  return files;
}

class ConsistencyCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir();
    const std::string path = Intact();
    std::unique_ptr<DocumentWriter> writer = OpenTestWriter(path);
    ASSERT_NE(writer, nullptr);
    absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
    ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
    absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
    ASSERT_TRUE(matcher.ok()) << matcher.status();
    const ConceptTagger tagger(std::move(*matcher));
    IngestPipeline pipeline(IngestPipelineOptions(), &tagger, writer.get());
    std::set<std::string> names;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(BIOCORPUS_SAMPLES_DIR)) {
      if (!entry.is_regular_file()) continue;
      DocumentInput input;
      input.content = ReadAll(entry.path());
      input.source_uri = entry.path().filename().string();
      absl::StatusOr<IngestOutcome> outcome = pipeline.Ingest(input, CallControl());
      ASSERT_TRUE(outcome.ok()) << entry.path() << ": " << outcome.status();
      for (const RecordOutcome& record : *outcome) names.insert(record.written.document.name());
    }
    // A document written, replaced and one more deleted.
    DocumentInput record;
    record.content = "TITLE=Gene drive oversight DOI=10.5555/check.1 ABSTRACT=CRISPR gene drives.";
    absl::StatusOr<IngestOutcome> written = pipeline.Ingest(record, CallControl());
    ASSERT_TRUE(written.ok()) << written.status();
    names.insert(written->front().written.document.name());
    record.content = "TITLE=Gene drive oversight DOI=10.5555/check.1 ABSTRACT=Gene drives, again.";
    ASSERT_TRUE(pipeline.Ingest(record, CallControl()).ok());
    record.content = "TITLE=Deleted DOI=10.5555/check.2 ABSTRACT=Biosafety in Wuhan.";
    absl::StatusOr<IngestOutcome> deleted = pipeline.Ingest(record, CallControl());
    ASSERT_TRUE(deleted.ok()) << deleted.status();
    ASSERT_TRUE(writer->Delete(DocIdFromName(deleted->front().written.document.name())).ok());
    const Retagger retagger(&tagger, writer.get());
    ASSERT_TRUE(retagger.Run(/*force=*/true).ok());
    ASSERT_TRUE(writer->Close().ok());
    documents_ = names.size();
  }

  static void TearDownTestSuite() {
    delete temp_;
    temp_ = nullptr;
  }

  static std::string Intact() { return temp_->path() + "/intact"; }

  // A copy of the intact database with `damage` done to it through a
  // primary open; the report of checking the copy.
  ConsistencyReport CheckDamaged(
      const std::function<void(CorpusDb& db, rocksdb::WriteBatch* batch)>& damage) {
    const std::string copy = absl::StrCat(temp_->path(), "/copy", copies_++);
    last_copy_ = copy;
    std::filesystem::copy(Intact(), copy, std::filesystem::copy_options::recursive);
    {
      CorpusDbOptions options;
      options.path = copy;
      absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
      EXPECT_TRUE(db.ok()) << db.status();
      if (!db.ok()) return {};
      rocksdb::WriteBatch batch;
      damage(**db, &batch);
      EXPECT_TRUE((*db)->Write(&batch, /*sync=*/false).ok());
      EXPECT_TRUE((*db)->Close().ok());
    }
    return Check(copy);
  }

  // The first key of `family`.
  static std::string FirstKey(CorpusDb& db, rocksdb::ColumnFamilyHandle* family) {
    rocksdb::ReadOptions options;
    options.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(options, family));
    it->SeekToFirst();
    EXPECT_TRUE(it->Valid());
    return it->Valid() ? it->key().ToString() : std::string();
  }

  static TempDir* temp_;
  static size_t documents_;  // Stored in the intact database.
  static int copies_;
  std::string last_copy_;
};

TempDir* ConsistencyCheckTest::temp_ = nullptr;
size_t ConsistencyCheckTest::documents_ = 0;
int ConsistencyCheckTest::copies_ = 0;

TEST_F(ConsistencyCheckTest, TheIntactDatabaseHasNoProblemAndEveryFamilyIsRead) {
  const std::map<std::string, std::string> before = Listing(Intact());
  const ConsistencyReport report = Check(Intact());
  EXPECT_THAT(report.problems, IsEmpty()) << FormatConsistencyReport(report);
  EXPECT_THAT(report.notes, IsEmpty());
  EXPECT_GE(documents_, 10u);
  EXPECT_EQ(report.documents, documents_);
  EXPECT_GT(report.passages, report.documents);
  EXPECT_GT(report.tag_entries, report.passages);
  EXPECT_GT(report.citation_entries, report.documents);
  EXPECT_GT(report.text_postings, report.passages);
  EXPECT_GT(report.analytics_counters, 0u);
  EXPECT_GT(report.meta_counters, 3u);
  EXPECT_THAT(FormatConsistencyReport(report),
              HasSubstr(absl::StrCat("consistent: ", documents_, " documents")));
  EXPECT_EQ(Listing(Intact()), before) << "the check changed a file";
}

TEST_F(ConsistencyCheckTest, AMissingTagEntryIsNamed) {
  std::string removed;
  const ConsistencyReport report = CheckDamaged([&](CorpusDb& db, rocksdb::WriteBatch* batch) {
    removed = FirstKey(db, db.families().tags);
    batch->Delete(db.families().tags, removed);
  });
  ASSERT_EQ(report.problems.size(), 1u) << FormatConsistencyReport(report);
  const std::string doc_id = removed.substr(removed.size() - 20, 16);
  EXPECT_THAT(report.problems[0],
              AllOf(HasSubstr("tag_index: document " + doc_id), HasSubstr("missing 1")));
}

TEST_F(ConsistencyCheckTest, AnEntryOfADocumentNotStoredIsNamed) {
  const ConsistencyReport report = CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    batch->Put(db.families().tags, TagKey("topic/biosafety", "00000000deadbeef", 0), "");
    batch->Put(db.families().citations,
               CitationKey(CitationKeyKind::kDoi, "10.5555/ghost", "00000000deadbeef"), "");
  });
  EXPECT_THAT(report.problems,
              Contains(AllOf(HasSubstr("tag_index: 1 entry (first topic/biosafety\\x00"),
                             HasSubstr("00000000deadbeef, which is not stored"))));
  EXPECT_THAT(report.problems, Contains(HasSubstr("citation_index: 1 entry (first doi")));
  EXPECT_EQ(report.problems.size(), 2u) << FormatConsistencyReport(report);
}

TEST_F(ConsistencyCheckTest, ALostPassageIsNamedWithWhatPointedToIt) {
  std::string key;
  const ConsistencyReport report = CheckDamaged([&](CorpusDb& db, rocksdb::WriteBatch* batch) {
    key = FirstKey(db, db.families().passages);
    batch->Delete(db.families().passages, key);
  });
  const std::string doc_id = key.substr(0, 16);
  EXPECT_THAT(report.problems,
              Contains(AllOf(HasSubstr("documents/" + doc_id), HasSubstr("passages, "))));
  // Its annotations and postings now point to nothing the record implies.
  EXPECT_THAT(report.problems, Contains(HasSubstr("text_index: document " + doc_id)));
  EXPECT_FALSE(report.ok());
}

TEST_F(ConsistencyCheckTest, ALostCitationEntryIsNamed) {
  const ConsistencyReport report = CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    batch->Delete(db.families().citations, FirstKey(db, db.families().citations));
  });
  ASSERT_EQ(report.problems.size(), 1u) << FormatConsistencyReport(report);
  EXPECT_THAT(report.problems[0], AllOf(HasSubstr("citation_index: document"),
                                        HasSubstr("missing 1")));
}

TEST_F(ConsistencyCheckTest, AStalePostingIsNamed) {
  std::string key;
  const ConsistencyReport report = CheckDamaged([&](CorpusDb& db, rocksdb::WriteBatch* batch) {
    key = FirstKey(db, db.families().text);
    // Its postings as if written again in a later block.
    std::string value;
    ASSERT_TRUE(db.db()->Get(rocksdb::ReadOptions(), db.families().text, key, &value).ok());
    batch->Put(db.families().text,
               TextTermKey(key[0], TermOfKey(key), BlockOfTermKey(key) + 1000), value);
  });
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("text_index: "),
                                              HasSubstr("whose postings are in block"))));
  EXPECT_THAT(report.problems, Contains(HasSubstr("count/text_blocks")));
}

TEST_F(ConsistencyCheckTest, AWrongCounterIsNamedWithItsRecount) {
  const ConsistencyReport report = CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    batch->Put(db.families().meta, kDocumentCountKey, EncodeCounter(documents_ + 1));
    batch->Put(db.families().meta, TagDocumentCountKey("topic/no-such-topic"), EncodeCounter(2));
    batch->Delete(db.families().meta, kPassageCountKey);
  });
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(absl::StrCat("meta: counter count/documents is ", documents_ + 1,
                                              ", a recount gives ", documents_))));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr("tags/documents/topic/no-such-topic is 2, a recount gives 0")));
  EXPECT_THAT(report.problems, Contains(HasSubstr("meta: counter count/passages is 0")));
  EXPECT_EQ(report.problems.size(), 3u) << FormatConsistencyReport(report);
}

TEST_F(ConsistencyCheckTest, AWrongAnalyticsCounterIsNamed) {
  const ConsistencyReport report = CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    EncodedCounters deltas;
    v1::Document document;
    document.set_name("documents/00000000deadbeef");
    document.set_year(2024);
    document.set_language("en");
    AppendDocumentCounters(document, {}, +1, &deltas);
    MergeCounterDeltas(deltas, db.families().analytics, batch);
  });
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.problems,
              Contains(AllOf(HasSubstr("analytics: T "), HasSubstr(" 2024 "),
                             HasSubstr("stored passages 0 documents 1, recounted 0 and 0"))));
}

TEST_F(ConsistencyCheckTest, ALostDocumentRecordLeavesOrphansNamed) {
  const ConsistencyReport report = CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    batch->Delete(db.families().documents, FirstKey(db, db.families().documents));
  });
  for (const char* family : {"passages: ", "tag_index: ", "citation_index: ", "text_index: "}) {
    EXPECT_THAT(report.problems,
                Contains(AllOf(HasSubstr(family), HasSubstr("entries (first"),
                               HasSubstr("which is not stored"))));
  }
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(absl::StrCat("count/documents is ", documents_,
                                              ", a recount gives ", documents_ - 1))));
}

TEST_F(ConsistencyCheckTest, TheCommandExitsByWhatItFound) {
  const std::string binary = BIOCORPUS_CHECK_BINARY;
  CommandResult intact = RunCommand(binary + " --data_dir=" + Intact() + " 2>&1");
  EXPECT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_THAT(intact.output, HasSubstr(absl::StrCat("consistent: ", documents_, " documents")));

  CheckDamaged([](CorpusDb& db, rocksdb::WriteBatch* batch) {
    batch->Delete(db.families().tags, FirstKey(db, db.families().tags));
  });
  CommandResult bad = RunCommand(binary + " --data_dir=" + last_copy_ + " 2>&1");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_THAT(bad.output, AllOf(HasSubstr("problem: tag_index"), HasSubstr("INCONSISTENT")));

  CommandResult missing = RunCommand(binary + " --data_dir=" + temp_->path() + "/none 2>&1");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("no database at"));
  CommandResult both = RunCommand(binary + " 2>&1");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.output, HasSubstr("give one of --data_dir and --snapshot_dir"));
}

}  // namespace
}  // namespace biocorpus::testing
