#include "query_service/citations/citation_renderer.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Author Person(const std::string& family, const std::string& given) {
  v1::Author a;
  a.set_family(family);
  a.set_given(given);
  a.set_literal(given + " " + family);
  return a;
}

// A journal record with every field, written for the project.
v1::Document JournalRecord() {
  v1::Document d;
  d.set_name("documents/0123456789abcdef");
  d.set_format(v1::CITATION_RECORD);
  d.set_title("Containment & Oversight: 50% of Labs_Reviewed {again}");
  *d.add_authors() = Person("Haddad", "Rami");
  *d.add_authors() = Person("Ito", "Keiko");
  *d.add_authors() = Person("Novak", "Petra Ana");
  d.set_container_title("Applied Biosafety");
  d.set_volume("25");
  d.set_issue("2");
  d.set_pages("101-110");
  d.set_year(2020);
  d.set_doi("10.5555/lbm.2020.7");
  d.set_url("https://journals.example.org/abs/article/10.5555/lbm.2020.7");
  d.set_issn("1535-6760");
  d.add_keywords("biosafety");
  d.add_keywords("manuals");
  return d;
}

// A news article with a full date and no DOI.
v1::Document NewsArticle() {
  v1::Document d;
  d.set_name("documents/fedcba9876543210");
  d.set_format(v1::MIRRORED_ARTICLE);
  d.set_title("Export Controls on Synthesis Equipment Tighten");
  *d.add_authors() = Person("Vogt", "Lena");
  d.set_year(2024);
  d.set_date("2024-02-01");
  d.set_url("https://news.example.org/2024/02/export-controls-synthesis");
  return d;
}

// An abstract with no title, no year, no DOI or URL.
v1::Document UntitledAbstract() {
  v1::Document d;
  d.set_name("documents/00000000000000aa");
  d.set_format(v1::PLAIN_ABSTRACT);
  *d.add_authors() = Person("ZHOU", "Lina");
  d.add_keywords("biosafety education");
  return d;
}

TEST(CitationRendererTest, ApaEntries) {
  EXPECT_EQ(RenderApa(JournalRecord()),
            "Haddad, R., Ito, K., & Novak, P. A. (2020). Containment & Oversight: 50% of "
            "Labs_Reviewed {again}. Applied Biosafety, 25(2), 101\u2013110. "
            "https://doi.org/10.5555/lbm.2020.7");
  EXPECT_EQ(RenderApa(NewsArticle()),
            "Vogt, L. (2024, February 1). Export Controls on Synthesis Equipment Tighten. "
            "https://news.example.org/2024/02/export-controls-synthesis");
  EXPECT_EQ(RenderApa(UntitledAbstract()), "ZHOU, L. (n.d.). [Untitled abstract].");
  v1::Document anonymous = NewsArticle();
  anonymous.clear_authors();
  EXPECT_EQ(RenderApa(anonymous),
            "Export Controls on Synthesis Equipment Tighten. (2024, February 1). "
            "https://news.example.org/2024/02/export-controls-synthesis");
  v1::Document crowd = JournalRecord();
  crowd.clear_authors();
  for (int i = 0; i < 25; ++i) *crowd.add_authors() = Person("F" + std::to_string(i), "G");
  const std::string apa = RenderApa(crowd);
  EXPECT_THAT(apa, HasSubstr("F18, G., . . . F24, G. (2020)."));
  EXPECT_THAT(apa, Not(HasSubstr("F19")));
}

TEST(CitationRendererTest, BibtexEntries) {
  EXPECT_EQ(RenderBibtex(JournalRecord()),
            "@article{haddad2020containment,\n"
            "  author = {Haddad, Rami and Ito, Keiko and Novak, Petra Ana},\n"
            "  title = {{Containment \\& Oversight: 50\\% of Labs\\_Reviewed \\{again\\}}},\n"
            "  journal = {Applied Biosafety},\n"
            "  volume = {25},\n"
            "  number = {2},\n"
            "  pages = {101--110},\n"
            "  year = {2020},\n"
            "  doi = {10.5555/lbm.2020.7},\n"
            "  url = {https://journals.example.org/abs/article/10.5555/lbm.2020.7},\n"
            "  issn = {1535-6760},\n"
            "  keywords = {biosafety, manuals}\n"
            "}\n");
  EXPECT_EQ(RenderBibtex(UntitledAbstract()),
            "@misc{zhou,\n"
            "  author = {ZHOU, Lina},\n"
            "  keywords = {biosafety education}\n"
            "}\n");
  EXPECT_EQ(BibtexKey(NewsArticle()), "vogt2024export");
}

