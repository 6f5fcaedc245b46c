#include "ingest_service/tagging/concept_matcher.h"

#include <hs.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <cstdlib>
#include <cstdint>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "corpus/model/spans.h"
#include "corpus/text/utf8.h"
#include "ingest_service/tagging/name_recognizer.h"

namespace biocorpus {
namespace {

// Text case-folded for matching (NFKC case folding, traditional Han
// characters simplified, typographic apostrophes, quotes and dashes made
// ASCII), with the way back: for each byte of the
// folded text, the original byte range of the code point it came from.
struct FoldedText {
  std::string text;
  std::vector<uint32_t> original_start;
  std::vector<uint32_t> original_end;
};

// Han characters of the traditional script mapped to their simplified
// forms (ICU's Hant-Hans transliterator, one character at a time, computed
// once): 中國 and 中国 match alike. 0 where a character maps to itself.
constexpr UChar32 kFirstHan = 0x3400;
constexpr UChar32 kLastHan = 0x9FFF;
const std::vector<UChar32>& SimplifiedHan() {
  static const std::vector<UChar32>* const table = [] {
    auto* simplified = new std::vector<UChar32>(kLastHan - kFirstHan + 1, 0);
    UErrorCode error = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> transliterator(
        icu::Transliterator::createInstance("Hant-Hans", UTRANS_FORWARD, error));
    if (U_FAILURE(error) || transliterator == nullptr) return simplified;
    for (UChar32 c = kFirstHan; c <= kLastHan; ++c) {
      icu::UnicodeString one(c);
      transliterator->transliterate(one);
      if (one.countChar32() == 1 && one.char32At(0) != c) {
        (*simplified)[static_cast<size_t>(c - kFirstHan)] = one.char32At(0);
      }
    }
    return simplified;
  }();
  return *table;
}

FoldedText Fold(absl::string_view text) {
  const std::vector<UChar32>& simplified = SimplifiedHan();
  FoldedText folded;
  folded.text.reserve(text.size());
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(error);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= kFirstHan && c <= kLastHan && simplified[static_cast<size_t>(c - kFirstHan)] != 0) {
      c = simplified[static_cast<size_t>(c - kFirstHan)];
    }
    std::string piece;
    if (c >= 0 && c < 0x80) {
      piece.push_back(absl::ascii_tolower(static_cast<char>(c)));
    } else if (c == 0x2019 || c == 0x2018 || c == 0x02BC) {
      piece.push_back('\'');  // Typographic apostrophes match ASCII ones,
    } else if (c == 0x201C || c == 0x201D) {
      piece.push_back('"');  // quotes,
    } else if ((c >= 0x2010 && c <= 0x2013) || c == 0x2212) {
      piece.push_back('-');  // and dashes.
    } else if (c < 0 || U_FAILURE(error)) {
      piece = std::string(text.substr(start, i - start));
    } else {
      UErrorCode e = U_ZERO_ERROR;
      const icu::UnicodeString out = nfkc_cf->normalize(icu::UnicodeString(c), e);
      if (U_FAILURE(e)) {
        piece = std::string(text.substr(start, i - start));
      } else {
        out.toUTF8String(piece);
      }
    }
    folded.text += piece;
    folded.original_start.insert(folded.original_start.end(), piece.size(),
                                 static_cast<uint32_t>(start));
    folded.original_end.insert(folded.original_end.end(), piece.size(),
                               static_cast<uint32_t>(i));
  }
  return folded;
}

// Letters and digits of scripts that separate words with spaces.
bool IsWordCodePoint(UChar32 c) {
  if (c < 0 || !u_isalnum(c)) return false;
  UErrorCode error = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &error);
  return script != USCRIPT_HAN && script != USCRIPT_HIRAGANA &&
         script != USCRIPT_KATAKANA;
}

void AppendEscaped(absl::string_view literal, std::string* pattern) {
  for (char c : literal) {
    if (c == ' ' || c == '-') {
      // A space or hyphen in a synonym matches either, or a Unicode hyphen.
      pattern->append("(?:[ \\-]|\xE2\x80\x90|\xE2\x80\x91|\xE2\x80\x93)");
    } else if (absl::ascii_isalnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      pattern->push_back(c);
    } else {
      pattern->push_back('\\');
      pattern->push_back(c);
    }
  }
}

