#include "corpus/analytics/analytics_counters.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "corpus/analytics/counter_recount.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/writer/document_writer.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

v1::Annotation Tag(const std::string& concept_id, v1::ConceptCategory category) {
  v1::Annotation a;
  a.set_concept(concept_id);
  a.set_category(category);
  return a;
}

// A document of year 2024, mirrored, in English, with passages carrying the
// concepts given (all TOPIC unless they start with "org-").
ParsedDocument Document(const std::string& id, const std::string& content,
                        const std::vector<std::vector<std::string>>& passages,
                        const std::vector<std::string>& source_tags = {},
                        const std::vector<std::string>& document_tags = {}) {
  ParsedDocument parsed;
  v1::Document& d = parsed.document;
  d.set_name("documents/" + id);
  d.set_content_sha256(content);
  d.set_year(2024);
  d.set_format(v1::MIRRORED_ARTICLE);
  d.set_language("en");
  for (const std::string& tag : source_tags) d.add_source_tags(tag);
  auto category = [](const std::string& c) {
    return c.rfind("org-", 0) == 0 ? v1::ORGANIZATION : v1::TOPIC;
  };
  for (const std::string& c : document_tags) {
    v1::DocumentTag* tag = d.add_tags();
    tag->set_concept(c);
    tag->set_category(category(c));
  }
  for (size_t i = 0; i < passages.size(); ++i) {
    v1::Passage& p = parsed.passages.emplace_back();
    p.set_name(d.name() + "/passages/" + std::to_string(i));
    p.set_ordinal(static_cast<int32_t>(i));
    p.set_text("passage " + std::to_string(i));
    for (const std::string& c : passages[i]) {
      *p.add_annotations() = Tag(c, category(c));
      // A concept twice in a passage counts once.
      *p.add_annotations() = Tag(c, category(c));
    }
  }
  return parsed;
}

CounterCell Cell2024() { return CounterCell{2024, v1::MIRRORED_ARTICLE, "en"}; }

TEST(AnalyticsCountersTest, KeysParseBack) {
  ParsedCounterKey parsed;
  ASSERT_TRUE(ParseCounterKey(ConceptCounterKey("gene-drive", CounterCell{-5, v1::PLAIN_ABSTRACT, "zh"}),
                              &parsed));
  EXPECT_EQ(parsed.tag, kConceptCounterTag);
  EXPECT_EQ(parsed.name, "gene-drive");
  EXPECT_EQ(parsed.cell.year, -5);
  EXPECT_EQ(parsed.cell.format, v1::PLAIN_ABSTRACT);
  EXPECT_EQ(parsed.cell.language, "zh");
  ASSERT_TRUE(ParseCounterKey(CategoryCounterKey(v1::PERSON, Cell2024()), &parsed));
  EXPECT_EQ(parsed.name, std::to_string(v1::PERSON));
  ASSERT_TRUE(ParseCounterKey(SourceTagCounterKey("news", Cell2024()), &parsed));
  EXPECT_EQ(parsed.name, "news");
  EXPECT_FALSE(ParseCounterKey("Cno-terminator", &parsed));
  EXPECT_FALSE(ParseCounterKey("", &parsed));
  // Years sort as numbers.
  EXPECT_LT(ConceptCounterKey("a", CounterCell{-1}), ConceptCounterKey("a", CounterCell{0}));
  EXPECT_LT(ConceptCounterKey("a", CounterCell{1999}), ConceptCounterKey("a", CounterCell{2000}));
}

TEST(AnalyticsCountersTest, ValuesRoundTripWithoutZeros) {
  CounterEntries entries{{"", {3, -2}}, {"b", {0, 0}}, {"c", {-1, 7}}};
  CounterEntries decoded;
  ASSERT_TRUE(DecodeCounterEntries(EncodeCounterEntries(entries), &decoded));
  EXPECT_THAT(decoded, ElementsAre(Pair("", PassageDocumentCounts{3, -2}),
                                   Pair("c", PassageDocumentCounts{-1, 7})));
  EXPECT_FALSE(DecodeCounterEntries("\x05" "ab", &decoded));
  PassageDocumentCounts own;
  ASSERT_TRUE(DecodeOwnCounts(EncodeCounterEntries(entries), &own));
  EXPECT_EQ(own, (PassageDocumentCounts{3, -2}));
  ASSERT_TRUE(DecodeOwnCounts(EncodeCounterEntries({{"c", {1, 1}}}), &own));
  EXPECT_EQ(own, PassageDocumentCounts());
}

