#include "ingest_service/parsers/converter_markup.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus/text/text_normalizer.h"
#include "corpus/text/utf8.h"

namespace biocorpus {
namespace {

// ---- LaTeX fragments ------------------------------------------------------

const std::map<std::string, std::string, std::less<>>& SymbolCommands() {
  static const auto* const kSymbols = new std::map<std::string, std::string, std::less<>>{
      {"dagger", "†"}, {"dag", "†"},      {"ddagger", "‡"}, {"ddag", "‡"},
      {"ast", "*"},    {"star", "*"},     {"S", "§"},       {"P", "¶"},
      {"alpha", "α"},  {"beta", "β"},     {"gamma", "γ"},   {"delta", "δ"},
      {"Delta", "Δ"},  {"epsilon", "ε"},  {"varepsilon", "ε"}, {"kappa", "κ"},
      {"lambda", "λ"}, {"mu", "μ"},       {"pi", "π"},      {"sigma", "σ"},
      {"tau", "τ"},    {"chi", "χ"},      {"omega", "ω"},   {"pm", "±"},
      {"mp", "∓"},     {"times", "×"},    {"div", "÷"},     {"cdot", "·"},
      {"leq", "≤"},    {"le", "≤"},       {"geq", "≥"},     {"ge", "≥"},
      {"neq", "≠"},    {"ne", "≠"},       {"approx", "≈"},  {"sim", "~"},
      {"circ", "°"},   {"degree", "°"},   {"prime", "′"},   {"infty", "∞"},
      {"rightarrow", "→"}, {"to", "→"},   {"leftarrow", "←"}, {"ldots", "…"},
      {"cdots", "…"},  {"dots", "…"},     {"textless", "<"}, {"textgreater", ">"},
      {"lt", "<"},     {"gt", ">"},       {"percent", "%"},
  };
  return *kSymbols;
}

// Commands whose argument is shown as is (fonts, boxes); \text-like ones
// keep the spaces of their argument.
bool IsFontCommand(absl::string_view name) {
  static constexpr absl::string_view kFonts[] = {
      "mathrm", "mathsf", "mathbf", "mathit", "mathtt", "mathcal", "mathbb",
      "mathscr", "mathfrak", "boldsymbol", "bm", "operatorname", "rm", "sf",
      "bf", "it", "tt", "cal", "displaystyle", "textstyle", "scriptstyle",
      "left", "right", "big", "Big", "bigl", "bigr", "mathord", "mathrel"};
  for (absl::string_view font : kFonts) {
    if (name == font) return true;
  }
  return false;
}

bool IsTextCommand(absl::string_view name) {
  return name == "text" || name == "textrm" || name == "textsf" ||
         name == "textbf" || name == "textit" || name == "texttt" ||
         name == "mbox" || name == "hbox" || name == "textup" || name == "emph";
}

std::string UnicodeSuperscript(const std::string& text) {
  static const auto* const kSuper = new std::map<char, std::string>{
      {'0', "⁰"}, {'1', "¹"}, {'2', "²"}, {'3', "³"}, {'4', "⁴"}, {'5', "⁵"},
      {'6', "⁶"}, {'7', "⁷"}, {'8', "⁸"}, {'9', "⁹"}, {'+', "⁺"}, {'-', "⁻"},
      {'=', "⁼"}, {'(', "⁽"}, {')', "⁾"}};
  std::string out;
  for (char c : text) {
    auto it = kSuper->find(c);
    if (it == kSuper->end()) return text;
    out += it->second;
  }
  return out;
}

class MathReader {
 public:
  MathReader(absl::string_view math, Superscripts superscripts)
      : s_(math), superscripts_(superscripts) {}

  std::string Read() { return Group(/*keep_spaces=*/false, /*until_brace=*/false); }