bool IsVowel(char c) { return absl::string_view("aeiou").find(c) != absl::string_view::npos; }

// A Hyperscan pattern for an English synonym (already folded): the words,
// then the plural and possessive endings where the last word ends in a letter.
std::string EnglishPattern(absl::string_view term) {
  std::string pattern;
  const char last = term.back();
  if (!absl::ascii_isalpha(last)) {
    AppendEscaped(term, &pattern);
    return pattern;
  }
  const bool consonant_y = last == 'y' && term.size() >= 2 &&
                           absl::ascii_isalpha(term[term.size() - 2]) &&
                           !IsVowel(term[term.size() - 2]);
  if (consonant_y) {
    AppendEscaped(term.substr(0, term.size() - 1), &pattern);
    pattern.append("(?:y|ies)");
  } else {
    AppendEscaped(term, &pattern);
    const bool sibilant = last == 's' || last == 'x' || last == 'z' ||
                          (term.size() >= 2 && (term.substr(term.size() - 2) == "ch" ||
                                                term.substr(term.size() - 2) == "sh"));
    pattern.append(sibilant ? "(?:es)?" : "s?");
  }
  pattern.append("(?:(?:'|\xE2\x80\x99)s)?");
  return pattern;
}

// Code points a context word may be away from a match (Concept.unless_near).
constexpr int kNearWindow = 24;

// Orders annotations by where they start, keeping the order of those that
// start together.
void SortBySpan(std::vector<v1::Annotation>* annotations) {
  std::stable_sort(annotations->begin(), annotations->end(),
                   [](const v1::Annotation& a, const v1::Annotation& b) {
                     return a.span().start_byte() < b.span().start_byte();
                   });
}

// The end of a name's mention without a possessive after it: "NIH" of
// "NIH's", "FDA" of "FDA’s".
size_t WithoutPossessive(absl::string_view text, size_t start, size_t end) {
  const absl::string_view mention = text.substr(start, end - start);
  for (absl::string_view suffix : {"'s", "\xE2\x80\x99s"}) {
    if (mention.size() > suffix.size() && absl::EndsWith(mention, suffix)) {
      return end - suffix.size();
    }
  }
  return end;
}

bool IsNameCategory(v1::ConceptCategory category) {
  return category == v1::ORGANIZATION || category == v1::PERSON || category == v1::LOCATION ||
         category == v1::LEGISLATION;
}

bool StartsWithHan(absl::string_view text) {
  return !text.empty() && IsHanCharacter(FirstCodePoint(text));
}

// `at` moved `count` code points back (or forward) in `s`, within bounds.
size_t StepCodePoints(absl::string_view s, size_t at, int count) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = static_cast<int32_t>(at);
  const int32_t length = static_cast<int32_t>(s.size());
  for (int n = 0; n < std::abs(count); ++n) {
    if (count < 0 && i > 0) U8_BACK_1(bytes, 0, i);
    if (count > 0 && i < length) U8_FWD_1(bytes, i, length);
  }
  return static_cast<size_t>(i);
}

struct Candidate {
  uint32_t start;
  uint32_t end;
  int concept_index;
};

struct ScanContext {
  std::vector<std::pair<unsigned, std::pair<uint64_t, uint64_t>>> hits;
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
            unsigned int /*flags*/, void* context) {
  static_cast<ScanContext*>(context)->hits.push_back({id, {from, to}});
  return 0;  // Keep scanning.
}

absl::Status Compile(const std::vector<std::string>& expressions,
                     const std::vector<std::string>& names, bool portable, hs_database_t** db) {
  if (expressions.empty()) return absl::OkStatus();
  hs_platform_info_t generic{};
  generic.tune = HS_TUNE_FAMILY_GENERIC;
  std::vector<const char*> pointers;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    flags.push_back(HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK,
                       portable ? &generic : nullptr, db, &error) != HS_SUCCESS) {
    const std::string where =
        error->expression >= 0 ? names[static_cast<size_t>(error->expression)]
                               : std::string("the vocabulary");
    const std::string message = absl::StrCat(
        "cannot compile ", where, " for matching: ", error->message);
    hs_free_compile_error(error);
    return absl::InternalError(message);
  }
  return absl::OkStatus();
}