TEST(AnalyticsCountersTest, ADocumentCountsItsConceptsCategoriesAndPairs) {
  CounterDeltaMap deltas;
  AddDocumentCounters(Document("0000000000000001", "x", {{"x", "y"}, {"x"}, {"org-w", "y"}},
                               {"news", "news", "policy"}, {"z"})
                          .document,
                      Document("0000000000000001", "x", {{"x", "y"}, {"x"}, {"org-w", "y"}})
                          .passages,
                      +1, &deltas);
  const CounterCell cell = Cell2024();
  auto one = [&](const std::string& key) { return deltas[key][""]; };
  auto partners = [&](const std::string& concept_id) {
    CounterEntries entries = deltas[ConceptCounterKey(concept_id, cell)];
    entries.erase("");
    return entries;
  };
  EXPECT_EQ(one(TotalCounterKey(cell)), (PassageDocumentCounts{3, 1}));
  EXPECT_EQ(one(SourceTagCounterKey("news", cell)), (PassageDocumentCounts{3, 1}));
  EXPECT_EQ(one(SourceTagCounterKey("policy", cell)), (PassageDocumentCounts{3, 1}));
  EXPECT_EQ(one(ConceptCounterKey("x", cell)), (PassageDocumentCounts{2, 1}));
  EXPECT_EQ(one(ConceptCounterKey("y", cell)), (PassageDocumentCounts{2, 1}));
  EXPECT_EQ(one(ConceptCounterKey("org-w", cell)), (PassageDocumentCounts{1, 1}));
  EXPECT_EQ(one(ConceptCounterKey("z", cell)), (PassageDocumentCounts{0, 1}));
  EXPECT_EQ(one(CategoryCounterKey(v1::TOPIC, cell)), (PassageDocumentCounts{3, 1}));
  EXPECT_EQ(one(CategoryCounterKey(v1::ORGANIZATION, cell)), (PassageDocumentCounts{1, 1}));
  // Pairs under the concept that sorts first: org-w < x < y < z.
  EXPECT_THAT(partners("org-w"), ElementsAre(Pair("x", PassageDocumentCounts{0, 1}),
                                             Pair("y", PassageDocumentCounts{1, 1}),
                                             Pair("z", PassageDocumentCounts{0, 1})));
  EXPECT_THAT(partners("x"), ElementsAre(Pair("y", PassageDocumentCounts{1, 1}),
                                         Pair("z", PassageDocumentCounts{0, 1})));
  EXPECT_THAT(partners("y"), ElementsAre(Pair("z", PassageDocumentCounts{0, 1})));
  EXPECT_THAT(partners("z"), ::testing::IsEmpty());
}

TEST(AnalyticsCountersTest, ADocumentWithTooManyConceptsCountsThemButNoPairs) {
  std::vector<std::string> many;
  for (size_t i = 0; i <= kMaxConceptsForPairs; ++i) many.push_back("c" + std::to_string(i));
  const ParsedDocument parsed = Document("0000000000000002", "y", {many, {"c0", "c1"}});
  CounterDeltaMap deltas;
  AddDocumentCounters(parsed.document, parsed.passages, +1, &deltas);
  const CounterEntries& c0 = deltas[ConceptCounterKey("c0", Cell2024())];
  EXPECT_THAT(c0, ElementsAre(Pair("", PassageDocumentCounts{2, 1})));
  EXPECT_EQ(deltas[ConceptCounterKey("c999", Cell2024())][""], (PassageDocumentCounts{1, 1}));
}

class CountersInStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenWriter(); }

  void OpenWriter() {
    DocumentWriterOptions options;
    options.data_dir = temp_.path() + "/db";
    options.sync_writes = false;
    absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = std::move(*writer);
  }

  // The recount's differences, with the writer closed and the database
  // opened read-only.
  std::vector<std::string> Differences() {
    EXPECT_TRUE(writer_->Close().ok());
    writer_.reset();
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = ReadOnly();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {"cannot open"};
    absl::StatusOr<std::vector<std::string>> differences = RecountAnalyticsCounters(**db);
    EXPECT_TRUE(differences.ok()) << differences.status();
    return differences.ok() ? *differences : std::vector<std::string>{"recount failed"};
  }

  absl::StatusOr<std::unique_ptr<CorpusDb>> ReadOnly() {
    CorpusDbOptions options;
    options.path = temp_.path() + "/db";
    options.mode = CorpusDbOptions::Mode::kReadOnly;
    return CorpusDb::Open(options);
  }

  testing::TempDir temp_;
  std::unique_ptr<DocumentWriter> writer_;
};