 private:
  // Reads up to the closing brace of the current group (consumed) or the end.
  std::string Group(bool keep_spaces, bool until_brace) {
    std::string out;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '}') {
        ++pos_;
        if (until_brace) return out;
        continue;
      }
      if (c == '{') {
        ++pos_;
        out += Group(keep_spaces, true);
      } else if (c == '\\') {
        out += Command();
      } else if (c == '^' || c == '_') {
        ++pos_;
        const std::string argument = Argument();
        if (c == '_') {
          out += argument;
        } else if (superscripts_ == Superscripts::kMarked) {
          out += std::string(kSuperscriptOpen) + argument + std::string(kSuperscriptClose);
        } else {
          out += UnicodeSuperscript(argument);
        }
      } else if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '~') {
        ++pos_;
        if (keep_spaces) out += ' ';
      } else {
        out += c;
        ++pos_;
      }
    }
    return out;
  }

  // The argument of ^ or _: a group, a command, or one character.
  std::string Argument() {
    while (pos_ < s_.size() && absl::ascii_isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ >= s_.size()) return "";
    if (s_[pos_] == '{') {
      ++pos_;
      return Group(false, true);
    }
    if (s_[pos_] == '\\') return Command();
    // One character, which may be several bytes.
    size_t length = 1;
    const unsigned char lead = static_cast<unsigned char>(s_[pos_]);
    if (lead >= 0xF0) length = 4;
    else if (lead >= 0xE0) length = 3;
    else if (lead >= 0xC0) length = 2;
    std::string out(s_.substr(pos_, length));
    pos_ += length;
    return out;
  }

  std::string Command() {
    ++pos_;  // The backslash.
    if (pos_ >= s_.size()) return "";
    size_t end = pos_;
    while (end < s_.size() && absl::ascii_isalpha(static_cast<unsigned char>(s_[end]))) ++end;
    if (end == pos_) {
      // A one-character command: \% \# \& \_ \$ \{ \} and spacing.
      const char c = s_[pos_++];
      if (c == ',' || c == ';' || c == ':' || c == ' ') return " ";
      if (c == '!') return "";
      return std::string(1, c);
    }
    const absl::string_view name = s_.substr(pos_, end - pos_);
    pos_ = end;
    if (IsTextCommand(name)) {
      while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '{') {
        ++pos_;
        return Group(true, true);
      }
      return "";
    }
    if (IsFontCommand(name)) return "";
    if (name == "quad" || name == "qquad") return " ";
    auto it = SymbolCommands().find(name);
    if (it != SymbolCommands().end()) return it->second;
    return "";  // An unknown command shows nothing.
  }

  absl::string_view s_;
  Superscripts superscripts_;
  size_t pos_ = 0;
};

// LaTeX markup, or math as converters space it ("$P < 0 . 0 5$": every
// token one character).
bool HasLatexMarkup(absl::string_view math) {
  if (math.find_first_of("\\^_{}") != absl::string_view::npos) return true;
  const std::vector<absl::string_view> tokens =
      absl::StrSplit(math, ' ', absl::SkipEmpty());
  if (tokens.empty()) return false;
  for (absl::string_view token : tokens) {
    if (token.size() != 1) return false;
  }
  return true;
}

// ---- Code points ----------------------------------------------------------

// The digit a superscript digit shows, or -1.
int SuperscriptDigit(UChar32 c) {
  switch (c) {
    case 0x2070: return 0;
    case 0x00B9: return 1;
    case 0x00B2: return 2;
    case 0x00B3: return 3;
    default:
      if (c >= 0x2074 && c <= 0x2079) return static_cast<int>(c - 0x2070);
      return -1;
  }
}

bool IsEqualContributionSymbol(UChar32 c) {
  return c == '#' || c == 0x2020 /*†*/ || c == 0x2021 /*‡*/ || c == 0xFF03 /*＃*/;
}

bool IsCorrespondingSymbol(UChar32 c) {
  return c == '*' || c == 0x2217 /*∗*/ || c == 0xFF0A /*＊*/ || c == 0x2709 /*✉*/;
}

bool IsNameSeparator(UChar32 c) {
  return c == ',' || c == ';' || c == 0xFF0C /*，*/ || c == 0xFF1B /*；*/ ||
         c == 0x3001 /*、*/;
}

bool IsInstitutionWord(absl::string_view word) {
  static constexpr absl::string_view kWords[] = {
      "university", "universidad", "universität", "université", "institute",
      "institut", "department", "school", "college", "center", "centre",
      "hospital", "academy", "laboratory", "laboratories", "lab", "ministry",
      "faculty", "division", "agency", "foundation", "council", "commission",
      "organization", "organisation", "programme", "program", "clinic",
      "bureau", "office", "unit", "society", "association", "corporation",
      "inc", "ltd", "china", "province", "city", "district", "street", "road",
      "key", "state", "national", "abstract", "summary", "keywords",
      "background", "introduction", "correspondence", "email", "e-mail"};
  const std::string lower = absl::AsciiStrToLower(word);
  for (absl::string_view w : kWords) {
    if (lower == w) return true;
  }
  return false;
}

bool EndsWithHanInstitution(absl::string_view name) {
  static constexpr absl::string_view kSuffixes[] = {
      "大学", "学院", "中心", "医院", "研究所", "研究院", "实验室", "委员会",
      "省", "市", "县", "区", "局", "部", "所", "院", "会", "科", "室", "组"};
  for (absl::string_view suffix : kSuffixes) {
    if (absl::EndsWith(name, suffix)) return true;
  }
  return false;
}