// FNV-1a: a fingerprint of the vocabulary text a serialized matcher was
// compiled from.
uint64_t Fingerprint(absl::string_view text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

constexpr absl::string_view kSerializedMagic = "biocorpus-matcher-1\n";

void AppendDatabase(const hs_database_t* db, std::string* out) {
  char* bytes = nullptr;
  size_t length = 0;
  if (db != nullptr && hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) length = 0;
  out->append(reinterpret_cast<const char*>(&length), sizeof(length));
  out->append(bytes == nullptr ? "" : bytes, length);
  std::free(bytes);
}

// Reads one database of a serialized matcher; false when it does not load
// (another Hyperscan version or a processor it was not compiled for).
bool ReadDatabase(absl::string_view* in, hs_database_t** db) {
  size_t length = 0;
  if (in->size() < sizeof(length)) return false;
  std::memcpy(&length, in->data(), sizeof(length));
  in->remove_prefix(sizeof(length));
  if (in->size() < length) return false;
  if (length > 0 && hs_deserialize_database(in->data(), length, db) != HS_SUCCESS) return false;
  in->remove_prefix(length);
  return true;
}

// China, by its concept id: the country whose places are part of the
// Chinese names of its bodies.
constexpr absl::string_view kChina = "place/china";

}  // namespace

std::vector<ConceptMatcher::PlaceKind> ConceptMatcher::PlaceKinds(
    const std::vector<v1::Concept>& concepts, const Vocabulary& vocabulary) {
  std::vector<PlaceKind> kinds(concepts.size(), PlaceKind::kOther);
  absl::flat_hash_set<absl::string_view> parents;
  for (const v1::Concept& c : concepts) {
    if (!c.parent().empty()) parents.insert(c.parent());
  }
  for (size_t i = 0; i < concepts.size(); ++i) {
    const v1::Concept* c = &concepts[i];
    if (c->category() != v1::LOCATION) continue;
    // China, a place under it, or a place whose Chinese name says it is
    // China's (中国台湾省, 中国澳门特别行政区).
    bool domestic = std::any_of(c->chinese_synonyms().begin(), c->chinese_synonyms().end(),
                                [](const std::string& s) { return absl::StartsWith(s, "中国"); });
    for (int depth = 0; c != nullptr && depth < 8 && !domestic; ++depth) {
      domestic = c->id() == kChina;
      c = c->parent().empty() ? nullptr : vocabulary.Find(c->parent());
    }
    // A country: a place at the top that has places under it.
    const v1::Concept& concept = concepts[i];
    if (domestic) {
      kinds[i] = PlaceKind::kDomestic;
    } else if (concept.parent().empty() && parents.count(concept.id()) > 0) {
      kinds[i] = PlaceKind::kForeign;
    }
  }
  return kinds;
}

ConceptMatcher::PlaceKind ConceptMatcher::PlaceKindOf(absl::string_view id) const {
  const v1::Concept* c = vocabulary_->Find(id);
  if (c == nullptr) return PlaceKind::kOther;
  return place_kinds_[static_cast<size_t>(c - vocabulary_->concepts().data())];
}

