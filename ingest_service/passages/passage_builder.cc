#include "ingest_service/passages/passage_builder.h"

#include <algorithm>
#include <utility>

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
      out->set_kind(v1::Link::HYPERLINK);
    }
  }
  text_ = NormalizedTextBuilder();
  links_.clear();
  return passage;
}

}  // namespace biocorpus
