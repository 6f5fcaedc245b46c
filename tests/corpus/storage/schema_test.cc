// Pins the on-disk key layout of every column family: a change here is a
// change of the database format (and of kSchemaVersion).

#include "corpus/storage/schema.h"

#include <string>
#include <vector>

#include "corpus/citations/citation_keys.h"
#include "corpus/search/text_index.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;

// A string with embedded NUL bytes.
std::string Bytes(const char* data, size_t size) { return std::string(data, size); }

constexpr char kId[] = "0123456789abcdef";

TEST(SchemaTest, ColumnFamiliesInOpenOrder) {
  EXPECT_THAT(ColumnFamilyNames(), ElementsAre("default", "documents", "passages", "tag_index",
                                               "citation_index", "meta", "text_index",
                                               "analytics"));
  EXPECT_STREQ(kSchemaVersion, "1");
}

TEST(SchemaTest, EveryKeyHasItsLayout) {
  struct Case {
    const char* family;
    std::string key;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"documents", DocIdFromName(std::string("documents/") + kId), kId},
      {"documents", DocIdFromName(kId), kId},
      {"passages", PassageKey(kId, 0), Bytes("0123456789abcdef\0\0\0\0", 20)},
      {"passages", PassageKey(kId, 258), Bytes("0123456789abcdef\0\0\x01\x02", 20)},
      {"tag_index", TagKey("topic/x", kId, 3), Bytes("topic/x\0" "0123456789abcdef\0\0\0\x03", 28)},
      {"tag_index", TagKey("topic/x", kId, kDocumentLevelOrdinal),
       Bytes("topic/x\0" "0123456789abcdef\xFF\xFF\xFF\xFF", 28)},
      {"tag_index", TagPrefix("topic/x"), Bytes("topic/x\0", 8)},
      {"citation_index", CitationKey(CitationKeyKind::kDoi, "10.1/x", kId),
       Bytes("doi\0" "10.1/x\0" "0123456789abcdef", 27)},
      {"citation_index", CitationKey(CitationKeyKind::kDoi, "10.1/x", kId, 2),
       Bytes("doi\0" "10.1/x\0" "0123456789abcdef\0\0\0\x02", 31)},
      {"citation_index", CitationKey(CitationKeyKind::kUrl, "https://a.org/b", kId),
       Bytes("url\0" "https://a.org/b\0" "0123456789abcdef", 36)},
      {"citation_index", CitationKey(CitationKeyKind::kTitle, "a title", kId),
       Bytes("title\0" "a title\0" "0123456789abcdef", 30)},
      {"citation_index", CitationKey(CitationKeyKind::kAuthor, "xue 2022", kId),
       Bytes("author\0" "xue 2022\0" "0123456789abcdef", 32)},
      {"citation_index", CitationKey(CitationKeyKind::kTitleWord, "title", kId),
       Bytes("titleword\0" "title\0" "0123456789abcdef", 32)},
      {"citation_index", CitationPrefix(CitationKeyKind::kDoi, "10.1/x", true),
       Bytes("doi\0" "10.1/x\0", 11)},
      {"citation_index", CitationPrefix(CitationKeyKind::kAuthor, "xue ", false),
       Bytes("author\0" "xue ", 11)},
      {"meta", kSchemaVersionKey, "schema_version"},
      {"meta", kDocumentCountKey, "count/documents"},
      {"meta", kPassageCountKey, "count/passages"},
      {"meta", kVocabularyVersionKey, "vocabulary/version"},
      {"meta", kVocabularyTextKey, "vocabulary/text"},
      {"meta", TagPassageCountKey("topic/x"), "tags/passages/topic/x"},
      {"meta", TagDocumentCountKey("topic/x"), "tags/documents/topic/x"},
      {"meta (value)", EncodeCounter(258), Bytes("\0\0\0\0\0\0\x01\x02", 8)},
      {"meta", TextBlockKey(kId), "text/block/0123456789abcdef"},
      {"meta", kTextIndexCompleteKey, "text/complete"},
      {"meta", kTextBackfillCursorKey, "text/backfill_through"},
      {"meta", kTextTokenCountKey, "count/text_tokens"},
      {"meta", kTextBlockCountKey, "count/text_blocks"},
      {"text_index", TextTermKey('p', "regul", 258), Bytes("pregul\0\0\0\0\0\0\0\x01\x02", 15)},
      {"text_index", TextTermKey('P', "安全", 1), Bytes("P安全\0\0\0\0\0\0\0\0\x01", 16)},
      {"text_index", TextTermPrefix('t', "law"), Bytes("tlaw\0", 5)},
      {"text_index (removal)", TextRemoval(kId), "R0123456789abcdef"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.family) + " " + c.bytes);
    EXPECT_EQ(c.key, c.bytes);
  }
  EXPECT_EQ(DecodeCounter(EncodeCounter(258)), 258u);
  EXPECT_EQ(PassageOrdinalFromKey(PassageKey(kId, 258)), 258u);
  EXPECT_EQ(BlockOfTermKey(TextTermKey('p', "regul", 258)), 258u);
  EXPECT_EQ(TermOfKey(TextTermKey('p', "regul", 258)), "regul");
}

