#include "ingest_service/parsers/citation_record_parser.h"

#include <map>
#include <optional>
#include <string>
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
using ::testing::IsEmpty;

struct Expected {
  std::string fixture;
  std::optional<std::string> title;
  std::vector<std::string> families;
  std::vector<std::string> givens;
  std::string container;
  std::string volume;
  std::string issue;
  std::string pages;
  int year;
  std::string doi;
  std::string url;
  std::string issn;
  std::map<std::string, std::string> extra;
  std::string abstract;  // The whole ABSTRACT passage; "" when none.
};

TEST(CitationRecordParserTest, EveryVariantParsesToItsFields) {
  const Expected cases[] = {
      {"one_line.txt",
       "Dual-Use Research of Concern Policies in Five Countries",
       {"Okoro", "Lindgren"}, {"Chidi", "Elsa"},
       "Frontiers in Public Health", "10", "", "", 2022,
       "10.5555/fpubh.2022.100101",
       "https://www.frontiersin.org/journals/public-health/articles/10.5555/"
       "fpubh.2022.100101",
       "2296-2565", {},
       "We compare dual-use research of concern policies in five countries and "
       "find that review triggers differ more than review criteria."},
      {"key_per_line.txt", "Laboratory Biosafety Manuals Compared",
       {"Haddad", "Ito", "Novak"}, {"Rami", "Keiko", "Petra"},
       "Applied Biosafety", "25", "2", "101-110", 2020, "10.5555/lbm.2020.7",
       "https://journals.example.org/abs/article/10.5555/lbm.2020.7",
       "1535-6760", {},
       "National laboratory biosafety manuals were compared across fourteen "
       "countries. The manuals agree on containment levels but not on "
       "training."},
      {"several_keys_per_line.txt",
       "Biosecurity Awareness Among Life Scientists", {"Silva", "Mwangi"},
       {"Ana", "Joseph"}, "Biosafety and Health", "14", "", "8", 2020,
       "10.5555/bsh.2020.008", "", "2590-0536", {},
       "A survey of 900 life scientists found low awareness of export "
       "controls."},
      {"quoted.txt",
       "Pathogen Access and Benefit Sharing Under the Nagoya Protocol",
       {"Park", "Dubois"}, {"Jiwoo", "Claire"}, "Global Health Governance", "",
       "", "", 2019, "10.5555/ghg.2019.3", "", "", {},
       "Benefit-sharing obligations slow the exchange of pathogen samples "
       "during outbreaks. Faster exchange needs standard material transfer "
       "agreements."},
      {"fenced.txt",
       "Cloud Laboratories and Remote Experimentation: Biosecurity Questions",
       {"Wright"}, {"Ellen"}, "", "", "", "", 2023, "10.5555/cloud.2023.12", "",
       "", {},
       "Cloud laboratories let users run experiments remotely, which raises "
       "screening questions."},
      {"unknown_keys.txt", "Funding Conditions for High-Containment Research",
       {"Baker"}, {"Tom"}, "", "", "", "", 2021, "10.5555/fund.2021.4", "", "",
       {{"FUNDER", "Example Science Foundation"}, {"NOTE", "Preprint version"}},
       "Funding agencies increasingly attach biosafety conditions to grants."},
      {"abstract_with_equals.txt",
       "Modelling Escape Risk From Containment Laboratories", {"Reyes"},
       {"Maria"}, "", "", "", "", 2018, "10.5555/risk.2018.2", "", "", {},
       "Our model sets x=2 exposures per year as the baseline, and a field "
       "labelled TITLE= in the incident form was often left empty; with p=0.01 "
       "the annual risk remains small."},
      {"article_number_pages.txt",
       "Biosafety Level 4 Laboratories Worldwide: Growth and Oversight",
       {"Liang", "Becker"}, {"Hua", "Jonas"},
       "Frontiers in Bioengineering and Biotechnology", "", "", "1178803", 2023,
       "10.5555/fbioe.2023.1178803",
       "https://www.frontiersin.org/article/10.5555/fbioe.2023.1178803/full", "",
       {},
       "The number of BSL-4 laboratories has grown quickly while oversight "
       "lags."},
      // Reference strings, where only some fields are KEY=.
      {"reference_numbered_bold.txt",
       "Biosafety Governance of Synthetic Biology Laboratories",
       {"Okafor", "Brandt"}, {"Ngozi", "Lukas"},
       "Frontiers in Bioengineering and Biotechnology", "9", "", "", 2021,
       "10.5555/fbioe.2021.654321",
       "https://www.frontiersin.org/articles/10.5555/fbioe.2021.654321/full", "",
       {}, ""},
      {"reference_pipes_link.txt",
       "Screening Synthetic DNA Orders for Sequences of Concern",
       {"Haddad", "Ito"}, {"Rami", "Keiko"}, "Applied Biosafety", "27", "", "",
       2022, "10.5555/synth.2022.77", "https://doi.org/10.5555/synth.2022.77", "",
       {}, ""},
      {"reference_full_stops.txt",
       "Export Controls on Dual-Use Biological Equipment", {"Silva", "Mwangi"},
       {"Ana", "Joseph"}, "Frontiers in Neuroscience", "14", "", "", 2020,
       "10.5555/fnins.2020.00321",
       "https://www.frontiersin.org/articles/10.5555/fnins.2020.00321/full", "",
       {}, ""},
  };
  const CitationRecordParser parser;
  for (const Expected& want : cases) {
    SCOPED_TRACE(want.fixture);
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        parser.Parse(Fixture("citation_records/" + want.fixture));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_EQ(parsed->size(), 1u);
    const v1::Document& doc = parsed->front().document;
    EXPECT_EQ(doc.format(), v1::CITATION_RECORD);
    EXPECT_EQ(doc.has_title(), want.title.has_value());
    EXPECT_EQ(doc.title(), want.title.value_or(""));
    EXPECT_EQ(Families(doc), want.families);
    EXPECT_EQ(Givens(doc), want.givens);
    EXPECT_EQ(doc.container_title(), want.container);
    EXPECT_EQ(doc.volume(), want.volume);
    EXPECT_EQ(doc.issue(), want.issue);
    EXPECT_EQ(doc.pages(), want.pages);
    EXPECT_EQ(doc.year(), want.year);
    EXPECT_EQ(doc.doi(), want.doi);
    EXPECT_EQ(doc.url(), want.url);
    EXPECT_EQ(doc.issn(), want.issn);
    const std::map<std::string, std::string> extra(doc.extra_metadata().begin(),
                                                   doc.extra_metadata().end());
    EXPECT_EQ(extra, want.extra);
    const std::vector<v1::Passage>& passages = parsed->front().passages;
    ASSERT_EQ(passages.size(), want.abstract.empty() ? 1u : 2u);
    EXPECT_EQ(passages[0].type(), v1::TITLE);
    EXPECT_EQ(passages[0].text(), want.title.value_or(""));
    if (!want.abstract.empty()) {
      EXPECT_EQ(passages[1].type(), v1::ABSTRACT);
      EXPECT_EQ(passages[1].text(), want.abstract);
    }
  }
}

