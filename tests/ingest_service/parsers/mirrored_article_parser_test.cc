#include "ingest_service/parsers/mirrored_article_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ingest_service/parsers/fixture_loader.h"

namespace biocorpus {
namespace {

using ::biocorpus::testing::Families;
using ::biocorpus::testing::Fixture;
using ::biocorpus::testing::Givens;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ExpectedLink {
  std::string anchor;
  std::string url;
};

struct ExpectedPassage {
  v1::PassageType type;
  std::string text;
  std::vector<ExpectedLink> links;
};

struct Expected {
  std::string fixture;
  std::string title;
  std::vector<std::string> literals;
  std::vector<std::string> families;
  std::vector<std::string> givens;
  std::string date;
  int year;
  std::string url;
  std::vector<std::string> tags;
  std::vector<std::string> categories;
  std::vector<std::pair<std::string, std::string>> extra;
  std::vector<ExpectedPassage> passages;
};

std::vector<std::string> Literals(const v1::Document& doc) {
  std::vector<std::string> out;
  for (const v1::Author& a : doc.authors()) out.push_back(a.literal());
  return out;
}

TEST(MirroredArticleParserTest, EveryVariantParsesToItsFieldsAndPassages) {
  const std::string html_base = "https://policy.example.org/commentary/";
  const Expected cases[] = {
      {"html_body.md",
       "Gene Drives & the Precautionary Principle: What Regulators Can Learn",
       {"Maya Rosen", "Kofi Mensah"},
       {"Rosen", "Mensah"},
       {"Maya", "Kofi"},
       "2021-09-14T08:00:00.000Z",
       2021,
       "https://policy.example.org/commentary/gene-drives-precaution",
       {"gene drive", "\u751F\u7269\u5B89\u5168"},
       {"\u4E2D\u53C2\u9986"},
       {{"comments", "True"}, {"layout", "post"}},
       {{v1::TITLE,
         "Gene Drives & the Precautionary Principle: What Regulators Can Learn",
         {}},
        {v1::CREDIT, "Lab Photo Desk", {}},
        {v1::CAPTION, "Mosquito cages in a contained insectary, 2020.", {}},
        {v1::PARAGRAPH,
         "Gene drives spread an engineered trait through a wild population. "
         "The Cartagena Protocol was not written with them in mind.",
         {{"Cartagena Protocol", "https://treaties.example.org/cbd/cartagena"}}},
        {v1::HEADING, "Three lessons", {}},
        {v1::PARAGRAPH,
         "Stage field trials, as the staged-trial guidance suggests.",
         {{"staged-trial guidance", html_base + "guidance/staged-trials"}}},
        {v1::PARAGRAPH, "Consult the communities affected.", {}},
        {v1::PARAGRAPH, "Precaution is a process, not a prohibition.", {}},
        {v1::CAPTION, "Field trials approved per year.", {}},
        {v1::PARAGRAPH,
         "Regulators in several countries and the same agency again.",
         {{"several countries", "https://gov.example.org/biosafety"},
          {"same agency", "https://gov.example.org/biosafety"}}}}},
      {"markdown_body.md",
       "Export Controls on Synthesis Equipment Tighten",
       {"Lena Vogt", "Arjun Patel"},
       {"Vogt", "Patel"},
       {"Lena", "Arjun"},
       "2024-02-01",
       2024,
       "https://news.example.org/2024/02/export-controls-synthesis",
       {"export controls"},
       {},
       {},
       {{v1::TITLE, "Export Controls on Synthesis Equipment Tighten", {}},
        {v1::PARAGRAPH,
         "New rules list benchtop DNA synthesizers among controlled items, "
         "following the Australia Group consensus.",
         {{"Australia Group", "https://www.example.org/australia-group"}}},
        {v1::HEADING, "What changes", {}},
        {v1::PARAGRAPH,
         "Vendors must screen customers, see the agency notice for details.",
         {{"agency notice", "https://news.example.org/notices/2024-01.html"}}},
        {v1::PARAGRAPH, "Licences are needed for shipments outside the group.", {}},
        {v1::PARAGRAPH, "Existing contracts get a transition period.", {}}}},
      {"cjk_values.md",
       "\u751F\u7269\u5B89\u5168\u6CD5\u5B9E\u65BD\u4E24\u5468\u5E74 & "
       "\u5B9E\u9A8C\u5BA4\u7BA1\u7406",
       {"\u738B\u82B3", "\u674E\u96F7", "Zhang Wei"},
       {"\u738B", "\u674E", "Wei"},
       {"\u82B3", "\u96F7", "Zhang"},
       "2023-04-15 09:00:00 +0800",
       2023,
       "https://cn.example.org/news/2023/biosafety-law-two-years",
       {"\u751F\u7269\u5B89\u5168\u6CD5", "\u5B9E\u9A8C\u5BA4"},
       {"\u65B0\u95FB"},
       {},
       {{v1::TITLE,
         "\u751F\u7269\u5B89\u5168\u6CD5\u5B9E\u65BD\u4E24\u5468\u5E74 & "
         "\u5B9E\u9A8C\u5BA4\u7BA1\u7406",
         {}},
        {v1::PARAGRAPH,
         "\u300A\u751F\u7269\u5B89\u5168\u6CD5\u300B\u5B9E\u65BD\u4E24\u5468"
         "\u5E74\u4E4B\u9645\uFF0C\u591A\u5730\u5F00\u5C55\u5B9E\u9A8C\u5BA4"
         "\u751F\u7269\u5B89\u5168\u68C0\u67E5\u3002\u6CD5\u5F8B\u5168\u6587"
         "\u89C1\u6B64\u3002",
         {{"\u6CD5\u5F8B\u5168\u6587", "https://cn.example.org/law"}}},
        {v1::PARAGRAPH, "Inspections covered BSL-2 and BSL-3 laboratories.", {}}}},
  };
  const MirroredArticleParser parser;
  for (const Expected& want : cases) {
    SCOPED_TRACE(want.fixture);
    absl::StatusOr<ParsedDocument> parsed =
        parser.Parse(Fixture("mirrored_articles/" + want.fixture));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    const v1::Document& doc = parsed->document;
    EXPECT_EQ(doc.format(), v1::MIRRORED_ARTICLE);
    EXPECT_EQ(doc.title(), want.title);
    EXPECT_EQ(Literals(doc), want.literals);
    EXPECT_EQ(Families(doc), want.families);
    EXPECT_EQ(Givens(doc), want.givens);
    EXPECT_EQ(doc.date(), want.date);
    EXPECT_EQ(doc.year(), want.year);
    EXPECT_EQ(doc.url(), want.url);
    EXPECT_EQ(std::vector<std::string>(doc.source_tags().begin(), doc.source_tags().end()),
              want.tags);
    EXPECT_EQ(std::vector<std::string>(doc.categories().begin(), doc.categories().end()),
              want.categories);
    std::vector<std::pair<std::string, std::string>> extra(
        doc.extra_metadata().begin(), doc.extra_metadata().end());
    std::sort(extra.begin(), extra.end());
    EXPECT_EQ(extra, want.extra);
    ASSERT_EQ(parsed->passages.size(), want.passages.size());
    for (size_t i = 0; i < want.passages.size(); ++i) {
      SCOPED_TRACE(i);
      const v1::Passage& passage = parsed->passages[i];
      EXPECT_EQ(passage.type(), want.passages[i].type);
      EXPECT_EQ(passage.text(), want.passages[i].text);
      ASSERT_EQ(passage.links_size(), static_cast<int>(want.passages[i].links.size()));
      for (int j = 0; j < passage.links_size(); ++j) {
        const v1::Link& link = passage.links(j);
        EXPECT_EQ(link.anchor_text(), want.passages[i].links[j].anchor);
        EXPECT_EQ(link.url(), want.passages[i].links[j].url);
        EXPECT_EQ(passage.text().substr(link.span().start_byte(),
                                        link.span().end_byte() - link.span().start_byte()),
                  link.anchor_text());
      }
    }
  }
}

TEST(MirroredArticleParserTest, RefusesBrokenFrontMatterNamingTheLine) {
  struct Case {
    std::string fixture;
    std::string message;
  };
  const Case cases[] = {
      {"bad/unclosed_front_matter.md", "front matter opened on line 1 never closes"},
      {"bad/bad_yaml.md", "front matter line"},
      {"bad/front_matter_not_mapping.md", "not a YAML mapping"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fixture);
    absl::StatusOr<ParsedDocument> parsed =
        MirroredArticleParser().Parse(Fixture(c.fixture));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message));
  }
}

TEST(MirroredArticleParserTest, RefusesHtmlNestedDeeperThanTheLimit) {
  std::string deep = "---\ntitle: Deep\n---\n";
  for (int i = 0; i < 1000000; ++i) deep += "<div>";
  deep += "text";
  absl::StatusOr<ParsedDocument> parsed = MirroredArticleParser().Parse(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("line 4: HTML elements nest deeper than 1000 levels"));

  // Many unclosed paragraphs are siblings, not nesting: accepted.
  std::string flat = "---\ntitle: Flat\n---\n";
  for (int i = 0; i < 5000; ++i) flat += "<p>para " + std::to_string(i) + "\n";
  parsed = MirroredArticleParser().Parse(flat);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->passages.size(), 5001u);
}

TEST(MirroredArticleParserTest, DetectsFrontMatter) {
  EXPECT_TRUE(MirroredArticleParser::HasFrontMatter("\n---\ntitle: x\n---\n"));
  EXPECT_FALSE(MirroredArticleParser::HasFrontMatter("TITLE=x\n---\n"));
}

}  // namespace
}  // namespace biocorpus
