#include "ingest_service/parsers/markdown_body_reader.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/identity/identifiers.h"
#include "corpus/text/text_normalizer.h"
#include "ingest_service/passages/passage_builder.h"

namespace biocorpus {
namespace {

// Appends Markdown inline text, turning [text](url) into links.
void AppendInline(absl::string_view text, absl::string_view base_url,
                  PassageBuilder* builder) {
  const std::string plain =
      DecodeEntities(absl::StrReplaceAll(text, {{"**", ""}, {"__", ""}}));
  absl::string_view rest = plain;
  while (!rest.empty()) {
    const size_t open = rest.find('[');
    if (open == absl::string_view::npos) break;
    const size_t close = rest.find("](", open + 1);
    const size_t end =
        close == absl::string_view::npos ? close : rest.find(')', close + 2);
    if (close == absl::string_view::npos || end == absl::string_view::npos ||
        rest.substr(open + 1, close - open - 1).find('[') !=
            absl::string_view::npos) {
      builder->AppendText(rest.substr(0, open + 1));
      rest.remove_prefix(open + 1);
      continue;
    }
    builder->AppendText(rest.substr(0, open));
    absl::string_view target = rest.substr(close + 2, end - close - 2);
    target = target.substr(0, target.find(' '));  // Drop a "title".
    builder->BeginLink(ResolveUrl(base_url, target));
    builder->AppendText(rest.substr(open + 1, close - open - 1));
    builder->EndLink();
    rest.remove_prefix(end + 1);
  }
  builder->AppendText(rest);
}

void EmitBlock(const std::vector<absl::string_view>& lines,
               absl::string_view base_url, std::vector<v1::Passage>* passages) {
  PassageBuilder paragraph(v1::PARAGRAPH);
  auto emit = [&](PassageBuilder* builder) {
    std::optional<v1::Passage> passage = builder->Finish();
    if (passage.has_value()) passages->push_back(std::move(*passage));
  };
  for (absl::string_view line : lines) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(t, "#")) {
      emit(&paragraph);
      PassageBuilder heading(v1::HEADING);
      const size_t hashes = t.find_first_not_of('#');
      AppendInline(hashes == absl::string_view::npos
                       ? absl::string_view()
                       : absl::StripLeadingAsciiWhitespace(t.substr(hashes)),
                   base_url, &heading);
      emit(&heading);
      continue;
    }
    const bool item = absl::StartsWith(t, "- ") || absl::StartsWith(t, "* ") ||
                      absl::StartsWith(t, "+ ");
    size_t digits = 0;
    while (digits < t.size() && absl::ascii_isdigit(t[digits])) ++digits;
    const bool numbered = digits > 0 && t.substr(digits, 2) == ". ";
    if (item || numbered) {
      emit(&paragraph);
      t.remove_prefix(item ? 2 : digits + 2);
    } else if (absl::ConsumePrefix(&t, ">")) {
      t = absl::StripLeadingAsciiWhitespace(t);
    }
    AppendInline(t, base_url, &paragraph);
    paragraph.Break();
  }
  emit(&paragraph);
}

}  // namespace

void ReadMarkdownBody(absl::string_view body, absl::string_view base_url,
                      std::vector<v1::Passage>* passages) {
  std::vector<absl::string_view> block;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (absl::StripAsciiWhitespace(line).empty()) {
      EmitBlock(block, base_url, passages);
      block.clear();
    } else {
      block.push_back(line);
    }
  }
  EmitBlock(block, base_url, passages);
}

}  // namespace biocorpus