TEST(SchemaTest, TextPostingsRoundTrip) {
  TextPosting posting;
  posting.ordinal = 3;
  posting.length = 12;
  posting.count = 2;
  posting.positions = {4, 300};
  std::string value;
  AppendPosting(kId, posting, /*with_positions=*/true, &value);
  // Doc id, then varints: ordinal 3, length 12, count 2, positions 4 and
  // 300 - 4 = 296 (two bytes).
  EXPECT_EQ(value, std::string(kId) + Bytes("\x03\x0c\x02\x04\xa8\x02", 6));
  std::vector<TextPosting> decoded;
  ASSERT_TRUE(DecodePostings(value, true, &decoded));
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].doc_id, kId);
  EXPECT_EQ(decoded[0].positions, (std::vector<uint32_t>{4, 300}));
  EXPECT_FALSE(DecodePostings("short", true, &decoded));
}

TEST(SchemaTest, TagKeysOfADocumentAreSortedAndUnique) {
  v1::Document document;
  document.set_name(std::string("documents/") + kId);
  document.add_tags()->set_concept("place/china");
  std::vector<v1::Passage> passages(2);
  passages[0].set_ordinal(0);
  passages[0].add_annotations()->set_concept("topic/x");
  passages[0].add_annotations()->set_concept("topic/x");
  passages[1].set_ordinal(1);
  passages[1].add_annotations()->set_concept("place/china");
  EXPECT_THAT(TagKeysFor(document, passages),
              ElementsAre(TagKey("place/china", kId, 1),
                          TagKey("place/china", kId, kDocumentLevelOrdinal),
                          TagKey("topic/x", kId, 0)));
}

TEST(SchemaTest, CitationKeysOfADocumentCoverItsRecordAndItsLinks) {
  v1::Document document;
  document.set_name(std::string("documents/") + kId);
  document.set_doi("10.5555/own");
  document.set_url("https://Example.org/page/");
  document.set_title("Gene Drives");
  document.set_year(2022);
  document.add_authors()->set_family("Xue");
  std::vector<v1::Passage> passages(1);
  passages[0].set_ordinal(1);
  v1::Link* publisher = passages[0].add_links();
  publisher->set_url("https://www.science.org/doi/10.1126/science.aan5197");
  v1::Link* plain = passages[0].add_links();
  plain->set_url("https://news.example/a");
  EXPECT_THAT(
      CitationKeysFor(document, passages),
      ElementsAre(CitationKey(CitationKeyKind::kAuthor, "xue 2022", kId),
                  CitationKey(CitationKeyKind::kDoi, "10.1126/science.aan5197", kId, 1),
                  CitationKey(CitationKeyKind::kDoi, "10.5555/own", kId),
                  CitationKey(CitationKeyKind::kTitle, "gene drives", kId),
                  CitationKey(CitationKeyKind::kTitleWord, "drives", kId),
                  CitationKey(CitationKeyKind::kTitleWord, "gene", kId),
                  CitationKey(CitationKeyKind::kUrl, "https://doi.org/10.5555/own", kId),
                  CitationKey(CitationKeyKind::kUrl, "https://example.org/page", kId),
                  CitationKey(CitationKeyKind::kUrl, "https://news.example/a", kId, 1),
                  CitationKey(CitationKeyKind::kUrl,
                              "https://www.science.org/doi/10.1126/science.aan5197", kId, 1)));
  EXPECT_EQ(CitationCount(passages), 3);
}

}  // namespace
}  // namespace biocorpus
