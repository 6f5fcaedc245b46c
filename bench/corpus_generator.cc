#include "bench/corpus_generator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace biocorpus::bench {
namespace {

constexpr const char* kFamilies[] = {"Hale",    "Osei",   "Lindqvist", "Zhou",   "Sun",
                                     "Okafor",  "Weber",  "Whitfield", "Iyer",   "Solberg",
                                     "Ferreira", "Tanaka", "Reyes",    "Novak",  "Haddad",
                                     "Mensah",  "Kowalski", "Nakamura", "Alvarez", "Chen"};
constexpr const char* kGiven[] = {"Morgan", "Kwame", "Sara", "Lina", "Wei",  "Amara", "Jonas",
                                  "Dana",   "Rahul", "Ingrid", "Tomas", "Mei", "Ana",  "Petra"};
constexpr const char* kJournals[] = {"Journal of Biosafety Policy Studies",
                                     "Biosecurity and Governance Review",
                                     "Applied Biosafety Quarterly", "Health Security Letters"};
constexpr const char* kSites[] = {"https://news.example.org", "https://policy.example.org",
                                  "https://registry.example.org", "https://who.example.int",
                                  "https://law.example.gov.cn"};

// The readable text of a sample file: tags, markup and front matter gone.
std::string Prose(const std::string& text) {
  std::string out = std::regex_replace(text, std::regex("<[^>]*>"), " ");
  out = std::regex_replace(out, std::regex(R"(\[([^\]]*)\]\([^)]*\))"), "$1");
  out = std::regex_replace(out, std::regex("[A-Z]+="), "\n");
  return out;
}

}  // namespace

absl::Status CorpusGenerator::Create(const std::string& samples_dir, uint64_t seed,
                                     CorpusGenerator* out) {
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(samples_dir, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::istringstream lines(Prose(buffer.str()));
    for (std::string line; std::getline(lines, line);) {
      // Sentences: split after ". ", keep prose-like ones.
      size_t start = 0;
      while (start < line.size()) {
        size_t end = line.find(". ", start);
        if (end == std::string::npos) end = line.size() - 1;
        std::string sentence = line.substr(start, end - start + 1);
        sentence.erase(0, sentence.find_first_not_of(" \t"));
        if (sentence.size() >= 40 && sentence.size() <= 400 && sentence.find(':') == std::string::npos &&
            std::isupper(static_cast<unsigned char>(sentence[0]))) {
          if (sentence.back() != '.') sentence += '.';
          out->sentences_.push_back(sentence);
        }
        start = end + 2;
      }
    }
  }
  if (error || out->sentences_.size() < 10) {
    return absl::FailedPreconditionError(
        absl::StrCat("too little prose under ", samples_dir, " to vary"));
  }
  std::sort(out->sentences_.begin(), out->sentences_.end());
  out->sentences_.erase(std::unique(out->sentences_.begin(), out->sentences_.end()),
                        out->sentences_.end());
  out->state_ = seed * 0x9E3779B97F4A7C15ULL + 1;
  return absl::OkStatus();
}

uint64_t CorpusGenerator::Random() {
  // splitmix64
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int CorpusGenerator::Uniform(int low, int high) {
  return low + static_cast<int>(Random() % static_cast<uint64_t>(high - low + 1));
}

std::string CorpusGenerator::Sentence() { return sentences_[Random() % sentences_.size()]; }

std::string CorpusGenerator::Person() {
  return absl::StrCat(kGiven[Random() % (sizeof(kGiven) / sizeof(kGiven[0]))], " ",
                      kFamilies[Random() % (sizeof(kFamilies) / sizeof(kFamilies[0]))]);
}

std::string CorpusGenerator::Paragraphs(int count, int links) {
  std::vector<std::string> paragraphs;
  for (int p = 0; p < count; ++p) {
    std::string text;
    const int sentences = Uniform(2, 6);
    for (int s = 0; s < sentences; ++s) absl::StrAppend(&text, s ? " " : "", Sentence());
    paragraphs.push_back(text);
  }
  // Links: to earlier documents (DOI or URL) or to outside pages, each
  // wrapped around a few words of a paragraph.
  for (int l = 0; l < links; ++l) {
    std::string href;
    const int kind = Uniform(0, 9);
    if (kind < 3 && !dois_.empty()) {
      href = "https://doi.org/" + dois_[Random() % dois_.size()];
    } else if (kind < 6 && !urls_.empty()) {
      href = urls_[Random() % urls_.size()];
    } else {
      href = absl::StrCat(kSites[Random() % (sizeof(kSites) / sizeof(kSites[0]))], "/page/",
                          Uniform(1, 5000));
    }
    std::string& paragraph = paragraphs[Random() % paragraphs.size()];
    absl::StrAppend(&paragraph, " See <a href=\"", href, "\">the source ", l + 1, "</a>.");
  }
  std::string html;
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i > 0 && i % 5 == 0) absl::StrAppend(&html, "<h2>Part ", i / 5 + 1, "</h2>\n");
    absl::StrAppend(&html, "<p>", paragraphs[i], "</p>\n");
  }
  return html;
}

