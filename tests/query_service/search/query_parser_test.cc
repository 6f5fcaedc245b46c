#include "query_service/search/query_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using Kind = QueryNode::Kind;

TEST(QueryParserTest, ParsesTheReadersSyntax) {
  absl::StatusOr<QueryNode> q = ParseQuery("gene drives");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->kind, Kind::kAnd);
  ASSERT_EQ(q->children.size(), 2u);
  EXPECT_EQ(q->children[1].kind, Kind::kWord);
  EXPECT_EQ(q->children[1].words[0], "drive");

  q = ParseQuery("\"gene drives\" OR crispr");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->kind, Kind::kOr);
  EXPECT_EQ(q->children[0].kind, Kind::kPhrase);
  EXPECT_EQ(q->children[0].words, (std::vector<std::string>{"gene", "drives"}));

  q = ParseQuery("biosafety -laboratory NOT (gene OR drive) title:law author:Xue journal:nature regul*");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->children.size(), 7u);
  EXPECT_EQ(q->children[1].kind, Kind::kNot);
  EXPECT_EQ(q->children[2].kind, Kind::kNot);
  EXPECT_EQ(q->children[2].children[0].kind, Kind::kOr);
  EXPECT_EQ(q->children[3].field, TextField::kTitle);
  EXPECT_EQ(q->children[4].field, TextField::kAuthor);
  EXPECT_EQ(q->children[5].field, TextField::kJournal);
  EXPECT_EQ(q->children[6].kind, Kind::kPrefix);
  EXPECT_EQ(q->children[6].words[0], "regul");

  // CJK text and hyphenated words are phrases.
  q = ParseQuery("安全法");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->kind, Kind::kPhrase);
  EXPECT_EQ(q->words.size(), 3u);
  q = ParseQuery("gain-of-function");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->kind, Kind::kPhrase);
}

TEST(QueryParserTest, BadQueriesNameTheirPosition) {
  struct Case {
    std::string query;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "no words"},
      {"  ,, ", "no words"},
      {"\"gene drive", "unbalanced quote at byte 0"},
      {"(gene drive", "'(' not closed at byte 0"},
      {"gene) drive", "')' without '(' at byte 4"},
      {"doi:10.1/x", "unknown field 'doi:'"},
      {"gene doi:10.1/x", "at byte 5"},
      {"-gene", "NOT needs a word"},
      {"gene OR -drive", "NOT needs a word"},
      {"gene NOT", "a word is missing at byte 8"},
      {"ge-ne*", "a prefix* must be one word at byte 0"},
      {std::string(1025, 'a'), "1025 bytes; at most 1024"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query.substr(0, 40));
    absl::StatusOr<QueryNode> q = ParseQuery(c.query);
    ASSERT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(q.status().message().find(c.message), absl::string_view::npos) << q.status();
  }
  std::string many;
  for (int i = 0; i < 65; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_NE(ParseQuery(many).status().message().find("at most 64"), absl::string_view::npos);
}

}  // namespace
}  // namespace biocorpus