bool IsNameParticle(absl::string_view word) {
  static constexpr absl::string_view kParticles[] = {
      "van", "von", "de", "der", "den", "da", "di", "du", "del", "della",
      "la", "le", "bin", "binti", "al", "el", "dos", "das", "do", "ter", "y", "zu"};
  for (absl::string_view p : kParticles) {
    if (word == p) return true;
  }
  return false;
}

// A personal name: two to five Han characters (a middle dot allowed), or one
// to five Latin words each capitalised (or a particle such as "van").
bool IsPersonalName(absl::string_view name) {
  const std::vector<DecodedCodePoint> points = DecodeCodePoints(name);
  if (points.empty()) return false;
  if (IsHanCharacter(points[0].c)) {
    int han = 0;
    for (const DecodedCodePoint& p : points) {
      if (IsHanCharacter(p.c)) {
        ++han;
      } else if (p.c != 0x00B7 && p.c != 0x30FB && p.c != 0x2022) {
        return false;
      }
    }
    return han >= 2 && han <= 5 && !EndsWithHanInstitution(name);
  }
  const std::vector<absl::string_view> words = absl::StrSplit(name, ' ', absl::SkipEmpty());
  if (words.empty() || words.size() > 5) return false;
  int letters = 0;
  for (absl::string_view word : words) {
    if (IsInstitutionWord(word)) return false;
    const std::vector<DecodedCodePoint> w = DecodeCodePoints(word);
    if (!u_isUAlphabetic(w[0].c)) return false;
    if (!u_isupper(w[0].c) && !IsNameParticle(word)) return false;
    for (const DecodedCodePoint& p : w) {
      if (u_isUAlphabetic(p.c)) {
        ++letters;
      } else if (p.c != '-' && p.c != '.' && p.c != '\'' && p.c != 0x2019) {
        return false;
      }
    }
  }
  return letters >= 2;
}

// Removes spaces between Han characters ("张 伟" -> "张伟"), which converters
// insert between glyphs.
std::string JoinHanSpacing(absl::string_view name) {
  const std::vector<DecodedCodePoint> points = DecodeCodePoints(name);
  std::string out;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].c == ' ' && i > 0 && i + 1 < points.size() &&
        IsHanCharacter(points[i - 1].c) && IsHanCharacter(points[i + 1].c)) {
      continue;
    }
    absl::StrAppend(&out, name.substr(points[i].start, points[i].end - points[i].start));
  }
  return out;
}

// Splits "Yan Sun and Kai Zhou" at its conjunctions.
std::vector<std::string> SplitConjunctions(absl::string_view name) {
  std::vector<std::string> out;
  std::vector<std::string> current;
  for (absl::string_view word : absl::StrSplit(name, ' ', absl::SkipEmpty())) {
    if (word == "and" || word == "&" || word == "和" || word == "及") {
      if (!current.empty()) out.push_back(absl::StrJoin(current, " "));
      current.clear();
      continue;
    }
    current.emplace_back(word);
  }
  if (!current.empty()) out.push_back(absl::StrJoin(current, " "));
  return out;
}

// Reads the markers held in a superscript or written after a name into
// `into`: digits and letters as affiliation markers (comma separated), the
// symbols as roles.
void AddMarkers(absl::string_view markers, MarkedName* into) {
  std::string current;
  auto flush = [&]() {
    if (!current.empty()) into->affiliations.push_back(current);
    current.clear();
  };
  for (const DecodedCodePoint& p : DecodeCodePoints(markers)) {
    if (IsEqualContributionSymbol(p.c)) {
      flush();
      into->equal_contribution = true;
    } else if (IsCorrespondingSymbol(p.c)) {
      flush();
      into->corresponding = true;
    } else if (p.c >= '0' && p.c <= '9') {
      current += static_cast<char>(p.c);
    } else if (SuperscriptDigit(p.c) >= 0) {
      current += static_cast<char>('0' + SuperscriptDigit(p.c));
    } else if (p.c < 0x80 && absl::ascii_isalpha(static_cast<char>(p.c))) {
      flush();
      current += static_cast<char>(p.c);
      flush();
    } else {
      flush();  // Commas, spaces, hyphens between markers.
    }
  }
  flush();
}

}  // namespace

