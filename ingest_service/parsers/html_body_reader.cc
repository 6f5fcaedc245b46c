#include "ingest_service/parsers/html_body_reader.h"

#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "corpus/identity/identifiers.h"
#include "ingest_service/passages/passage_builder.h"

namespace biocorpus {
namespace {

// Elements that never open a level: void elements, and those the HTML5 parser
// closes implicitly when a sibling opens.
bool OpensNoLevel(absl::string_view tag) {
  static const auto* const kTags = new std::set<std::string, std::less<>>{
      "area", "base", "br",   "col",    "embed", "hr",    "img",   "input",
      "link", "meta", "source", "track", "wbr",  "p",     "li",    "dt",
      "dd",   "option", "tr", "td",     "th",    "tbody", "thead", "rt",
      "rp",   "param", "keygen"};
  return kTags->count(tag) > 0;
}

// Checks the nesting depth of the markup without parsing it.
absl::Status CheckDepth(absl::string_view html, int first_line, int max_depth) {
  int depth = 0;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != absl::string_view::npos) {
    if (html.substr(pos, 4) == "<!--") {
      const size_t end = html.find("-->", pos + 4);
      if (end == absl::string_view::npos) break;
      pos = end + 3;
      continue;
    }
    ++pos;
    const bool closing = pos < html.size() && html[pos] == '/';
    if (closing) ++pos;
    size_t end = pos;
    while (end < html.size() && absl::ascii_isalnum(html[end])) ++end;
    if (end == pos) continue;
    const std::string tag = absl::AsciiStrToLower(html.substr(pos, end - pos));
    const size_t close = html.find('>', end);
    const bool self_closing =
        close != absl::string_view::npos && close > 0 && html[close - 1] == '/';
    if (OpensNoLevel(tag) || self_closing) continue;
    if (closing) {
      depth = std::max(0, depth - 1);
      continue;
    }
    if (++depth > max_depth) {
      const int line = first_line + static_cast<int>(std::count(
                                        html.begin(), html.begin() + pos, '\n'));
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line, ": HTML elements nest deeper than ", max_depth,
          " levels"));
    }
  }
  return absl::OkStatus();
}

bool IsDropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

bool IsInline(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
    case GUMBO_TAG_I:
    case GUMBO_TAG_U:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

absl::string_view Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attr =
      gumbo_get_attribute(&node->v.element.attributes, name);
  return attr == nullptr ? absl::string_view() : absl::string_view(attr->value);
}

bool ClassMentions(const GumboNode* node, absl::string_view word) {
  for (absl::string_view cls :
       absl::StrSplit(Attribute(node, "class"), ' ', absl::SkipEmpty())) {
    if (absl::StrContains(absl::AsciiStrToLower(cls), word)) return true;
  }
  return false;
}

bool HasBlockChild(const GumboNode* node) {
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && !IsInline(child->v.element.tag)) {
      return true;
    }
  }
  return false;
}

// The passage type an element makes on its own, or UNSPECIFIED for a
// container whose children decide.
v1::PassageType PassageTypeOf(const GumboNode* node) {
  if (ClassMentions(node, "caption")) return v1::CAPTION;
  if (ClassMentions(node, "credit")) return v1::CREDIT;
  switch (node->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_PRE:
      return v1::PARAGRAPH;
    case GUMBO_TAG_BLOCKQUOTE:
      return HasBlockChild(node) ? v1::PASSAGE_TYPE_UNSPECIFIED : v1::PARAGRAPH;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return v1::HEADING;
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION:
      return v1::CAPTION;
    default:
      return v1::PASSAGE_TYPE_UNSPECIFIED;
  }
}

class HtmlBodyWalker {
 public:
  HtmlBodyWalker(absl::string_view base_url, std::vector<v1::Passage>* out)
      : base_url_(base_url), out_(out) {}

  void WalkBlock(const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      loose_.AppendText(node->v.text.text);
      return;
    }
    if (node->type == GUMBO_NODE_WHITESPACE) {
      loose_.Break();
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboTag tag = node->v.element.tag;
    if (IsDropped(tag)) return;
    if (IsInline(tag)) {
      CollectInline(node, &loose_);
      return;
    }
    FlushLoose();
    const v1::PassageType type = PassageTypeOf(node);
    if (type != v1::PASSAGE_TYPE_UNSPECIFIED) {
      PassageBuilder builder(type);
      CollectChildren(node, &builder);
      Emit(&builder);
      return;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      WalkBlock(static_cast<const GumboNode*>(children.data[i]));
    }
    FlushLoose();
  }

  void FlushLoose() { Emit(&loose_); }

 private:
  void Emit(PassageBuilder* builder) {
    std::optional<v1::Passage> passage = builder->Finish();
    if (passage.has_value()) out_->push_back(std::move(*passage));
  }

  void CollectChildren(const GumboNode* node, PassageBuilder* builder) {
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      CollectInline(static_cast<const GumboNode*>(children.data[i]), builder);
    }
  }

  void CollectInline(const GumboNode* node, PassageBuilder* builder) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        builder->AppendText(node->v.text.text);
        return;
      case GUMBO_NODE_ELEMENT:
        break;
      default:
        return;
    }
    const GumboTag tag = node->v.element.tag;
    if (IsDropped(tag)) return;
    if (tag == GUMBO_TAG_BR) {
      builder->Break();
      return;
    }
    if (tag == GUMBO_TAG_A) {
      const absl::string_view href =
          absl::StripAsciiWhitespace(Attribute(node, "href"));
      const bool linked =
          !href.empty() && !absl::StartsWithIgnoreCase(href, "javascript:");
      if (linked) builder->BeginLink(ResolveUrl(base_url_, href));
      CollectChildren(node, builder);
      if (linked) builder->EndLink();
      return;
    }
    const bool block = !IsInline(tag);
    if (block) builder->Break();
    CollectChildren(node, builder);
    if (block) builder->Break();
  }

  absl::string_view base_url_;
  std::vector<v1::Passage>* out_;
  PassageBuilder loose_{v1::PARAGRAPH};
};

}  // namespace

bool LooksLikeHtml(absl::string_view body) {
  size_t pos = 0;
  while ((pos = body.find('<', pos)) != absl::string_view::npos) {
    ++pos;
    if (pos < body.size() &&
        (absl::ascii_isalpha(body[pos]) ||
         (body[pos] == '/' && pos + 1 < body.size() &&
          absl::ascii_isalpha(body[pos + 1])))) {
      return true;
    }
  }
  return false;
}

absl::Status ReadHtmlBody(absl::string_view body, int first_line,
                          absl::string_view base_url, int max_depth,
                          std::vector<v1::Passage>* passages) {
  if (absl::Status depth = CheckDepth(body, first_line, max_depth);
      !depth.ok()) {
    return depth;
  }
  GumboOutput* output =
      gumbo_parse_with_options(&kGumboDefaultOptions, body.data(), body.size());
  const std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> owned(
      output, [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  HtmlBodyWalker walker(base_url, passages);
  walker.WalkBlock(output->root);
  walker.FlushLoose();
  return absl::OkStatus();
}

}  // namespace biocorpus