void ConceptMatcher::JoinChineseNames(absl::string_view text,
                                      std::vector<v1::Annotation>* annotations) const {
  const int unlisted = recognized_[v1::ORGANIZATION];
  if (annotations->size() < 2 || unlisted < 0) return;
  const std::string& unlisted_id = vocabulary_->concepts()[static_cast<size_t>(unlisted)].id();
  auto start = [](const v1::Annotation& a) { return a.span().start_byte(); };
  auto end = [](const v1::Annotation& a) { return a.span().end_byte(); };
  auto chinese_organization = [&](const v1::Annotation& a) {
    return a.category() == v1::ORGANIZATION && StartsWithHan(a.text());
  };
  if (std::none_of(annotations->begin(), annotations->end(), chinese_organization)) return;
  auto join = [&](const v1::Annotation& a, const v1::Annotation& b, const std::string& gap,
                  const std::string& concept) {
    v1::Annotation whole = b;
    whole.set_concept(concept);
    whole.set_text(a.text() + gap + b.text());
    whole.mutable_span()->set_start_byte(a.span().start_byte());
    whole.mutable_span()->set_start_char(a.span().start_char());
    return whole;
  };
  std::vector<v1::Annotation> out;
  out.reserve(annotations->size());
  for (v1::Annotation& a : *annotations) {
    if (!out.empty() && chinese_organization(a) && out.back().category() == v1::LOCATION &&
        end(out.back()) == start(a) && out.back().concept() != kChina &&
        PlaceKindOf(out.back().concept()) == PlaceKind::kDomestic &&
        StartsWithHan(out.back().text())) {
      // A province's or a city's body of the same name is another body.
      out.back() = join(out.back(), a, "", unlisted_id);
      continue;
    }
    out.push_back(std::move(a));
  }
  // Two organizations written together, directly or with 附属 ("affiliated
  // to") between them, and no third, the first an academy or a university.
  std::vector<v1::Annotation> wholes;
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    const v1::Annotation& a = out[i];
    const v1::Annotation& b = out[i + 1];
    if (!chinese_organization(a) || !chinese_organization(b)) continue;
    const bool next_to = end(a) == start(b);
    const bool affiliated =
        start(b) > end(a) && text.substr(end(a), start(b) - end(a)) == "附属";
    if (!next_to && !affiliated) continue;
    // An institute's official name holds its academy's or university's
    // (中国科学院武汉病毒研究所), a subsidiary's no group's (国药集团中国生物).
    const bool academic = absl::EndsWith(a.text(), "院") || absl::EndsWith(a.text(), "大学") ||
                          absl::EndsWith(a.text(), "大學");
    if (!academic) continue;
    const bool third_before = i > 0 && chinese_organization(out[i - 1]) && end(out[i - 1]) == start(a);
    const bool third_after = i + 2 < out.size() && chinese_organization(out[i + 2]) &&
                             end(b) == start(out[i + 2]);
    if (third_before || third_after) continue;
    wholes.push_back(join(a, b, next_to ? "" : "附属", unlisted_id));
  }
  for (v1::Annotation& w : wholes) out.push_back(std::move(w));
  SortBySpan(&out);
  *annotations = std::move(out);
}

absl::StatusOr<std::unique_ptr<ConceptMatcher>> ConceptMatcher::Build(
    std::shared_ptr<const Vocabulary> vocabulary) {
  return Make(std::move(vocabulary), false, PrecompiledMatcher());
}

absl::StatusOr<std::unique_ptr<ConceptMatcher>> ConceptMatcher::BuildPortable(
    std::shared_ptr<const Vocabulary> vocabulary) {
  return Make(std::move(vocabulary), true, {});
}

absl::StatusOr<std::string> ConceptMatcher::Serialize() const {
  std::string out(kSerializedMagic);
  const uint64_t fingerprint = Fingerprint(vocabulary_->text());
  out.append(reinterpret_cast<const char*>(&fingerprint), sizeof(fingerprint));
  AppendDatabase(folded_db_, &out);
  AppendDatabase(cased_db_, &out);
  return out;
}

