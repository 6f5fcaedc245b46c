#include "corpus/text/text_normalizer.h"

#include <gumbo.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "absl/strings/str_replace.h"

namespace biocorpus {
namespace {

std::string ToNfc(absl::string_view text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error)) return std::string(text);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (nfc->isNormalized(source, error) && U_SUCCESS(error)) {
    return std::string(text);
  }
  error = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(source, error);
  if (U_FAILURE(error)) return std::string(text);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

void CollectText(const GumboNode* node, std::string* out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) {
    out->append(node->v.text.text);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) {
    return;
  }
  const GumboVector& children = node->type == GUMBO_NODE_DOCUMENT
                                    ? node->v.document.children
                                    : node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    CollectText(static_cast<const GumboNode*>(children.data[i]), out);
  }
}

}  // namespace

void NormalizedTextBuilder::Append(absl::string_view raw) {
  const std::string nfc = ToNfc(raw);
  const auto* s = reinterpret_cast<const uint8_t*>(nfc.data());
  const int32_t length = static_cast<int32_t>(nfc.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;  // Input is validated upstream; skip defensively.
    if (u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B) {
      pending_space_ = true;
      continue;
    }
    if (pending_space_ && !text_.empty()) text_.push_back(' ');
    pending_space_ = false;
    text_.append(nfc, start, i - start);
  }
}

std::string NormalizeText(absl::string_view text) {
  NormalizedTextBuilder builder;
  builder.Append(text);
  return builder.text();
}

std::string DecodeEntities(absl::string_view text) {
  if (text.find('&') == absl::string_view::npos) return std::string(text);
  // Parse as the text of a <title> element (RCDATA), where the parser decodes
  // character references but never treats '<' as markup.
  std::string html = "<title>";
  html += absl::StrReplaceAll(text, {{"</", "&lt;/"}});
  html += "</title>";
  GumboOutput* output = gumbo_parse_with_options(
      &kGumboDefaultOptions, html.data(), html.size());
  std::string decoded;
  CollectText(output->document, &decoded);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return decoded;
}

}  // namespace biocorpus