std::string LatexToText(absl::string_view line, Superscripts superscripts) {
  if (line.find('$') == absl::string_view::npos &&
      line.find("\\(") == absl::string_view::npos) {
    return std::string(line);
  }
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    absl::string_view open;
    absl::string_view close;
    if (absl::StartsWith(line.substr(i), "$$")) {
      open = close = "$$";
    } else if (line[i] == '$') {
      open = close = "$";
    } else if (absl::StartsWith(line.substr(i), "\\(")) {
      open = "\\(";
      close = "\\)";
    }
    if (open.empty()) {
      out += line[i++];
      continue;
    }
    const size_t start = i + open.size();
    const size_t end = line.find(close, start);
    if (end == absl::string_view::npos) {
      absl::StrAppend(&out, line.substr(i));
      break;
    }
    const absl::string_view math = line.substr(start, end - start);
    if (HasLatexMarkup(math)) {
      out += MathReader(math, superscripts).Read();
    } else {
      absl::StrAppend(&out, line.substr(i, end + close.size() - i));
    }
    i = end + close.size();
  }
  return out;
}

std::string WithoutSuperscriptMarks(absl::string_view marked) {
  return absl::StrReplaceAll(marked, {{kSuperscriptOpen, ""}, {kSuperscriptClose, ""}});
}

std::optional<std::vector<MarkedName>> ReadAuthorLine(absl::string_view marked,
                                                      bool require_markers) {
  std::vector<MarkedName> names;
  MarkedName current;
  std::string markers;
  bool marker_run = false;
  bool pending_space = false;
  bool in_superscript = false;
  bool valid = true;
  auto finish = [&]() {
    const std::string name = NormalizeText(JoinHanSpacing(current.name));
    std::vector<std::string> parts = SplitConjunctions(name);
    AddMarkers(markers, &current);
    for (size_t i = 0; i < parts.size(); ++i) {
      MarkedName named;
      if (i + 1 == parts.size()) named = current;
      named.name = parts[i];
      if (!IsPersonalName(named.name)) valid = false;
      names.push_back(std::move(named));
    }
    if (parts.empty() && !markers.empty()) valid = false;  // Markers on nothing.
    current = MarkedName();
    markers.clear();
    marker_run = false;
    pending_space = false;
  };
  const std::vector<DecodedCodePoint> points = DecodeCodePoints(marked);
  for (size_t i = 0; i < points.size() && valid; ++i) {
    const DecodedCodePoint& p = points[i];
    const absl::string_view bytes = marked.substr(p.start, p.end - p.start);
    if (bytes == kSuperscriptOpen) {
      if (current.name.empty()) return std::nullopt;
      in_superscript = true;
      marker_run = true;
      markers += ',';
      continue;
    }
    if (bytes == kSuperscriptClose) {
      in_superscript = false;
      markers += ',';
      continue;
    }
    if (in_superscript) {
      absl::StrAppend(&markers, bytes);
      continue;
    }
    const bool ascii_digit = p.c >= '0' && p.c <= '9';
    if (SuperscriptDigit(p.c) >= 0 || ascii_digit) {
      // Digits are markers right after a name or another marker; anywhere
      // else they are not part of a personal name.
      if (current.name.empty()) return std::nullopt;
      if (ascii_digit && pending_space && !marker_run) return std::nullopt;
      absl::StrAppend(&markers, bytes);
      marker_run = true;
      continue;
    }
    if (p.c == ',' && marker_run && i + 1 < points.size() &&
        (SuperscriptDigit(points[i + 1].c) >= 0 ||
         (points[i + 1].c >= '0' && points[i + 1].c <= '9'))) {
      markers += ',';
      continue;
    }
    if (IsEqualContributionSymbol(p.c) || IsCorrespondingSymbol(p.c)) {
      if (current.name.empty()) return std::nullopt;
      absl::StrAppend(&markers, bytes);
      marker_run = true;
      continue;
    }
    if (IsNameSeparator(p.c)) {
      if (!current.name.empty()) finish();
      continue;
    }
    if (u_isspace(p.c) || p.c == 0x3000) {
      pending_space = true;
      continue;
    }
    if (marker_run) finish();  // Markers end a name: "Zhang1 Li2".
    if (pending_space && !current.name.empty()) current.name += ' ';
    pending_space = false;
    absl::StrAppend(&current.name, bytes);
  }
  if (!valid) return std::nullopt;
  if (!current.name.empty()) finish();
  if (!valid || names.empty()) return std::nullopt;
  if (require_markers) {
    bool any = false;
    for (const MarkedName& n : names) {
      any = any || !n.affiliations.empty() || n.equal_contribution || n.corresponding;
    }
    if (!any) return std::nullopt;
  }
  return names;
}