TEST(CitationRecordParserTest, DoiFromTheUrlComesWithAWarning) {
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      CitationRecordParser().Parse(Fixture("citation_records/article_number_pages.txt"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->front().warnings,
              ElementsAre(HasSubstr("taken from the URL")));
  parsed = CitationRecordParser().Parse(Fixture("citation_records/one_line.txt"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_THAT(parsed->front().warnings, IsEmpty());
}

TEST(CitationRecordParserTest, AFileOfSeveralRecordsGivesSeveralDocuments) {
  const std::string text = Fixture("citation_records/several_records.txt");
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      CitationRecordParser().Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  const char* titles[] = {"First Record on Biosafety Committees",
                          "Second Record on Export Controls",
                          "Third Record on Incident Reporting"};
  const char* dois[] = {"10.5555/multi.2020.1", "10.5555/multi.2021.2",
                        "10.5555/multi.2022.3"};
  const int years[] = {2020, 2021, 2022};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const ParsedDocument& record = (*parsed)[i];
    EXPECT_EQ(record.document.title(), titles[i]);
    EXPECT_EQ(record.document.doi(), dois[i]);
    EXPECT_EQ(record.document.year(), years[i]);
    EXPECT_EQ(record.document.authors_size(), 1);
    // Each record's own lines are its content.
    EXPECT_THAT(record.source_text, HasSubstr(dois[i]));
    for (int j = 0; j < 3; ++j) {
      if (j != i) {
        EXPECT_THAT(record.source_text, ::testing::Not(HasSubstr(dois[j])));
      }
    }
  }
  EXPECT_EQ((*parsed)[2].document.authors(0).family(), "Nguyen");
  EXPECT_EQ((*parsed)[2].document.authors(0).given(), "Thi Lan");
}

TEST(CitationRecordParserTest, AReferenceListGivesOneDocumentPerItem) {
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      CitationRecordParser().Parse(Fixture("citation_records/reference_list.txt"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  const v1::Document& first = (*parsed)[0].document;
  EXPECT_EQ(first.title(), "First Reference on Laboratory Audits");
  EXPECT_EQ(Families(first), (std::vector<std::string>{"Ahmed"}));
  EXPECT_EQ(first.year(), 2019);
  EXPECT_EQ(first.doi(), "10.5555/ref.2019.1");
  const v1::Document& second = (*parsed)[1].document;
  EXPECT_EQ(second.title(), "Second Reference on Incident Reporting");
  EXPECT_EQ(Families(second), (std::vector<std::string>{"Kowalski", "Lee"}));
  EXPECT_EQ(Givens(second), (std::vector<std::string>{"J.", "C."}));
  EXPECT_EQ(second.container_title(), "Applied Biosafety");
  EXPECT_EQ(second.volume(), "25");
  EXPECT_EQ(second.issue(), "2");
  EXPECT_EQ(second.year(), 2020);
  const v1::Document& third = (*parsed)[2].document;
  EXPECT_EQ(third.title(), "Third Reference on Training Curricula");
  EXPECT_EQ(Families(third), (std::vector<std::string>{"Nguyen"}));
  EXPECT_EQ(Givens(third), (std::vector<std::string>{"Thi Lan"}));
  EXPECT_EQ(third.container_title(), "Biosafety and Health");
  EXPECT_EQ(third.volume(), "3");
  EXPECT_EQ(third.doi(), "10.5555/ref.2021.3");
  // Each item is its own document, its content its own line.
  EXPECT_THAT((*parsed)[1].source_text, HasSubstr("10.5555/ref.2020.2"));
  EXPECT_THAT((*parsed)[1].source_text, ::testing::Not(HasSubstr("10.5555/ref.2019.1")));
}

TEST(CitationRecordParserTest, RefusesWhatCannotBeARecordNamingTheLine) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"just some words, no fields", "no KEY=value fields"},
      {"AUTHOR=Doe Jane\nYEAR=2020\nABSTRACT=Text.", "line 1: citation record has neither TITLE nor DOI"},
      {"TITLE=Fine\nYEAR=20x2", "line 2: YEAR is not a year: '20x2'"},
      {"TITLE=Fine\nDOI=not-a-doi", "line 2: DOI is not a DOI"},
      {"TITLE=One DOI=10.5555/a\nTITLE=Two YEAR=twenty", "record 2 of 2, line 2: YEAR is not a year"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        CitationRecordParser().Parse(c.text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message));
  }
}

TEST(CitationRecordParserTest, RecognisesRecordsForFormatDetection) {
  EXPECT_TRUE(CitationRecordParser::LooksLikeCitationRecord(
      Fixture("citation_records/quoted.txt")));
  EXPECT_TRUE(CitationRecordParser::LooksLikeCitationRecord("x TITLE=y"));
  EXPECT_FALSE(CitationRecordParser::LooksLikeCitationRecord("we set x=2 and y=3"));
  EXPECT_FALSE(CitationRecordParser::LooksLikeCitationRecord("SUBTITLE=no"));
}

}  // namespace
}  // namespace biocorpus