TEST_F(CountersInStoreTest, WritesUpdatesDeletesAndRewritesKeepThemExact) {
  ASSERT_TRUE(writer_->Write(Document("00000000000000a1", "1", {{"x", "y"}, {"y"}}, {"news"})).ok());
  ASSERT_TRUE(writer_->Write(Document("00000000000000a2", "2", {{"x"}, {"org-w", "y"}}, {}, {"z"})).ok());
  ASSERT_TRUE(writer_->Write(Document("00000000000000a3", "3", {{"y", "z"}})).ok());
  // An update replaces the old version's counts.
  ASSERT_TRUE(writer_->Write(Document("00000000000000a1", "1b", {{"x"}, {"z"}}, {"policy"})).ok());
  // A group holding the same document twice.
  std::vector<std::vector<ParsedDocument>> group(2);
  group[0].push_back(Document("00000000000000a4", "4", {{"x", "org-w"}}));
  group[1].push_back(Document("00000000000000a4", "4b", {{"y", "org-w"}}));
  for (const auto& result : writer_->WriteGroup(std::move(group))) ASSERT_TRUE(result.ok());
  ASSERT_TRUE(writer_->Delete("00000000000000a3").ok());
  // Re-tagging rewrites a document in place.
  absl::StatusOr<bool> rewritten = writer_->Rewrite(
      "00000000000000a2", [](v1::Document*, std::vector<v1::Passage>* passages) {
        *passages->front().add_annotations() = Tag("q", v1::TOPIC);
        return true;
      });
  ASSERT_TRUE(rewritten.ok() && *rewritten);
  EXPECT_THAT(Differences(), IsEmpty());

  absl::StatusOr<std::unique_ptr<CorpusDb>> db = ReadOnly();
  ASSERT_TRUE(db.ok());
  auto read = [&](const std::string& key) {
    std::string value;
    CounterEntries entries;
    if ((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->families().analytics, key, &value).ok()) {
      EXPECT_TRUE(DecodeCounterEntries(value, &entries));
    }
    return entries;
  };
  const CounterCell cell = Cell2024();
  // a1 (new version), a2, a4: five passages, three documents.
  EXPECT_THAT(read(TotalCounterKey(cell)), ElementsAre(Pair("", PassageDocumentCounts{5, 3})));
  EXPECT_THAT(read(SourceTagCounterKey("news", cell)), IsEmpty());
  // x's own counts, and its pairs with the concepts after it.
  EXPECT_THAT(read(ConceptCounterKey("x", cell)), ElementsAre(Pair("", PassageDocumentCounts{2, 2}),
                                                              Pair("y", PassageDocumentCounts{0, 1}),
                                                              Pair("z", PassageDocumentCounts{0, 2})));
  EXPECT_THAT(read(ConceptCounterKey("q", cell)), ElementsAre(Pair("", PassageDocumentCounts{1, 1}),
                                                              Pair("x", PassageDocumentCounts{1, 1}),
                                                              Pair("y", PassageDocumentCounts{0, 1}),
                                                              Pair("z", PassageDocumentCounts{0, 1})));
}

TEST_F(CountersInStoreTest, ADatabaseWrittenBeforeTheCountersIsCountedOnOpen) {
  for (int i = 0; i < 600; ++i) {
    char id[17];
    std::snprintf(id, sizeof(id), "%016x", i + 1);
    ASSERT_TRUE(writer_->Write(Document(id, std::to_string(i), {{"x", i % 2 ? "y" : "z"}})).ok());
  }
  ASSERT_TRUE(writer_->Close().ok());
  writer_.reset();
  // Take the counters away, as a database written before them would be.
  {
    CorpusDbOptions options;
    options.path = temp_.path() + "/db";
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
    ASSERT_TRUE(db.ok());
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(
        (*db)->db()->NewIterator(rocksdb::ReadOptions(), (*db)->families().analytics));
    for (it->SeekToFirst(); it->Valid(); it->Next()) batch.Delete((*db)->families().analytics, it->key());
    it.reset();
    batch.Delete((*db)->families().meta, kAnalyticsCompleteKey);
    ASSERT_TRUE((*db)->Write(&batch, true).ok());
    ASSERT_TRUE((*db)->Close().ok());
  }
  {
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = ReadOnly();
    ASSERT_TRUE(db.ok());
    absl::StatusOr<std::vector<std::string>> differences = RecountAnalyticsCounters(**db);
    ASSERT_TRUE(differences.ok());
    EXPECT_FALSE(differences->empty());
  }
  OpenWriter();
  EXPECT_THAT(Differences(), IsEmpty());
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = ReadOnly();
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE((*db)->ReadMeta(kAnalyticsCompleteKey).ok());
  EXPECT_FALSE((*db)->ReadMeta(kAnalyticsCursorKey).ok());
}

}  // namespace
}  // namespace biocorpus