absl::StatusOr<std::unique_ptr<ConceptMatcher>> ConceptMatcher::Make(
    std::shared_ptr<const Vocabulary> vocabulary, bool portable, absl::string_view serialized) {
  auto matcher = std::unique_ptr<ConceptMatcher>(new ConceptMatcher());
  matcher->vocabulary_ = std::move(vocabulary);
  matcher->recognized_.fill(-1);
  std::vector<std::string> folded_expressions, folded_names;
  std::vector<std::string> cased_expressions, cased_names;
  const std::vector<v1::Concept>& concepts = matcher->vocabulary_->concepts();
  for (size_t i = 0; i < concepts.size(); ++i) {
    const v1::Concept& c = concepts[i];
    if (c.recognized()) {
      matcher->recognized_[static_cast<size_t>(c.category())] = static_cast<int>(i);
      matcher->recognizes_ = true;
    }
    auto add = [&](const std::string& synonym, bool cased, bool english) {
      const std::string term = cased ? synonym : Fold(synonym).text;
      if (term.empty()) return;
      std::string expression;
      if (english || cased) {
        expression = EnglishPattern(term);
      } else {
        AppendEscaped(term, &expression);
      }
      const Pattern pattern{static_cast<int>(i),
                            IsWordCodePoint(FirstCodePoint(term)),
                            IsWordCodePoint(LastCodePoint(term))};
      const std::string name = absl::StrCat("concept ", c.id(), " synonym '", synonym, "'");
      if (cased) {
        matcher->cased_patterns_.push_back(pattern);
        cased_expressions.push_back(expression);
        cased_names.push_back(name);
      } else {
        matcher->folded_patterns_.push_back(pattern);
        folded_expressions.push_back(expression);
        folded_names.push_back(name);
      }
    };
    for (const std::string& s : c.english_synonyms()) add(s, false, true);
    for (const std::string& s : c.chinese_synonyms()) add(s, false, false);
    for (const std::string& s : c.acronyms()) add(s, true, true);
    for (const std::string& s : c.names()) add(s, true, true);
    ContextRules& rules = matcher->rules_.emplace_back();
    for (const std::string& s : c.unless_near()) rules.near.push_back(Fold(s).text);
    for (const std::string& s : c.unless_within()) rules.within.push_back(Fold(s).text);
  }
  matcher->place_kinds_ = PlaceKinds(concepts, *matcher->vocabulary_);
  // The build's compiled copy, when it was compiled from this very text.
  bool loaded = false;
  uint64_t fingerprint = 0;
  if (serialized.size() > kSerializedMagic.size() + sizeof(fingerprint) &&
      absl::StartsWith(serialized, kSerializedMagic)) {
    serialized.remove_prefix(kSerializedMagic.size());
    std::memcpy(&fingerprint, serialized.data(), sizeof(fingerprint));
    serialized.remove_prefix(sizeof(fingerprint));
    loaded = fingerprint == Fingerprint(matcher->vocabulary_->text()) &&
             ReadDatabase(&serialized, &matcher->folded_db_) &&
             ReadDatabase(&serialized, &matcher->cased_db_) &&
             (matcher->folded_db_ != nullptr) == !folded_expressions.empty() &&
             (matcher->cased_db_ != nullptr) == !cased_expressions.empty();
    if (!loaded) {
      for (hs_database_t** db : {&matcher->folded_db_, &matcher->cased_db_}) {
        if (*db != nullptr) hs_free_database(*db);
        *db = nullptr;
      }
    }
  }
  if (!loaded) {
    if (absl::Status s =
            Compile(folded_expressions, folded_names, portable, &matcher->folded_db_);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = Compile(cased_expressions, cased_names, portable, &matcher->cased_db_);
        !s.ok()) {
      return s;
    }
  }
  for (hs_database_t* db : {matcher->folded_db_, matcher->cased_db_}) {
    if (db != nullptr &&
        hs_alloc_scratch(db, &matcher->prototype_scratch_) != HS_SUCCESS) {
      return absl::ResourceExhaustedError("cannot allocate Hyperscan scratch space");
    }
  }
  return matcher;
}

ConceptMatcher::~ConceptMatcher() {
  for (hs_scratch_t* scratch : scratch_pool_) hs_free_scratch(scratch);
  if (prototype_scratch_ != nullptr) hs_free_scratch(prototype_scratch_);
  if (folded_db_ != nullptr) hs_free_database(folded_db_);
  if (cased_db_ != nullptr) hs_free_database(cased_db_);
}

hs_scratch_t* ConceptMatcher::AcquireScratch() const {
  {
    std::lock_guard<std::mutex> lock(scratch_mu_);
    if (!scratch_pool_.empty()) {
      hs_scratch_t* scratch = scratch_pool_.back();
      scratch_pool_.pop_back();
      return scratch;
    }
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prototype_scratch_, &scratch) != HS_SUCCESS) return nullptr;
  return scratch;
}

void ConceptMatcher::ReleaseScratch(hs_scratch_t* scratch) const {
  std::lock_guard<std::mutex> lock(scratch_mu_);
  scratch_pool_.push_back(scratch);
}