namespace {

// If `line` starts with an affiliation number, returns it and the rest.
std::optional<MarkedAffiliation> NumberedAffiliation(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  MarkedAffiliation out;
  absl::string_view rest;
  if (absl::StartsWith(line, kSuperscriptOpen)) {
    const size_t close = line.find(kSuperscriptClose);
    if (close == absl::string_view::npos) return std::nullopt;
    out.marker = std::string(line.substr(kSuperscriptOpen.size(), close - kSuperscriptOpen.size()));
    out.marker = std::string(absl::StripAsciiWhitespace(out.marker));
    rest = line.substr(close + kSuperscriptClose.size());
  } else {
    const std::vector<DecodedCodePoint> points = DecodeCodePoints(line.substr(0, 16));
    size_t i = 0;
    size_t bytes = 0;
    const bool bracketed = !points.empty() && (points[0].c == '(' || points[0].c == '[' ||
                                               points[0].c == 0xFF08);
    if (bracketed) bytes = points[i++].end;
    bool superscript = false;
    while (i < points.size()) {
      const int sup = SuperscriptDigit(points[i].c);
      if (points[i].c >= '0' && points[i].c <= '9') {
        out.marker += static_cast<char>(points[i].c);
      } else if (sup >= 0) {
        out.marker += static_cast<char>('0' + sup);
        superscript = true;
      } else {
        break;
      }
      bytes = points[i++].end;
    }
    if (out.marker.empty() || out.marker.size() > 2) return std::nullopt;
    if (bracketed) {
      if (i >= points.size() ||
          (points[i].c != ')' && points[i].c != ']' && points[i].c != 0xFF09)) {
        return std::nullopt;
      }
      bytes = points[i++].end;
    } else if (!superscript && i < points.size()) {
      // "1 Dept", "2.Inter", "3、School", "4Department": a digit then a
      // separator or a capital; not "1990 was".
      const UChar32 next = points[i].c;
      if (next == '.' || next == 0x3001 || next == ')' || next == 0xFF0E) {
        bytes = points[i++].end;
      } else if (next != ' ' && !u_isupper(next) && !IsHanCharacter(next)) {
        return std::nullopt;
      }
    }
    rest = line.substr(bytes);
  }
  out.text = NormalizeText(WithoutSuperscriptMarks(rest));
  while (!out.text.empty() && (out.text.back() == ';' || out.text.back() == '.' ||
                               out.text.back() == ',')) {
    out.text.pop_back();
  }
  if (out.text.empty() || out.marker.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::vector<MarkedAffiliation>> ReadNumberedAffiliations(
    absl::string_view marked) {
  absl::string_view line = absl::StripAsciiWhitespace(marked);
  // The one-line form: "(1. A; 2. B)" with ASCII or full-width brackets.
  absl::string_view inner = line;
  const bool wrapped =
      (absl::ConsumePrefix(&inner, "(") && absl::ConsumeSuffix(&inner, ")")) ||
      (absl::ConsumePrefix(&inner, "（") && absl::ConsumeSuffix(&inner, "）"));
  if (wrapped) {
    std::vector<MarkedAffiliation> out;
    const std::string unified = absl::StrReplaceAll(inner, {{"；", ";"}});
    for (absl::string_view part : absl::StrSplit(unified, ';', absl::SkipWhitespace())) {
      std::optional<MarkedAffiliation> one = NumberedAffiliation(part);
      if (!one) {
        // An unnumbered single affiliation in brackets.
        if (out.empty() && NamesInstitution(part)) {
          out.push_back(MarkedAffiliation{"", NormalizeText(part)});
          continue;
        }
        return std::nullopt;
      }
      out.push_back(std::move(*one));
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  std::optional<MarkedAffiliation> one = NumberedAffiliation(line);
  if (!one) return std::nullopt;
  return std::vector<MarkedAffiliation>{std::move(*one)};
}

bool NamesInstitution(absl::string_view text) {
  static constexpr absl::string_view kLatin[] = {
      "universit", "institut", "department", "school", "college", "center",
      "centre", "hospital", "academy", "laborator", "ministry", "faculty",
      "agency", "foundation", "council", "commission", "organization",
      "organisation", "clinic", "bureau", "division", "program", "inc.",
      "ltd", "corporation", "company"};
  static constexpr absl::string_view kHan[] = {
      "大学", "学院", "研究所", "研究院", "中心", "医院", "实验室", "委员会",
      "学会", "协会", "公司", "局", "研究会"};
  const std::string lower = absl::AsciiStrToLower(text);
  for (absl::string_view word : kLatin) {
    if (absl::StrContains(lower, word)) return true;
  }
  for (absl::string_view word : kHan) {
    if (absl::StrContains(text, word)) return true;
  }
  return false;
}

}  // namespace biocorpus
