#include "corpus/citations/citation_keys.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::ElementsAre;

constexpr char kId[] = "0123456789abcdef";

TEST(CitationKeysTest, KeysDecodeToTheirParts) {
  struct Case {
    CitationKeyKind kind;
    std::string normalized;
    int64_t ordinal;
  };
  const std::vector<Case> cases = {
      {CitationKeyKind::kDoi, "10.1126/science.aan5197", -1},
      {CitationKeyKind::kDoi, "10.1126/science.aan5197", 0},
      {CitationKeyKind::kUrl, "https://a.org/b?q=1", 7},
      {CitationKeyKind::kTitle, "gene drives", -1},
      {CitationKeyKind::kAuthor, "xue 2022", -1},
      {CitationKeyKind::kTitleWord, "drives", -1},
      // An ordinal whose bytes are hex digits, and one that is all ones.
      {CitationKeyKind::kUrl, "https://a.org", 0x61626364},
      {CitationKeyKind::kUrl, "https://a.org", 0xFFFFFFFF},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.normalized + " " + std::to_string(c.ordinal));
    std::optional<CitationKeyParts> parts =
        DecodeCitationKey(CitationKey(c.kind, c.normalized, kId, c.ordinal));
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->kind, c.kind);
    EXPECT_EQ(parts->normalized, c.normalized);
    EXPECT_EQ(parts->doc_id, kId);
    EXPECT_EQ(parts->ordinal.has_value(), c.ordinal >= 0);
    if (c.ordinal >= 0) EXPECT_EQ(*parts->ordinal, static_cast<uint32_t>(c.ordinal));
  }
  EXPECT_FALSE(DecodeCitationKey("").has_value());
  EXPECT_FALSE(DecodeCitationKey(std::string("doi\0short", 9)).has_value());
  EXPECT_FALSE(DecodeCitationKey(std::string("book\0x\0", 7) + kId).has_value());
}

TEST(CitationKeysTest, ALinkCitesTheDoiItsUrlNames) {
  struct Case {
    const char* url;
    const char* doi;
  };
  const std::vector<Case> cases = {
      {"https://doi.org/10.1000/XYZ", "10.1000/xyz"},
      {"https://www.science.org/doi/10.1126/science.aan5197", "10.1126/science.aan5197"},
      {"https://www.science.org/doi/abs/10.1126/science.aan5197", "10.1126/science.aan5197"},
      {"https://www.frontiersin.org/journals/x/articles/10.3389/fbioe.2022.939295/full",
       "10.3389/fbioe.2022.939295"},
      {"https://news.example/doi/not-a-doi", ""},
      {"https://news.example/a", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    v1::Link link;
    link.set_url(c.url);
    EXPECT_EQ(CitedDoi(link), c.doi);
  }
  v1::Link recorded;
  recorded.set_url("https://news.example/a");
  recorded.set_doi("10.5555/recorded");
  EXPECT_EQ(CitedDoi(recorded), "10.5555/recorded");
}

TEST(CitationKeysTest, CitedPrefixesOfADoiAUrlAndAPublisherUrl) {
  absl::StatusOr<std::vector<std::string>> by_doi = CitedPrefixes("DOI:10.5555/X", "");
  ASSERT_TRUE(by_doi.ok());
  EXPECT_THAT(*by_doi, ElementsAre(CitationPrefix(CitationKeyKind::kDoi, "10.5555/x", true),
                                   CitationPrefix(CitationKeyKind::kUrl,
                                                  "https://doi.org/10.5555/x", true)));
  absl::StatusOr<std::vector<std::string>> publisher =
      CitedPrefixes("", "https://www.science.org/doi/10.1126/science.aan5197");
  ASSERT_TRUE(publisher.ok());
  EXPECT_EQ(publisher->front(),
            CitationPrefix(CitationKeyKind::kDoi, "10.1126/science.aan5197", true));
  absl::StatusOr<std::vector<std::string>> by_url = CitedPrefixes("", "http://www.a.org/b/");
  ASSERT_TRUE(by_url.ok());
  EXPECT_EQ(by_url->size(), 4u);
  EXPECT_EQ(by_url->front(), CitationPrefix(CitationKeyKind::kUrl, "http://www.a.org/b", true));
  EXPECT_EQ(CitedPrefixes("not a doi", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CitedPrefixes("", "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CitationKeysTest, UrlVariantsCoverSchemesAndWww) {
  EXPECT_THAT(UrlVariants("https://www.a.org/b"),
              ElementsAre("https://www.a.org/b", "https://a.org/b", "http://a.org/b",
                          "http://www.a.org/b"));
  EXPECT_THAT(UrlVariants("ftp://a.org/b"), ElementsAre("ftp://a.org/b"));
}

}  // namespace
}  // namespace biocorpus