std::vector<v1::Annotation> ConceptMatcher::Match(absl::string_view text) const {
  std::vector<v1::Annotation> annotations;
  if (text.empty() || prototype_scratch_ == nullptr) return annotations;
  hs_scratch_t* scratch = AcquireScratch();
  if (scratch == nullptr) return annotations;

  const FoldedText folded = Fold(text);
  std::vector<Candidate> candidates;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  auto at_boundaries = [&](const Pattern& p, uint32_t start, uint32_t end) {
    if (p.check_start && start > 0) {
      int32_t i = static_cast<int32_t>(start);
      UChar32 before;
      U8_PREV(s, 0, i, before);
      if (IsWordCodePoint(before)) return false;
    }
    if (p.check_end && static_cast<int32_t>(end) < length) {
      int32_t i = static_cast<int32_t>(end);
      UChar32 after;
      U8_NEXT(s, i, length, after);
      if (IsWordCodePoint(after)) return false;
    }
    return true;
  };
  auto scan = [&](hs_database_t* db, absl::string_view haystack, bool mapped,
                  const std::vector<Pattern>& patterns) {
    if (db == nullptr || haystack.empty()) return;
    ScanContext context;
    hs_scan(db, haystack.data(), static_cast<unsigned>(haystack.size()), 0, scratch,
            OnMatch, &context);
    for (const auto& [id, range] : context.hits) {
      const Pattern& pattern = patterns[id];
      uint32_t start = static_cast<uint32_t>(range.first);
      uint32_t end = static_cast<uint32_t>(range.second);
      if (end <= start) continue;
      if (mapped) {
        start = folded.original_start[start];
        end = folded.original_end[end - 1];
      }
      if (at_boundaries(pattern, start, end)) {
        candidates.push_back({start, end, pattern.concept_index});
      }
    }
  };
  scan(folded_db_, folded.text, true, folded_patterns_);
  scan(cased_db_, text, false, cased_patterns_);
  ReleaseScratch(scratch);

  // Context rules: a match near one of its concept's `unless_near` words,
  // or inside one of its `unless_within` strings, is no mention.
  auto excluded = [&](const Candidate& c) {
    const ContextRules& rules = rules_[static_cast<size_t>(c.concept_index)];
    if (rules.near.empty() && rules.within.empty()) return false;
    const std::vector<uint32_t>& starts = folded.original_start;
    const size_t lo = static_cast<size_t>(
        std::lower_bound(starts.begin(), starts.end(), c.start) - starts.begin());
    const size_t hi = static_cast<size_t>(
        std::lower_bound(starts.begin(), starts.end(), c.end) - starts.begin());
    const absl::string_view all(folded.text);
    for (const std::string& within : rules.within) {
      const size_t from = lo >= within.size() ? lo - within.size() : 0;
      for (size_t at = all.find(within, from); at != absl::string_view::npos && at <= lo;
           at = all.find(within, at + 1)) {
        if (at + within.size() >= hi) return true;
      }
    }
    // A context word counts when it begins or ends within the window.
    const size_t window_start = StepCodePoints(all, lo, -kNearWindow);
    const size_t window_end = StepCodePoints(all, hi, kNearWindow);
    for (const std::string& near : rules.near) {
      const size_t from = window_start >= near.size() ? window_start - near.size() + 1 : 0;
      const size_t to = std::min(all.size(), window_end + near.size() - 1);
      if (all.substr(from, to - from).find(near) != absl::string_view::npos) return true;
    }
    return false;
  };
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(), excluded),
                   candidates.end());

  // Leftmost-longest; equal spans of different concepts are all kept.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::make_tuple(a.start, b.end, a.concept_index) <
           std::make_tuple(b.start, a.end, b.concept_index);
  });
  uint32_t taken_start = 0, taken_end = 0;
  bool any = false;
  const std::vector<v1::Concept>& concepts = vocabulary_->concepts();
  for (const Candidate& c : candidates) {
    const bool same_span = any && c.start == taken_start && c.end == taken_end;
    if (!same_span) {
      if (any && c.start < taken_end) continue;  // Inside a longer match.
      taken_start = c.start;
      taken_end = c.end;
      any = true;
    }
    // The same concept may match one span through several synonyms.
    const std::string& id = concepts[c.concept_index].id();
    if (same_span &&
        std::any_of(annotations.rbegin(), annotations.rend(), [&](const v1::Annotation& a) {
          return static_cast<uint32_t>(a.span().start_byte()) == c.start && a.concept() == id;
        })) {
      continue;
    }
    const v1::ConceptCategory category = concepts[c.concept_index].category();
    const size_t end = IsNameCategory(category) ? WithoutPossessive(text, c.start, c.end) : c.end;
    v1::Annotation annotation;
    annotation.set_concept(concepts[c.concept_index].id());
    annotation.set_category(category);
    annotation.set_text(std::string(text.substr(c.start, end - c.start)));
    *annotation.mutable_span() = MakeSpan(text, c.start, end);
    annotations.push_back(std::move(annotation));
  }
  if (recognizes_) AddRecognizedNames(text, &annotations);
  AddDefinedAcronyms(text, &annotations);
  JoinChineseNames(text, &annotations);
  return annotations;
}

