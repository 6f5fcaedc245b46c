#include "corpus/identity/identifiers.h"

#include <string>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

TEST(NormalizeDoiTest, EverySpellingGivesTheSameDoi) {
  const std::string want = "10.3389/fbioe.2022.939295";
  for (const char* spelling :
       {"10.3389/fbioe.2022.939295", "10.3389/FBIOE.2022.939295",
        "doi:10.3389/fbioe.2022.939295", "DOI:10.3389/fbioe.2022.939295",
        "https://doi.org/10.3389/fbioe.2022.939295",
        "http://dx.doi.org/10.3389/fbioe.2022.939295",
        "  https://DOI.org/10.3389/fbioe.2022.939295 "}) {
    SCOPED_TRACE(spelling);
    EXPECT_EQ(NormalizeDoi(spelling), want);
  }
  EXPECT_EQ(NormalizeDoi("not a doi"), "");
  EXPECT_EQ(NormalizeDoi("10.1234"), "");
  EXPECT_EQ(NormalizeDoi("https://example.org/10.1/x"), "");
}

TEST(NormalizeUrlTest, DropsWhatDoesNotIdentifyThePage) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"HTTPS://WWW.Example.ORG/Path/", "https://www.example.org/Path"},
      {"https://example.org/a#section-2", "https://example.org/a"},
      {"https://example.org/a?utm_source=x&id=7&fbclid=y", "https://example.org/a?id=7"},
      {"http://example.org:80/a", "http://example.org/a"},
      {"https://example.org:8443/a", "https://example.org:8443/a"},
      {"https://example.org/", "https://example.org"},
      {"not a url", "not a url"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(NormalizeUrl(c.in), c.out);
  }
}

TEST(ResolveUrlTest, ResolvesEveryKindOfReference) {
  const std::string base = "https://news.example.org/2022/12/article?page=2";
  struct Case {
    const char* ref;
    const char* out;
  };
  const Case cases[] = {
      {"https://other.example/x", "https://other.example/x"},
      {"//cdn.example.org/i.jpg", "https://cdn.example.org/i.jpg"},
      {"/reports/audit.pdf", "https://news.example.org/reports/audit.pdf"},
      {"final.pdf", "https://news.example.org/2022/12/final.pdf"},
      {"../11/older", "https://news.example.org/2022/11/older"},
      {"#notes", "https://news.example.org/2022/12/article?page=2#notes"},
      {"mailto:desk@example.org", "mailto:desk@example.org"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ref);
    EXPECT_EQ(ResolveUrl(base, c.ref), c.out);
  }
  EXPECT_EQ(ResolveUrl("", "/relative"), "/relative");
}

TEST(NormalizeForMatchingTest, FoldsCaseWidthAndPunctuation) {
  EXPECT_EQ(NormalizeForMatching("China\u2019s Advances: A Review!"),
            "china advances a review");
  EXPECT_EQ(NormalizeForMatching("Biden's, Xi's"), "biden xi");
  EXPECT_EQ(NormalizeForMatching("it's sand"), "it sand");
  EXPECT_EQ(NormalizeForMatching("'sand' crisps"), "sand crisps");
  EXPECT_EQ(NormalizeForMatching("Gain-of-Function"), "gain of function");
  EXPECT_EQ(NormalizeForMatching("\uFF2C\uFF29\uFF35"), "liu");  // full-width
  EXPECT_EQ(NormalizeForMatching("STRASSE"), NormalizeForMatching("stra\u00DFe"));
}

TEST(DocumentIdTest, IsStableAndShort) {
  const std::string id = DocumentIdFor("doi:10.3389/fbioe.2022.939295");
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id, DocumentIdFor("doi:10.3389/fbioe.2022.939295"));
  EXPECT_NE(id, DocumentIdFor("doi:10.3389/fbioe.2022.939296"));
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace biocorpus
