#include "ingest_service/passages/passage_builder.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "corpus/identity/identifiers.h"
#include "corpus/model/resource_names.h"
#include "corpus/model/spans.h"

namespace biocorpus {

void PassageBuilder::BeginLink(std::string url) {
  if (open_link_.has_value()) EndLink();
  open_link_ = OpenLink{std::move(url), text_.StartMark()};
}

void PassageBuilder::EndLink() {
  if (!open_link_.has_value()) return;
  const size_t end = text_.EndMark();
  const size_t start = std::min(open_link_->start, end);
  links_.push_back(ClosedLink{std::move(open_link_->url), start, end});
  open_link_.reset();
}

std::optional<v1::Passage> PassageBuilder::Finish() {
  EndLink();
  std::optional<v1::Passage> passage;
  if (!text_.empty()) {
    passage.emplace();
    passage->set_type(type_);
    const std::string& text = text_.text();
    passage->set_text(text);
    for (const ClosedLink& link : links_) {
      v1::Link* out = passage->add_links();
      out->set_url(link.url);
      out->set_anchor_text(text.substr(link.start, link.end - link.start));
      *out->mutable_span() = MakeSpan(text, link.start, link.end);
      out->set_kind(v1::HYPERLINK);
      out->set_doi(NormalizeDoi(link.url));
    }
  }
  text_ = NormalizedTextBuilder();
  links_.clear();
  return passage;
}

namespace {

bool IsDoiSuffixChar(char c) {
  return !absl::ascii_isspace(c) && c != '"' && c != '<' && c != '>';
}

}  // namespace

void AddDoiMentions(v1::Passage* passage) {
  const std::string& text = passage->text();
  std::vector<v1::Link> mentions;
  for (size_t pos = text.find("10."); pos != std::string::npos;
       pos = text.find("10.", pos + 1)) {
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
    while (end > i && absl::string_view(".,;:)]}'").find(text[end - 1]) !=
                          absl::string_view::npos) {
      --end;
    }
    if (end == i) continue;
    // Inside a hyperlink already recorded (its anchor is the DOI): skip.
    bool linked = false;
    for (const v1::Link& link : passage->links()) {
      if (static_cast<size_t>(link.span().start_byte()) <= pos &&
          pos < static_cast<size_t>(link.span().end_byte())) {
        linked = true;
      }
    }
    if (linked) continue;
    const std::string doi = NormalizeDoi(text.substr(pos, end - pos));
    if (doi.empty()) continue;
    v1::Link mention;
    mention.set_url(absl::StrCat("https://doi.org/", doi));
    mention.set_anchor_text(text.substr(pos, end - pos));
    *mention.mutable_span() = MakeSpan(text, pos, end);
    mention.set_kind(v1::DOI_MENTION);
    mention.set_doi(doi);
    mentions.push_back(std::move(mention));
    pos = end - 1;
  }
  if (mentions.empty()) return;
  for (v1::Link& m : mentions) *passage->add_links() = std::move(m);
  std::stable_sort(passage->mutable_links()->begin(), passage->mutable_links()->end(),
                   [](const v1::Link& a, const v1::Link& b) {
                     return a.span().start_byte() < b.span().start_byte();
                   });
}

void FinalizePassages(absl::string_view doc_id,
                      std::vector<v1::Passage>* passages) {
  int64_t offset = 0;
  const std::string document = DocumentName(doc_id);
  for (size_t i = 0; i < passages->size(); ++i) {
    v1::Passage& passage = (*passages)[i];
    passage.set_ordinal(static_cast<int32_t>(i));
    passage.set_name(PassageName(doc_id, static_cast<uint32_t>(i)));
    passage.set_document(document);
    passage.set_offset(static_cast<int32_t>(offset));
    AddDoiMentions(&passage);
    offset += static_cast<int64_t>(passage.text().size()) + 1;
  }
}

}  // namespace biocorpus
