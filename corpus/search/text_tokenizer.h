#ifndef BIOCORPUS_CORPUS_SEARCH_TEXT_TOKENIZER_H_
#define BIOCORPUS_CORPUS_SEARCH_TEXT_TOKENIZER_H_

// How text becomes search terms, the same for the index (ingest) and the
// query (query service).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace biocorpus {

// One searchable unit of a text.
struct TextToken {
  // The word as it is matched exactly (phrases, prefixes): NFKC case-folded,
  // typographic apostrophes and dashes folded to ASCII ("Biden’s" ->
  // "biden's").
  std::string exact;
  // The word as single words match it: `exact` stemmed with the Snowball
  // English stemmer ("regulations" -> "regul"); for a CJK character, the
  // character itself.
  std::string stem;
  // The token's number in the text (0, 1, 2 ...): phrases match consecutive
  // positions.
  uint32_t position = 0;
  // Where it lies in the text, in bytes.
  size_t start = 0;
  size_t end = 0;
  // A Han, Hiragana or Katakana character: indexed one character per token,
  // so that any run of characters can be found ("安全法" in "生物安全法").
  bool cjk = false;
};

// Splits text into tokens with ICU word boundaries (the root locale's
// rules): words and numbers are tokens, punctuation and space are not; a
// run of CJK characters gives one token per character. `text` must be UTF-8.
// Thread-safe.
std::vector<TextToken> Tokenize(absl::string_view text);

// The stem of a folded word (see TextToken::stem). Thread-safe.
std::string StemWord(absl::string_view exact);

// NFKC case folding with apostrophes and dashes folded (TextToken::exact).
std::string FoldWord(absl::string_view word);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_SEARCH_TEXT_TOKENIZER_H_