TEST(CitationRendererTest, RisRecords) {
  EXPECT_EQ(RenderRis(JournalRecord()),
            "TY  - JOUR\n"
            "AU  - Haddad, Rami\n"
            "AU  - Ito, Keiko\n"
            "AU  - Novak, Petra Ana\n"
            "TI  - Containment & Oversight: 50% of Labs_Reviewed {again}\n"
            "T2  - Applied Biosafety\n"
            "VL  - 25\n"
            "IS  - 2\n"
            "SP  - 101\n"
            "EP  - 110\n"
            "PY  - 2020\n"
            "DO  - 10.5555/lbm.2020.7\n"
            "UR  - https://journals.example.org/abs/article/10.5555/lbm.2020.7\n"
            "SN  - 1535-6760\n"
            "KW  - biosafety\n"
            "KW  - manuals\n"
            "ER  - \n");
  EXPECT_EQ(RenderRis(NewsArticle()),
            "TY  - NEWS\n"
            "AU  - Vogt, Lena\n"
            "TI  - Export Controls on Synthesis Equipment Tighten\n"
            "PY  - 2024\n"
            "DA  - 2024/02/01/\n"
            "UR  - https://news.example.org/2024/02/export-controls-synthesis\n"
            "ER  - \n");
  EXPECT_EQ(RenderRis(UntitledAbstract()),
            "TY  - GEN\nAU  - ZHOU, Lina\nKW  - biosafety education\nER  - \n");
}

TEST(CitationRendererTest, CslJsonItems) {
  const std::string journal = RenderCslJson(JournalRecord());
  for (const char* field :
       {"\"type\": \"article-journal\"", "\"family\": \"Haddad\"", "\"given\": \"Rami\"",
        "\"container-title\": \"Applied Biosafety\"", "\"volume\": \"25\"", "\"issue\": \"2\"",
        "\"page\": \"101-110\"", "\"DOI\": \"10.5555/lbm.2020.7\"", "\"ISSN\": \"1535-6760\"",
        "\"id\": \"0123456789abcdef\"", "\"keyword\": \"biosafety, manuals\""}) {
    EXPECT_THAT(journal, HasSubstr(field));
  }
  EXPECT_THAT(journal, ::testing::ContainsRegex("\"date-parts\": \\[\\s*\\[\\s*2020\\s*\\]\\s*\\]"));
  EXPECT_THAT(RenderCslJson(NewsArticle()),
              ::testing::ContainsRegex("\\[\\s*2024,\\s*2,\\s*1\\s*\\]"));
  const std::string untitled = RenderCslJson(UntitledAbstract());
  EXPECT_THAT(untitled, Not(HasSubstr("\"title\"")));
  EXPECT_THAT(untitled, Not(HasSubstr("\"issued\"")));
  EXPECT_THAT(untitled, HasSubstr("\"type\": \"article\""));
}

// Runs a bibutils converter (an independent BibTeX / RIS parser from
// Debian's bibutils package) on `input` and returns the MODS XML it makes.
std::string ConvertWith(const std::string& tool, const std::string& input) {
  biocorpus::testing::TempDir temp;
  const std::string path = temp.path() + "/in";
  std::ofstream(path) << input;
  FILE* pipe = popen((tool + " -i utf8 " + path + " 2>/dev/null").c_str(), "r");
  std::string out;
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST(CitationRendererTest, BibtexAndRisParseBackWithBibutils) {
  for (const v1::Document& document : {JournalRecord(), NewsArticle()}) {
    SCOPED_TRACE(document.title());
    for (const auto& [tool, text] :
         {std::make_pair(std::string("bib2xml"), RenderBibtex(document)),
          std::make_pair(std::string("ris2xml"), RenderRis(document))}) {
      SCOPED_TRACE(tool);
      const std::string mods = ConvertWith(tool, text);
      ASSERT_THAT(mods, HasSubstr("<mods")) << tool << " (Debian's bibutils) must be installed";
      EXPECT_THAT(mods, HasSubstr("<namePart type=\"family\">" + document.authors(0).family() +
                                  "</namePart>"));
      EXPECT_THAT(mods, HasSubstr(absl::StrCat(document.year())));
      const std::string first_word = document.title().substr(0, document.title().find(' '));
      EXPECT_THAT(mods, HasSubstr("<title>" + first_word));
      if (!document.doi().empty()) {
        EXPECT_THAT(mods, HasSubstr("<identifier type=\"doi\">" + document.doi()));
      }
    }
  }
}

}  // namespace
}  // namespace biocorpus
