#include "corpus/search/text_tokenizer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>

namespace biocorpus {
namespace {

// ICU objects are not thread-safe: one of each per thread.
icu::BreakIterator* WordBreaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode error = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), error));
    return U_FAILURE(error) ? nullptr : std::move(b);
  }();
  return breaker.get();
}

struct Stemmer {
  sb_stemmer* stemmer = sb_stemmer_new("english", "UTF_8");
  ~Stemmer() {
    if (stemmer != nullptr) sb_stemmer_delete(stemmer);
  }
};

bool IsCjk(UChar32 c) {
  if (c < 0x2E80) return false;  // Below every CJK block.
  UErrorCode error = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &error);
  return U_SUCCESS(error) &&
         (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA);
}

// Apostrophes and dashes of other code points, as ASCII.
UChar32 FoldPunctuation(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0xFF07:
      return '\'';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE63: case 0xFF0D:
      return '-';
    default:
      return c;
  }
}

}  // namespace

std::string FoldWord(absl::string_view word) {
  // Plain ASCII folds to lower case (NFKC leaves it as it is).
  if (std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string out(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(error);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString folded;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    folded.append(FoldPunctuation(c));
    i += U16_LENGTH(c);
  }
  if (U_SUCCESS(error)) folded = folding->normalize(folded, error);
  std::string out;
  if (U_SUCCESS(error)) folded.toUTF8String(out);
  return out;
}

std::string StemWord(absl::string_view exact) {
  thread_local Stemmer stemmer;
  if (stemmer.stemmer == nullptr || exact.empty()) return std::string(exact);
  const sb_symbol* stemmed = sb_stemmer_stem(
      stemmer.stemmer, reinterpret_cast<const sb_symbol*>(exact.data()),
      static_cast<int>(exact.size()));
  if (stemmed == nullptr) return std::string(exact);
  return std::string(reinterpret_cast<const char*>(stemmed),
                     static_cast<size_t>(sb_stemmer_length(stemmer.stemmer)));
}

std::vector<TextToken> Tokenize(absl::string_view text) {
  std::vector<TextToken> tokens;
  icu::BreakIterator* breaker = WordBreaker();
  if (breaker == nullptr || text.empty()) return tokens;
  // Break on a UTF-8 UText, so that boundaries are byte offsets.
  UErrorCode error = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &error);
  if (U_FAILURE(error)) return tokens;
  breaker->setText(utext, error);
  if (U_FAILURE(error)) {
    utext_close(utext);
    return tokens;
  }
  uint32_t position = 0;
  int32_t start = breaker->first();
  for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker->next()) {
    if (breaker->getRuleStatus() == UBRK_WORD_NONE) continue;  // Space, punctuation.
    const absl::string_view word = text.substr(start, end - start);
    // A run of CJK characters: one token per character; other characters in
    // the same word (Latin letters inside a CJK run) stay together.
    size_t i = 0;
    size_t other_start = std::string::npos;
    auto flush_other = [&](size_t until) {
      if (other_start == std::string::npos) return;
      TextToken& token = tokens.emplace_back();
      token.exact = FoldWord(word.substr(other_start, until - other_start));
      token.stem = StemWord(token.exact);
      token.position = position++;
      token.start = start + other_start;
      token.end = start + until;
      other_start = std::string::npos;
    };
    while (i < word.size()) {
      UChar32 c = 0;
      int32_t next = static_cast<int32_t>(i);
      U8_NEXT(word.data(), next, static_cast<int32_t>(word.size()), c);
      if (c >= 0 && IsCjk(c)) {
        flush_other(i);
        TextToken& token = tokens.emplace_back();
        token.exact = FoldWord(word.substr(i, next - i));
        token.stem = token.exact;
        token.position = position++;
        token.start = start + i;
        token.end = start + next;
        token.cjk = true;
      } else if (other_start == std::string::npos) {
        other_start = i;
      }
      i = static_cast<size_t>(next);
    }
    flush_other(word.size());
  }
  utext_close(utext);
  return tokens;
}

}  // namespace biocorpus