GeneratedDocument CorpusGenerator::Next() {
  const int64_t n = index_++;
  GeneratedDocument doc;
  const int kind = Uniform(0, 99);
  const int year = Uniform(2015, 2026);
  std::string title = Sentence();
  if (title.size() > 120) title.resize(120);
  while (!title.empty() && (title.back() == '.' || title.back() == ' ')) title.pop_back();
  title = absl::StrCat(title, " (", n, ")");
  if (kind < 45) {
    doc.doi = absl::StrCat("10.7777/bench.", n);
    doc.url = absl::StrCat("https://journals.example.org/bench/", n);
    std::string abstract;
    const int sentences = Uniform(3, 9);
    for (int s = 0; s < sentences; ++s) absl::StrAppend(&abstract, s ? " " : "", Sentence());
    if (!dois_.empty() && Uniform(0, 2) == 0) {
      absl::StrAppend(&abstract, " Compare https://doi.org/", dois_[Random() % dois_.size()], ".");
    }
    std::vector<std::string> authors;
    for (int a = Uniform(1, 4); a > 0; --a) {
      authors.push_back(absl::StrCat(kFamilies[Random() % 20], " ", kGiven[Random() % 14]));
    }
    doc.content = absl::StrCat("AUTHOR=", absl::StrJoin(authors, " , "), " TITLE=", title,
                               " JOURNAL=", kJournals[Random() % 4], " YEAR=", year,
                               " PAGES=e", Uniform(1, 9999), " URL=", doc.url, " DOI=", doc.doi,
                               " ABSTRACT=", abstract);
    doc.relative_path = absl::StrFormat("citation_records/record-%07d.txt", n);
  } else if (kind < 80) {
    doc.url = absl::StrCat(kSites[Random() % 2], "/", year, "/bench-", n);
    // Most articles have a few links; one in ten has dozens.
    const int links = Uniform(0, 9) == 0 ? Uniform(20, 60) : Uniform(0, 10);
    doc.content = absl::StrCat("---\nlayout: post\ntitle: \"", title, "\"\ndate: ", year, "-",
                               absl::StrFormat("%02d", Uniform(1, 12)), "-",
                               absl::StrFormat("%02d", Uniform(1, 28)), "\nauthor: ", Person(),
                               " and ", Person(), "\nfrom: ", doc.url,
                               "\ntags: [ biosafety, policy ]\ncategories: news\n---\n<div>\n",
                               Paragraphs(Uniform(2, 24), links), "</div>\n");
    doc.relative_path = absl::StrFormat("mirrored_articles/article-%07d.md", n);
  } else {
    std::string abstract;
    const int sentences = Uniform(4, 10);
    for (int s = 0; s < sentences; ++s) absl::StrAppend(&abstract, s ? " " : "", Sentence());
    doc.content = absl::StrCat(title, "\n\nFirst author: ", Person(),
                               " (School of Public Health, Example University)\n\nKeywords: "
                               "biosafety; laboratory biosafety; policy\n\n",
                               abstract, "\n");
    doc.relative_path = absl::StrFormat("plain_abstracts/abstract-%07d.txt", n);
  }
  if (!doc.doi.empty()) dois_.push_back(doc.doi);
  if (!doc.url.empty()) urls_.push_back(doc.url);
  return doc;
}

}  // namespace biocorpus::bench
