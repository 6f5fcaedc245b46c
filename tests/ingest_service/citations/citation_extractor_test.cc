// The citations stage, after the stages before it (parse, passages).

#include "ingest_service/citations/citation_extractor.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/pipeline/document_preparer.h"

namespace biocorpus {
namespace {

absl::StatusOr<std::vector<ParsedDocument>> Prepare(const std::string& text) {
  return DocumentPreparer(DocumentParserOptions(), nullptr)
      .Prepare(text, v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
}

TEST(CitationExtractorTest, DoisWrittenInTheTextBecomeReferences) {
  const std::string text =
      "TITLE=Mentions DOI=10.5555/self.1 ABSTRACT=See doi:10.5555/ABC.1, and "
      "https://doi.org/10.5555/xyz-2 (also 10.5555/xyz-2). Not 210.5555/no or 10.55/short.";
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      Prepare(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::Passage& abstract = parsed->front().passages[1];
  std::vector<std::pair<std::string, std::string>> mentions;
  for (const v1::Link& link : abstract.links()) {
    EXPECT_EQ(link.kind(), v1::Link::DOI_MENTION);
    EXPECT_EQ(link.url(), "https://doi.org/" + link.doi());
    EXPECT_EQ(abstract.text().substr(link.span().start_byte(),
                                     link.span().end_byte() - link.span().start_byte()),
              link.anchor_text());
    mentions.emplace_back(link.anchor_text(), link.doi());
  }
  EXPECT_EQ(mentions, (std::vector<std::pair<std::string, std::string>>{
                          {"10.5555/ABC.1", "10.5555/abc.1"},
                          {"10.5555/xyz-2", "10.5555/xyz-2"},
                          {"10.5555/xyz-2", "10.5555/xyz-2"}}));
  // A hyperlink whose anchor is the DOI is one reference, not two.
  parsed = Prepare(
      "---\ntitle: T\n---\n<p>Data: <a href=\"https://doi.org/10.5555/d.1\">10.5555/d.1</a>.</p>");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->front().passages[1].links_size(), 1);
  EXPECT_EQ(parsed->front().passages[1].links(0).kind(), v1::Link::HYPERLINK);
  EXPECT_EQ(parsed->front().passages[1].links(0).doi(), "10.5555/d.1");
}

TEST(CitationExtractorTest, PublisherLinksCiteTheDoiInTheirPath) {
  absl::StatusOr<std::vector<ParsedDocument>> parsed = Prepare(
      "---\ntitle: T\n---\n<p>The <a href=\"https://www.science.org/doi/10.1126/science.aan5197\">"
      "paper</a> and <a href=\"https://news.example/a\">a story</a>.</p>");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::Passage& paragraph = parsed->front().passages[1];
  ASSERT_EQ(paragraph.links_size(), 2);
  EXPECT_EQ(paragraph.links(0).kind(), v1::Link::HYPERLINK);
  EXPECT_EQ(paragraph.links(0).doi(), "10.1126/science.aan5197");
  EXPECT_EQ(paragraph.links(1).doi(), "");
}

TEST(CitationExtractorTest, ExtractingTwiceAddsNothing) {
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      Prepare("TITLE=Twice ABSTRACT=See doi:10.5555/once.1 here.");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ParsedDocument again = parsed->front();
  CitationExtractor().Extract(&again);
  ASSERT_EQ(again.passages[1].links_size(), 1);
  EXPECT_EQ(again.passages[1].SerializeAsString(),
            parsed->front().passages[1].SerializeAsString());
}

}  // namespace
}  // namespace biocorpus
