#include "ingest_service/citations/citation_extractor.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/spans.h"

namespace biocorpus {
namespace {

bool IsDoiSuffixChar(char c) {
  return !absl::ascii_isspace(c) && c != '"' && c != '<' && c != '>';
}

// Whether byte `pos` of the passage text lies in the anchor of a link.
bool InsideLink(const v1::Passage& passage, size_t pos) {
  for (const v1::Link& link : passage.links()) {
    if (static_cast<size_t>(link.span().start_byte()) <= pos &&
        pos < static_cast<size_t>(link.span().end_byte())) {
      return true;
    }
  }
  return false;
}

// The DOIs written in the passage's text outside any link's anchor.
std::vector<v1::Link> DoiMentions(const v1::Passage& passage) {
  const std::string& text = passage.text();
  std::vector<v1::Link> mentions;
  for (size_t pos = text.find("10."); pos != std::string::npos; pos = text.find("10.", pos + 1)) {
    if (pos > 0 && (absl::ascii_isalnum(text[pos - 1]) || text[pos - 1] == '.')) continue;
    size_t i = pos + 3;
    const size_t digits_start = i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
    const size_t digits = i - digits_start;
    if (digits < 4 || digits > 9 || i >= text.size() || text[i] != '/') continue;
    ++i;
    size_t end = i;
    while (end < text.size() && IsDoiSuffixChar(text[end])) ++end;
    // Trailing punctuation belongs to the sentence, not the DOI.
    while (end > i && absl::string_view(".,;:)]}'").find(text[end - 1]) != absl::string_view::npos) {
      --end;
    }
    if (end == i || InsideLink(passage, pos)) continue;
    const std::string doi = NormalizeDoi(text.substr(pos, end - pos));
    if (doi.empty()) continue;
    v1::Link& mention = mentions.emplace_back();
    mention.set_url(absl::StrCat("https://doi.org/", doi));
    mention.set_anchor_text(text.substr(pos, end - pos));
    *mention.mutable_span() = MakeSpan(text, pos, end);
    mention.set_kind(v1::Link::DOI_MENTION);
    mention.set_doi(doi);
    pos = end - 1;
  }
  return mentions;
}

}  // namespace

void CitationExtractor::Extract(v1::Passage* passage) const {
  for (v1::Link& link : *passage->mutable_links()) {
    if (link.kind() == v1::Link::HYPERLINK && link.doi().empty()) {
      link.set_doi(DoiInUrl(link.url()));
    }
  }
  std::vector<v1::Link> mentions = DoiMentions(*passage);
  if (mentions.empty()) return;
  for (v1::Link& m : mentions) *passage->add_links() = std::move(m);
  std::stable_sort(passage->mutable_links()->begin(), passage->mutable_links()->end(),
                   [](const v1::Link& a, const v1::Link& b) {
                     return a.span().start_byte() < b.span().start_byte();
                   });
}

void CitationExtractor::Extract(ParsedDocument* parsed) const {
  for (v1::Passage& passage : parsed->passages) Extract(&passage);
}

}  // namespace biocorpus