void ConceptMatcher::AddRecognizedNames(absl::string_view text,
                                        std::vector<v1::Annotation>* annotations) const {
  const std::vector<v1::Concept>& concepts = vocabulary_->concepts();
  std::vector<bool> dropped(annotations->size(), false);
  std::vector<v1::Annotation> added;
  for (RecognizedName name : RecognizeNames(text)) {
    const int index = recognized_[static_cast<size_t>(name.category)];
    if (index < 0) continue;
    name.end = WithoutPossessive(text, name.start, name.end);
    // Names overlap: the first, and of those starting together the longest,
    // wins ("Nanshan District People's Court" over "Nanshan District").
    if (std::any_of(added.begin(), added.end(), [&](const v1::Annotation& a) {
          return static_cast<size_t>(a.span().end_byte()) > name.start &&
                 static_cast<size_t>(a.span().start_byte()) < name.end;
        })) {
      continue;
    }
    if (name.category == v1::LOCATION) {
      // A listed place before a recognized one is its own mention
      // (河南省 + 郑州市); the rest must still be a name.
      for (const v1::Annotation& a : *annotations) {
        const size_t start = static_cast<size_t>(a.span().start_byte());
        const size_t end = static_cast<size_t>(a.span().end_byte());
        if (a.category() == v1::LOCATION && start == name.start && end < name.end) {
          name.start = end;
        }
      }
      if (CodePointCount(text.substr(name.start, name.end - name.start)) < 3) continue;
    }
    bool known = false;
    std::vector<size_t> inside;
    // Listed laws inside a recognised law's name (《中华人民共和国 + a listed
    // regulation》): one becomes the whole name.
    std::vector<size_t> listed_laws;
    for (size_t i = 0; i < annotations->size() && !known; ++i) {
      const v1::Annotation& a = (*annotations)[i];
      const size_t start = static_cast<size_t>(a.span().start_byte());
      const size_t end = static_cast<size_t>(a.span().end_byte());
      if (end <= name.start || start >= name.end) continue;  // Apart.
      const bool covers = start <= name.start && end >= name.end;
      const bool within = start >= name.start && end <= name.end;
      const bool named = a.category() == v1::ORGANIZATION || a.category() == v1::PERSON ||
                         a.category() == v1::LEGISLATION;
      // The vocabulary knows the name, or reads the text otherwise: a
      // listed concept covers it, crosses it, or is the same organization
      // with a qualifier before it ("U.S." + a listed agency).
      const bool listed_with_suffix =
          within && a.category() == v1::ORGANIZATION && start == name.start &&
          IsOrganizationSuffix(text.substr(end, name.end - end));
      const bool organization = name.category == v1::ORGANIZATION;
      const bool law = name.category == v1::LEGISLATION;
      if (within && law && a.category() == v1::LEGISLATION && !covers) {
        listed_laws.push_back(i);
        continue;
      }
      if (covers || (!within && named) || (!organization && !law) ||
          (within && organization && a.category() == v1::ORGANIZATION && end == name.end) ||
          listed_with_suffix) {
        known = true;
        continue;
      }
      // A place, a pathogen or a technique inside an organization's name is
      // part of the name (中国科学院, University of Ghana, Target Malaria,
      // Biosafety Level 3 Laboratory), except a place written before a
      // listed organization, which qualifies it (美国 + 约翰斯·霍普金斯大学…).
      // Inside a law's name, so is a topic (the National Biodefense
      // Strategy is no separate mention of biodefense).
      const bool part_of_name =
          a.category() == v1::LOCATION || a.category() == v1::PATHOGEN ||
          a.category() == v1::TECHNOLOGY || (law && a.category() == v1::TOPIC);
      if (within && part_of_name) {
        // Another country written before a Chinese name qualifies it too
        // (美国 + 约翰霍普金斯健康安全中心): the name begins after it.
        const bool foreign = a.category() == v1::LOCATION && start == name.start &&
                             organization && end < name.end &&
                             PlaceKindOf(a.concept()) == PlaceKind::kForeign &&
                             StartsWithHan(text.substr(start));
        const bool qualifier =
            foreign ||
            (a.category() == v1::LOCATION && start == name.start &&
             std::any_of(annotations->begin(), annotations->end(), [&](const v1::Annotation& o) {
               return o.category() == v1::ORGANIZATION &&
                      static_cast<size_t>(o.span().start_byte()) == end;
             }));
        if (foreign) name.start = end;
        if (!qualifier) inside.push_back(i);
      }
    }
    if (known || listed_laws.size() > 1) continue;
    for (size_t i : inside) dropped[i] = true;
    v1::Annotation annotation;
    if (listed_laws.size() == 1) {
      dropped[listed_laws[0]] = true;
      annotation = (*annotations)[listed_laws[0]];
      annotation.set_text(std::string(text.substr(name.start, name.end - name.start)));
      *annotation.mutable_span() = MakeSpan(text, name.start, name.end);
      added.push_back(std::move(annotation));
      continue;
    }
    annotation.set_concept(concepts[static_cast<size_t>(index)].id());
    annotation.set_category(name.category);
    annotation.set_text(std::string(text.substr(name.start, name.end - name.start)));
    *annotation.mutable_span() = MakeSpan(text, name.start, name.end);
    added.push_back(std::move(annotation));
  }
  if (added.empty()) return;
  std::vector<v1::Annotation> merged;
  merged.reserve(annotations->size() + added.size());
  for (size_t i = 0; i < annotations->size(); ++i) {
    if (!dropped[i]) merged.push_back(std::move((*annotations)[i]));
  }
  for (v1::Annotation& a : added) merged.push_back(std::move(a));
  SortBySpan(&merged);
  *annotations = std::move(merged);
}

