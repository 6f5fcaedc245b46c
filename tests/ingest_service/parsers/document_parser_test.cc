#include "ingest_service/parsers/document_parser.h"

#include "ingest_service/pipeline/document_preparer.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ingest_service/parsers/fixture_loader.h"

namespace biocorpus {
namespace {

using ::biocorpus::testing::Fixture;
using ::testing::HasSubstr;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The format each folder of documents holds.
v1::DocumentFormat FormatOfFolder(const std::string& path) {
  if (path.find("/citation_records/") != std::string::npos) return v1::CITATION_RECORD;
  if (path.find("/mirrored_articles/") != std::string::npos) return v1::MIRRORED_ARTICLE;
  return v1::PLAIN_ABSTRACT;
}

std::vector<std::string> GoodDocuments() {
  std::vector<std::string> files;
  for (const std::string& dir :
       {std::string(BIOCORPUS_SAMPLES_DIR),
        std::string(BIOCORPUS_FIXTURES_DIR) + "/citation_records",
        std::string(BIOCORPUS_FIXTURES_DIR) + "/mirrored_articles",
        std::string(BIOCORPUS_FIXTURES_DIR) + "/plain_abstracts"}) {
    for (const std::string& file : FilesIn(dir)) files.push_back(file);
  }
  return files;
}

TEST(DocumentParserTest, DetectsTheFormatOfEverySampleAndFixture) {
  const std::vector<std::string> files = GoodDocuments();
  ASSERT_GE(files.size(), 20u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    EXPECT_EQ(DetectFormat(ReadAll(file)), FormatOfFolder(file));
  }
}

TEST(DocumentParserTest, AnExplicitFormatOverridesDetection) {
  // Detected as a citation record; read as a plain abstract when asked.
  const std::string text = "TITLE=Not really a record, just a sentence.\n";
  absl::StatusOr<std::vector<ParsedDocument>> detected =
      DocumentParser().Parse(text, v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
  ASSERT_TRUE(detected.ok()) << detected.status();
  EXPECT_EQ(detected->front().document.format(), v1::CITATION_RECORD);
  absl::StatusOr<std::vector<ParsedDocument>> forced =
      DocumentParser().Parse(text, v1::PLAIN_ABSTRACT, "");
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(forced->front().document.format(), v1::PLAIN_ABSTRACT);
  EXPECT_EQ(forced->front().passages.front().text(),
            "TITLE=Not really a record, just a sentence.");
  // A front-matter document forced to be a citation record has no fields.
  absl::StatusOr<std::vector<ParsedDocument>> wrong = DocumentParser().Parse(
      Fixture("mirrored_articles/markdown_body.md"), v1::CITATION_RECORD, "");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DocumentParserTest, EverySpanSlicesToItsTextInBytesAndCodePoints) {
  int links = 0;
  for (const std::string& file : GoodDocuments()) {
    SCOPED_TRACE(file);
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        DocumentPreparer(DocumentParserOptions(), nullptr)
            .Prepare(ReadAll(file), v1::DOCUMENT_FORMAT_UNSPECIFIED, file);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    for (const ParsedDocument& document : *parsed) {
      int offset = 0;
      for (const v1::Passage& passage : document.passages) {
        EXPECT_EQ(passage.offset(), offset);
        offset += static_cast<int>(passage.text().size()) + 1;
        // Decode the passage into code points to slice by character.
        std::vector<std::string> chars;
        for (size_t i = 0; i < passage.text().size();) {
          size_t n = 1;
          while (i + n < passage.text().size() &&
                 (static_cast<unsigned char>(passage.text()[i + n]) & 0xC0) == 0x80) {
            ++n;
          }
          chars.push_back(passage.text().substr(i, n));
          i += n;
        }
        for (const v1::Link& link : passage.links()) {
          ++links;
          const v1::Span& span = link.span();
          const std::string by_bytes = passage.text().substr(
              span.start_byte(), span.end_byte() - span.start_byte());
          std::string by_chars;
          for (int c = span.start_char(); c < span.end_char(); ++c) by_chars += chars[c];
          EXPECT_EQ(by_bytes, link.anchor_text());
          EXPECT_EQ(by_chars, link.anchor_text());
        }
      }
    }
  }
  EXPECT_GE(links, 10);
}

TEST(DocumentParserTest, IdentityComesFromDoiThenUrlThenContent) {
  const DocumentParser parser;
  auto name_of = [&](const std::string& text) {
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        parser.Parse(text, v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return parsed.ok() ? parsed->front().document.name() : std::string();
  };
  // The same DOI in two spellings, with different titles: one document.
  EXPECT_EQ(name_of("TITLE=A DOI=10.5555/Same.1"),
            name_of("TITLE=B DOI=https://doi.org/10.5555/same.1"));
  EXPECT_NE(name_of("TITLE=A DOI=10.5555/same.1"), name_of("TITLE=A DOI=10.5555/same.2"));
  // No DOI: the URL, normalized.
  EXPECT_EQ(name_of("TITLE=A URL=https://Example.org/a/"),
            name_of("TITLE=B URL=https://example.org/a#top"));
  // Neither: the content.
  EXPECT_NE(name_of("TITLE=A"), name_of("TITLE=B"));
  EXPECT_EQ(name_of("TITLE=A"), name_of("TITLE=A"));
  EXPECT_THAT(name_of("TITLE=A"), ::testing::MatchesRegex("documents/[0-9a-f]{16}"));
}

TEST(DocumentParserTest, RecordsOfOneFileAreSeparateDocuments) {
  absl::StatusOr<std::vector<ParsedDocument>> parsed = DocumentParser().Parse(
      Fixture("citation_records/several_records.txt"), v1::DOCUMENT_FORMAT_UNSPECIFIED,
      "several_records.txt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  std::set<std::string> names, hashes;
  for (const ParsedDocument& document : *parsed) {
    names.insert(document.document.name());
    hashes.insert(document.document.content_sha256());
    EXPECT_EQ(document.document.source_uri(), "several_records.txt");
  }
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(hashes.size(), 3u);

  absl::StatusOr<std::vector<ParsedDocument>> twice = DocumentParser().Parse(
      "TITLE=One DOI=10.5555/dup\nTITLE=Two DOI=10.5555/DUP\n",
      v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(twice.status().message()), HasSubstr("same identity"));
}

TEST(DocumentParserTest, RefusesBadInputWithAnActionableMessage) {
  struct Case {
    std::string name;
    std::string content;
    absl::StatusCode code;
    std::string message;
  };
  std::string deep = "---\ntitle: Deep\n---\n";
  for (int i = 0; i < 1000000; ++i) deep += "<span><b>";
  const Case cases[] = {
      {"empty", "", absl::StatusCode::kInvalidArgument, "content is empty"},
      {"white space", " \n\t\r\n ", absl::StatusCode::kInvalidArgument, "content is empty"},
      {"invalid UTF-8", "TITLE=caf\xE9 au lait", absl::StatusCode::kInvalidArgument,
       "not valid UTF-8 at byte 9"},
      {"NUL", std::string("TITLE=a\0b", 9), absl::StatusCode::kInvalidArgument,
       "NUL byte at byte 7"},
      {"binary", std::string("\x7F" "ELF\x02\x01\x01", 7), absl::StatusCode::kInvalidArgument,
       "control character 0x02 at byte 4"},
      {"no title or DOI", "AUTHOR=Doe Jane YEAR=2020", absl::StatusCode::kInvalidArgument,
       "neither TITLE nor DOI"},
      {"unclosed front matter", Fixture("bad/unclosed_front_matter.md"),
       absl::StatusCode::kInvalidArgument, "never closes"},
      {"deep HTML", deep, absl::StatusCode::kInvalidArgument, "nest deeper than"},
      {"too large", std::string(2000, 'a'), absl::StatusCode::kResourceExhausted,
       "over the limit of 1000 bytes"},
      {"huge title", "TITLE=" + std::string(10000, 't'), absl::StatusCode::kInvalidArgument,
       "title is 10000 bytes; a title may have at most 8192"},
  };
  DocumentParserOptions options;
  options.max_document_bytes = 1000;
  const DocumentParser small(options);
  const DocumentParser normal;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const DocumentParser& parser = c.name == "too large" ? small : normal;
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        parser.Parse(c.content, v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), c.code);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace biocorpus

namespace biocorpus {
namespace {

TEST(DocumentParserTest, AStrayControlCharacterIsDroppedWithAWarning) {
  const std::string text = "TITLE=Bell\bcurve of biosafety DOI=10.5555/stray.1";
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      DocumentParser().Parse(text, v1::DOCUMENT_FORMAT_UNSPECIFIED, "");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->front().document.title(), "Bellcurve of biosafety");
  ASSERT_FALSE(parsed->front().warnings.empty());
  EXPECT_EQ(parsed->front().warnings.front(), "dropped control character 0x08 at byte 10");
  // Many of them make the content binary.
  std::string binary = "TITLE=x";
  for (int i = 0; i < 10; ++i) binary += "\x01y";
  EXPECT_EQ(DocumentParser().Parse(binary, v1::DOCUMENT_FORMAT_UNSPECIFIED, "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace biocorpus