void ConceptMatcher::AddDefinedAcronyms(absl::string_view text,
                                        std::vector<v1::Annotation>* annotations) {
  auto taken = [&](size_t start, size_t end) {
    return std::any_of(annotations->begin(), annotations->end(), [&](const v1::Annotation& a) {
      return static_cast<size_t>(a.span().end_byte()) > start &&
             static_cast<size_t>(a.span().start_byte()) < end;
    });
  };
  std::vector<v1::Annotation> added;
  for (const v1::Annotation& a : *annotations) {
    if (a.category() != v1::ORGANIZATION && a.category() != v1::LEGISLATION) continue;
    size_t start = 0, end = 0;
    if (!DefinedAcronym(text, static_cast<size_t>(a.span().end_byte()), &start, &end)) continue;
    const absl::string_view acronym = text.substr(start, end - start);
    // The definition, and every other mention of the acronym as a word.
    for (size_t at = text.find(acronym); at != absl::string_view::npos;
         at = text.find(acronym, at + 1)) {
      const size_t after = at + acronym.size();
      auto letter_at = [&](size_t i) {
        return i < text.size() && absl::ascii_isalnum(static_cast<unsigned char>(text[i]));
      };
      const bool word = (at == 0 || !letter_at(at - 1)) && !letter_at(after);
      if (!word || taken(at, after) ||
          std::any_of(added.begin(), added.end(), [&](const v1::Annotation& b) {
            return static_cast<size_t>(b.span().start_byte()) == at;
          })) {
        continue;
      }
      v1::Annotation annotation;
      annotation.set_concept(a.concept());
      annotation.set_category(a.category());
      annotation.set_text(std::string(acronym));
      *annotation.mutable_span() = MakeSpan(text, at, after);
      added.push_back(std::move(annotation));
    }
  }
  if (added.empty()) return;
  for (v1::Annotation& a : added) annotations->push_back(std::move(a));
  SortBySpan(annotations);
}

}  // namespace biocorpus
