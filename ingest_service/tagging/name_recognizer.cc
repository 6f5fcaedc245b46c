#include "ingest_service/tagging/name_recognizer.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "corpus/text/utf8.h"

namespace biocorpus {
namespace {

using WordSet = absl::flat_hash_set<absl::string_view>;

// ---- English ----------------------------------------------------------------

// Head words of organization names.
const WordSet& OrganizationHeads() {
  static const auto* const kHeads = new WordSet{
      "University", "Institute", "Institutes", "College", "Academy", "Laboratory",
      "Laboratories", "Center", "Centre", "Centers", "Centres", "Department",
      "Ministry", "Agency", "Administration", "Association", "Society", "Council",
      "Commission", "Committee", "Foundation", "Corporation", "Company", "Inc",
      "Hospital", "Bureau", "Office", "Organization", "Organisation", "Federation",
      "Alliance", "Consortium", "Legislature", "Parliament", "Assembly", "Court",
      "Board", "Authority", "School", "Times", "Post", "Journal", "Tech", "Project",
      "Institution", "Museum", "Clinic", "Network", "Forum", "Coalition", "Union",
      "Directorate", "Programme", "News"};
  return *kHeads;
}

// Words that precede a person's name as a title.
const WordSet& PersonTitles() {
  static const auto* const kTitles = new WordSet{
      "Dr", "Prof", "Professor", "Mr", "Mrs", "Ms", "Miss", "Sen", "Senator", "Rep",
      "Representative", "Gov", "Governor", "President", "Vice", "Secretary",
      "Minister", "Director", "Chair", "Chairman", "Chairwoman", "Commissioner",
      "Ambassador", "Judge", "Justice", "Premier", "Chancellor", "Dean", "Sir", "Dame"};
  return *kTitles;
}

// Capitalised words that are not names: sentence openers, pronouns, months.
const WordSet& NotNames() {
  static const auto* const kWords = new WordSet{
      "The", "A", "An", "In", "At", "On", "Of", "For", "From", "By", "With", "To", "As",
      "And", "But", "Or", "If", "When", "While", "After", "Before", "Since", "During",
      "Under", "Over", "Through", "Across", "Among", "Between", "Both", "Each", "Every",
      "Many", "Some", "Several", "This", "That", "These", "Those", "Its", "Their", "His",
      "Her", "Our", "Your", "My", "According", "Last", "Next", "Other", "Such", "Most",
      "More", "All", "Any", "No", "Not", "It", "He", "She", "They", "We", "I", "You",
      "There", "Here", "What", "Which", "Who", "Why", "How", "Where", "Yet", "So", "Also",
      "Even", "Only", "Just", "Then", "Now", "Today", "Meanwhile", "However", "Although",
      "Though", "Because", "Despite", "Unlike", "Like", "Including", "Following",
      "Earlier", "Later", "Recently", "Instead", "Once", "Until", "Against", "Without",
      "Within", "About", "Into", "Upon", "Via", "Per", "Than", "Be", "Is", "Are", "Was",
      "Were", "Has", "Have", "Had", "Do", "Does", "Did", "Will", "Would", "Can", "Could",
      "Should", "May", "Might", "Must", "January", "February", "March", "April", "June",
      "July", "August", "September", "October", "November", "December", "Monday",
      "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mr", "Mrs",
      "Ms", "Dr", "Prof", "Professor", "COVID", "Covid", "SARS", "CRISPR", "DNA", "RNA"};
  return *kWords;
}

// Connectors allowed inside an organization name.
bool IsConnector(absl::string_view w) {
  return w == "of" || w == "for" || w == "on" || w == "and" || w == "&" || w == "the" ||
         w == "de" || w == "la" || w == "du" || w == "des";
}

// What a comma after a person's name introduces.
const WordSet& Appositions() {
  static const auto* const kWords = new WordSet{
      "who", "professor", "director", "researcher", "scientist", "virologist",
      "epidemiologist", "biologist", "microbiologist", "chemist", "physician", "doctor",
      "spokesperson", "spokesman", "spokeswoman", "president", "chair", "chairman",
      "founder", "head", "expert", "author", "senior", "former", "lead", "fellow",
      "analyst", "official", "secretary", "minister", "ambassador", "senator",
      "executive", "deputy", "chief", "associate", "assistant", "co-founder", "editor",
      "governor", "lawmaker", "immunologist", "geneticist", "bioethicist", "engineer"};
  return *kWords;
}

// Verbs of speech next to a person's name.
const WordSet& SpeechVerbs() {
  static const auto* const kWords = new WordSet{
      "said", "says", "told", "wrote", "writes", "added", "noted", "explained", "explains",
      "warned", "warns", "argued", "argues", "stated", "asked", "recalled", "cautioned",
      "acknowledged", "testified", "notes", "adds", "emphasized", "stressed", "believes"};
  return *kWords;
}

// First names of national name statistics (scripts/generate_given_names.py):
// a chunk of two or three name words that begins with one is a person's
// name ("Matthew Daley", "Emily Leproust").
constexpr std::string_view kGivenNames[] = {
#include "given_names.inc"
};

bool IsGivenName(absl::string_view word) {
  return std::binary_search(std::begin(kGivenNames), std::end(kGivenNames),
                            std::string_view(word.data(), word.size()));
}

struct Token {
  size_t start = 0;
  size_t end = 0;
  absl::string_view text;  // Without a sentence-final full stop.
  bool after_space = false;   // Only spaces since the previous token.
  bool sentence_end = false;  // A full stop, or punctuation, follows.
  bool capitalized = false;
};

UChar32 CodePointAt(absl::string_view text, size_t at, size_t* next) {
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
  *next = static_cast<size_t>(i);
  return c;
}

bool IsWordPart(UChar32 c) {
  if (c == '\'' || c == 0x2019 || c == '-' || c == '.' || c == '&') return true;
  if (c >= 0 && c < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (c < 0 || !u_isalnum(c)) return false;
  UErrorCode error = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &error);
  return script != USCRIPT_HAN && script != USCRIPT_HIRAGANA && script != USCRIPT_KATAKANA;
}

bool IsYear(absl::string_view word) {
  return word.size() == 4 && (word[0] == '1' || word[0] == '2') &&
         std::all_of(word.begin(), word.end(), [](char c) { return absl::ascii_isdigit(c); });
}

bool IsNumber(absl::string_view word) {
  return !word.empty() && absl::ascii_isdigit(static_cast<unsigned char>(word[0])) &&
         std::all_of(word.begin(), word.end(),
                     [](char c) { return absl::ascii_isdigit(c) || c == '-'; });
}

bool IsAbbreviation(absl::string_view word) {
  // "U.S.", "Dr.", "Inc.", "J."
  static const auto* const kAbbreviations = new WordSet{
      "Dr.", "Prof.", "Mr.", "Mrs.", "Ms.", "St.", "Inc.", "Ltd.", "Co.", "Corp.", "Sen.",
      "Rep.", "Gov.", "Gen.", "Jr.", "Sr.", "Dept.", "Univ.", "No.", "Mt.", "Ft."};
  if (kAbbreviations->count(word) > 0) return true;
  return word.size() >= 2 && word.back() == '.' &&
         (word.size() == 2 || word.find('.') != word.size() - 1);
}

std::vector<Token> EnglishTokens(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  bool only_spaces = false;
  while (i < text.size()) {
    size_t next = 0;
    UChar32 c = CodePointAt(text, i, &next);
    if (!IsWordPart(c) || c == '.' || c == '-' || c == '\'') {
      if (c == ' ') {
        // Spaces keep the tokens on either side together.
      } else {
        only_spaces = false;
        if (!tokens.empty()) tokens.back().sentence_end = true;
      }
      i = next;
      continue;
    }
    Token token;
    token.start = i;
    token.after_space = only_spaces && !tokens.empty();
    size_t j = i;
    while (j < text.size()) {
      size_t after = 0;
      const UChar32 d = CodePointAt(text, j, &after);
      if (!IsWordPart(d)) break;
      j = after;
    }
    absl::string_view word = text.substr(i, j - i);
    // Trailing punctuation that is not part of the word.
    while (!word.empty() && (word.back() == '-' || word.back() == '\'')) word.remove_suffix(1);
    if (absl::EndsWith(word, ".") && !IsAbbreviation(word)) {
      word.remove_suffix(1);
      token.sentence_end = true;
    }
    while (!word.empty() && word.back() == '.' && !IsAbbreviation(word)) word.remove_suffix(1);
    token.end = token.start + word.size();
    token.text = word;
    size_t ignored = 0;
    const UChar32 first = word.empty() ? -1 : CodePointAt(word, 0, &ignored);
    token.capitalized = first >= 0 && (u_isupper(first) || u_istitle(first));
    if (!word.empty()) tokens.push_back(token);
    only_spaces = true;
    i = j;
  }
  return tokens;
}

// "Organization's", "UNIDIR’s".
bool IsPossessive(absl::string_view word) {
  return absl::EndsWith(word, "'s") || absl::EndsWith(word, "\xE2\x80\x99s");
}

absl::string_view Bare(absl::string_view word) {
  absl::ConsumeSuffix(&word, ".");
  absl::ConsumeSuffix(&word, "'s");
  absl::ConsumeSuffix(&word, "\xE2\x80\x99s");
  return word;
}

bool IsHead(const Token& t) { return t.capitalized && OrganizationHeads().count(Bare(t.text)) > 0; }
bool IsTitle(const Token& t) { return t.capitalized && PersonTitles().count(Bare(t.text)) > 0; }

// A word that can be part of a personal name.
bool IsNameWord(const Token& t) {
  if (!t.capitalized || IsHead(t) || IsTitle(t)) return false;
  const absl::string_view bare = Bare(t.text);
  if (NotNames().count(bare) > 0) return false;
  if (std::any_of(bare.begin(), bare.end(), [](char c) { return absl::ascii_isdigit(c); })) {
    return false;
  }
  // All capitals longer than an initial is an acronym, not a name.
  const bool all_caps = std::none_of(bare.begin(), bare.end(),
                                     [](char c) { return absl::ascii_islower(c); });
  return !(all_caps && bare.size() > 2);
}

// A headline: most words capitalised and no full stop at the end.
bool TitleCase(absl::string_view text, const std::vector<Token>& tokens) {
  const absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(text);
  // A headline ends without punctuation; an affiliation or a list item
  // ends with ";" or ",".
  if (!trimmed.empty() && (trimmed.back() == '.' || trimmed.back() == '!' ||
                           trimmed.back() == '?' || trimmed.back() == '"' ||
                           trimmed.back() == ';' || trimmed.back() == ',')) {
    return false;
  }
  int words = 0, capitals = 0;
  for (const Token& t : tokens) {
    if (IsConnector(t.text) || t.text == "a" || t.text == "an" || t.text == "in" ||
        t.text == "to" || t.text == "at" || t.text == "with" || t.text == "by") {
      continue;
    }
    ++words;
    if (t.capitalized) ++capitals;
  }
  return words >= 4 && capitals * 100 >= words * 85;
}

void AddName(std::vector<RecognizedName>* out, size_t start, size_t end,
             v1::ConceptCategory category) {
  out->push_back(RecognizedName{start, end, category});
}

// Organizations in the chunk of tokens [a, b).
void FindOrganizations(const std::vector<Token>& t, size_t a, size_t b,
                       std::vector<RecognizedName>* out) {
  size_t i = a;
  while (i < b) {
    if (!IsHead(t[i])) {
      ++i;
      continue;
    }
    const size_t h = i;
    size_t s = h;
    while (s > a) {
      const Token& before = t[s - 1];
      // "the World Health Organization's Collaborating Center": a
      // possessive is another name.
      if (before.capitalized && !IsPossessive(before.text) && !IsTitle(before) &&
          NotNames().count(Bare(before.text)) == 0) {
        --s;
      } else if (IsNumber(before.text) && s - 1 > a && t[s - 2].capitalized) {
        --s;
      } else if (before.text == "&" && s - 1 > a && t[s - 2].capitalized) {
        s -= 2;
      } else {
        break;
      }
    }
    size_t e = h + 1;
    for (;;) {
      if (e < b && IsHead(t[e])) {
        ++e;
        continue;
      }
      if (e + 1 < b && IsConnector(t[e].text) && t[e].text != "the") {
        size_t j = e + 1;
        if (t[j].text == "the" && j + 1 < b) ++j;
        size_t k = j;
        bool head_in_run = false;
        while (k < b && t[k].capitalized && !IsTitle(t[k]) &&
               NotNames().count(Bare(t[k].text)) == 0) {
          head_in_run = head_in_run || IsHead(t[k]);
          ++k;
        }
        if (k == j) break;
        // "Harvard University and Yale University" is two organizations.
        if ((t[e].text == "and" || t[e].text == "&") && head_in_run) break;
        e = k;
        continue;
      }
      break;
    }
    int capitals = 0;
    for (size_t k = s; k < e; ++k) capitals += t[k].capitalized ? 1 : 0;
    if (capitals >= 2) AddName(out, t[s].start, t[e - 1].end, v1::ORGANIZATION);
    i = e;
  }
}

// Words that end a place name ("Clark County", "Shenzhen City", "Tiananmen
// Square") or begin one ("Lake Tahoe", "Fort Detrick").
const WordSet& PlaceHeads() {
  static const auto* const kHeads = new WordSet{
      "County", "Province", "Prefecture", "District", "Township", "Borough", "River",
      "Valley", "Island", "Islands", "Peninsula", "Mountains", "Desert", "Bay", "Strait",
      "City", "Sea", "Ocean", "Gulf", "Canal", "Coast", "Plateau", "Basin", "Harbor",
      "Harbour", "Airport", "Park", "Square", "Street", "Avenue"};
  return *kHeads;
}

// Places in the chunk of tokens [a, b).
void FindPlaces(const std::vector<Token>& t, size_t a, size_t b,
                std::vector<RecognizedName>* out) {
  for (size_t j = a; j < b; ++j) {
    const absl::string_view bare = Bare(t[j].text);
    if (t[j].capitalized && PlaceHeads().count(bare) > 0) {
      size_t s = j;
      while (s > a && t[s - 1].capitalized && !IsHead(t[s - 1]) && !IsTitle(t[s - 1]) &&
             NotNames().count(Bare(t[s - 1].text)) == 0 && j - s < 3) {
        --s;
      }
      if (s < j) AddName(out, t[s].start, t[j].start + bare.size(), v1::LOCATION);
    } else if ((bare == "Lake" || bare == "Mount" || bare == "Fort") && j + 1 < b &&
               IsNameWord(t[j + 1])) {
      AddName(out, t[j].start, t[j + 1].start + Bare(t[j + 1].text).size(), v1::LOCATION);
    }
  }
}

const WordSet& LawHeads();

// "Jordan Valley" and "Paris Agreement" begin with a given name too: a run
// ending in a place's or a law's head word is that place or law.
bool EndsAsPlaceOrLaw(const Token& last) {
  const absl::string_view bare = Bare(last.text);
  return PlaceHeads().count(bare) > 0 || LawHeads().count(bare) > 0;
}

// People in the chunk of tokens [a, b), which `text` holds.
void FindPeople(absl::string_view text, const std::vector<Token>& t, size_t a, size_t b,
                std::vector<RecognizedName>* out) {
  // After a title: "Dr. Jean Peccoud", "Governor Jay Inslee".
  for (size_t j = a; j < b; ++j) {
    if (!IsTitle(t[j])) continue;
    size_t k = j + 1;
    while (k < b && IsTitle(t[k])) ++k;
    const size_t first = k;
    while (k < b && k - first < 3 && IsNameWord(t[k])) ++k;
    if (k > first) {
      AddName(out, t[first].start, t[k - 1].end, v1::PERSON);
      j = k - 1;
    }
  }
  // A chunk that is all a name of two or three words, next to a cue or
  // beginning with a given name; after a possessive ("Berkeley's Jennifer
  // Doudna"), the words that follow it.
  size_t s = a;
  for (size_t k = a; k + 2 < b; ++k) {
    if (IsPossessive(t[k].text)) s = k + 1;
  }
  while (s < b && (NotNames().count(Bare(t[s].text)) > 0 || IsTitle(t[s]))) ++s;
  const size_t length = b - s;
  const bool all_names =
      length >= 2 && length <= 3 && std::all_of(t.begin() + s, t.begin() + b, IsNameWord);
  if (!all_names) {
    // A given name and one or two name words ending the chunk: "NTI
    // Co-Chair Sam Nunn", "CEO Ernest Moniz", "Secretary of State Antony
    // Blinken".
    for (size_t words : {3, 2}) {
      if (b < s + words + 1) continue;
      const size_t from = b - words;
      if (std::all_of(t.begin() + from, t.begin() + b, IsNameWord) &&
          IsGivenName(Bare(t[from].text)) && !EndsAsPlaceOrLaw(t[b - 1])) {
        AddName(out, t[from].start, t[b - 1].end, v1::PERSON);
        return;
      }
    }
    return;
  }
  const absl::string_view after = text.substr(t[b - 1].end, 48);
  const absl::string_view before = text.substr(0, t[s].start);
  bool cue = IsGivenName(Bare(t[s].text)) && !EndsAsPlaceOrLaw(t[b - 1]);
  absl::string_view rest = after;
  if (absl::ConsumePrefix(&rest, ", ")) {
    // ", a molecular virologist", ", currently a professor", ", who".
    int words = 0;
    while (!rest.empty() && words < 4 && !cue) {
      const size_t word_end = std::min(rest.find_first_of(" ,.;"), rest.size());
      cue = Appositions().count(rest.substr(0, word_end)) > 0;
      if (word_end >= rest.size() || rest[word_end] != ' ') break;
      rest.remove_prefix(word_end + 1);
      ++words;
    }
  } else if (absl::ConsumePrefix(&rest, " ")) {
    const size_t word_end = rest.find_first_of(" ,.;");
    cue = cue || SpeechVerbs().count(rest.substr(0, word_end)) > 0;
  }
  for (absl::string_view verb : {"said ", "says ", "according to ", "told ", "asked "}) {
    cue = cue || absl::EndsWith(before, verb);
  }
  if (cue) AddName(out, t[s].start, t[b - 1].end, v1::PERSON);
}

// A chunk that is all a personal name of two or three words (after a
// possessive such as "UNIDIR's"): its first and last token, or false.
bool NameChunk(const std::vector<Token>& t, size_t a, size_t b, size_t* first) {
  size_t s = a;
  if (s < b && IsPossessive(t[s].text)) {
    ++s;
  }
  while (s < b && NotNames().count(Bare(t[s].text)) > 0) ++s;
  if (b - s < 2 || b - s > 3) return false;
  for (size_t k = s; k < b; ++k) {
    if (!IsNameWord(t[k])) return false;
  }
  *first = s;
  return true;
}

// Lists of names: "Nicholas Sims, Richard Guthrie, Jean Pascal Zanders and
// several others": three or more chunks that are each a name, separated by
// ", " or " and ", are people.
void FindNameLists(absl::string_view text, const std::vector<Token>& t,
                   const std::vector<std::pair<size_t, size_t>>& chunks,
                   std::vector<RecognizedName>* out) {
  size_t i = 0;
  while (i < chunks.size()) {
    std::vector<std::pair<size_t, size_t>> names;  // Token ranges.
    size_t j = i;
    while (j < chunks.size()) {
      size_t first = 0;
      if (!NameChunk(t, chunks[j].first, chunks[j].second, &first)) break;
      names.emplace_back(first, chunks[j].second);
      if (j + 1 >= chunks.size()) break;
      const absl::string_view gap =
          text.substr(t[chunks[j].second - 1].end,
                      t[chunks[j + 1].first].start - t[chunks[j].second - 1].end);
      if (gap != ", " && gap != " and " && gap != ", and " && gap != " & ") break;
      ++j;
    }
    if (names.size() >= 3) {
      for (const auto& [from, to] : names) AddName(out, t[from].start, t[to - 1].end, v1::PERSON);
      i = j + 1;
    } else {
      ++i;
    }
  }
}

// Head words of the names of laws, treaties and policies.
const WordSet& LawHeads() {
  static const auto* const kHeads = new WordSet{
      "Act",        "Acts",      "Convention", "Treaty",    "Protocol",   "Compact",
      "Directive",  "Regulation", "Regulations", "Ordinance", "Statute", "Accord",
      "Agreement",  "Framework", "Guidance",   "Guidelines", "Strategy", "Policy",
      "Declaration", "Charter",  "Amendment"};
  return *kHeads;
}

bool IsLawHead(const Token& t) { return t.capitalized && LawHeads().count(Bare(t.text)) > 0; }

// Laws in the chunk of tokens [a, b) of `t`, skipping the spans of `names`
// (an organization's name holds "Technology Policy" in "Office of Science
// and Technology Policy"):
// "Health Insurance Portability and Accountability Act",
// "Framework for Nucleic Acid Synthesis Screening", "HHS Framework",
// "National Biodefense Strategy and Implementation Plan for Countering
// Biological Threats"; a year after the name is part of it ("Bioterrorism
// Act of 2002", "Human Tissue Act 2004").
void FindLaws(const std::vector<Token>& t, size_t a, size_t b,
              absl::Span<const RecognizedName> names, std::vector<RecognizedName>* out) {
  auto in_name = [&](const Token& token) {
    return std::any_of(names.begin(), names.end(), [&](const RecognizedName& n) {
      return token.start < n.end && token.end > n.start;
    });
  };
  size_t i = a;
  while (i < b) {
    if (!IsLawHead(t[i]) || in_name(t[i])) {
      ++i;
      continue;
    }
    size_t s = i;
    while (s > a) {
      const Token& before = t[s - 1];
      if (!before.capitalized || IsPossessive(before.text) || IsTitle(before) ||
          in_name(before) || NotNames().count(Bare(before.text)) > 0) {
        break;
      }
      --s;
    }
    size_t e = i + 1;
    while (e + 1 < b && IsConnector(t[e].text) && t[e].text != "the") {
      size_t j = e + 1;
      if (t[j].text == "the" && j + 1 < b) ++j;
      size_t k = j;
      bool head_in_run = false;
      while (k < b && t[k].capitalized && !IsTitle(t[k]) && !in_name(t[k]) &&
             NotNames().count(Bare(t[k].text)) == 0) {
        head_in_run = head_in_run || IsLawHead(t[k]) || Bare(t[k].text) == "Plan";
        ++k;
      }
      if (k == j) break;
      // "the Biosecurity Act and Congress": "and" joins a second part of a
      // name only when that part is one too ("Strategy and Implementation
      // Plan").
      if ((t[e].text == "and" || t[e].text == "&") && !head_in_run) break;
      e = k;
    }
    int capitals = 0;
    for (size_t k = s; k < e; ++k) capitals += t[k].capitalized ? 1 : 0;
    if (capitals >= 2) {
      size_t end = t[e - 1].end;
      if (e < t.size() && !t[e - 1].sentence_end && IsYear(t[e].text)) {
        end = t[e].end;
      } else if (e + 1 < t.size() && !t[e - 1].sentence_end && t[e].text == "of" &&
                 IsYear(t[e + 1].text)) {
        end = t[e + 1].end;
      }
      AddName(out, t[s].start, end, v1::LEGISLATION);
    }
    i = e;
  }
}

// Laws named by a number: "Executive Order 14110", "HB 1638", "H.R. 5376",
// "Public Law 107-188", "Resolution 1540".
void FindNumberedLaws(const std::vector<Token>& t, std::vector<RecognizedName>* out) {
  static const auto* const kBills =
      new WordSet{"HB", "SB", "AB", "HR", "H.R.", "H.B.", "S.B.", "A.B.", "LB", "HF", "SF"};
  for (size_t j = 0; j + 1 < t.size(); ++j) {
    size_t first = j, number = j + 1;
    if (t[j].text == "Executive" && t[j + 1].text == "Order" && j + 2 < t.size()) {
      number = j + 2;
      if (t[number].text == "No." && number + 1 < t.size()) ++number;
    } else if (t[j].text == "Public" && t[j + 1].text == "Law" && j + 2 < t.size()) {
      number = j + 2;
    } else if (t[j].text == "Resolution" || kBills->count(t[j].text) > 0) {
      first = j;
    } else {
      continue;
    }
    if (!IsNumber(t[number].text) || !t[number].after_space) continue;
    AddName(out, t[first].start, t[number].end, v1::LEGISLATION);
    j = number;
  }
}

void RecognizeEnglish(absl::string_view text, std::vector<RecognizedName>* out) {
  const std::vector<Token> tokens = EnglishTokens(text);
  if (tokens.empty() || TitleCase(text, tokens)) return;
  std::vector<RecognizedName> people;
  std::vector<std::pair<size_t, size_t>> chunks;
  size_t a = 0;
  while (a < tokens.size()) {
    // A chunk: capitalised words and the connectors between them, joined by
    // spaces only.
    size_t b = a;
    if (!tokens[a].capitalized) {
      ++a;
      continue;
    }
    b = a + 1;
    // A number between capitalised words belongs to them ("Biosafety Level 3
    // Laboratory").
    auto inner_number = [&](size_t k) {
      return IsNumber(tokens[k].text) && !tokens[k].sentence_end && k + 1 < tokens.size() &&
             tokens[k + 1].after_space && tokens[k + 1].capitalized;
    };
    while (b < tokens.size() && tokens[b].after_space && !tokens[b - 1].sentence_end &&
           (tokens[b].capitalized || IsConnector(tokens[b].text) || inner_number(b))) {
      ++b;
    }
    while (b > a + 1 && !tokens[b - 1].capitalized) --b;  // No connector at the end.
    const size_t before = out->size();
    FindOrganizations(tokens, a, b, out);
    const std::vector<RecognizedName> organizations(out->begin() + before, out->end());
    FindLaws(tokens, a, b, organizations, out);
    FindPlaces(tokens, a, b, out);
    // "Daniel Feakes and Hermann Alex Lampalzer" is two people's names; a
    // chunk with other connectors ("Key Laboratory of Medical Virology") is
    // read whole.
    auto is_and = [&](size_t k) { return tokens[k].text == "and" || tokens[k].text == "&"; };
    const bool other_connectors = std::any_of(
        tokens.begin() + a, tokens.begin() + b,
        [&](const Token& k) { return IsConnector(k.text) && k.text != "and" && k.text != "&"; });
    for (size_t from = a; from < b;) {
      size_t to = from;
      while (to < b && (other_connectors || !is_and(to))) ++to;
      if (to > from) {
        FindPeople(text, tokens, from, to, &people);
        chunks.emplace_back(from, to);
      }
      from = to + 1;
    }
    a = b;
  }
  FindNumberedLaws(tokens, out);
  FindNameLists(text, tokens, chunks, &people);
  // Later mentions of a family name: "Inslee" after "Jay Inslee".
  std::set<std::string> families;
  for (const RecognizedName& p : people) {
    const absl::string_view name = text.substr(p.start, p.end - p.start);
    const size_t space = name.rfind(' ');
    if (space != absl::string_view::npos && name.size() - space > 3) {
      families.insert(std::string(name.substr(space + 1)));
    }
  }
  // "He" (何) is a family name where an English pronoun cannot be: in the
  // middle of a sentence ("the court sentenced He to three years"), and
  // anywhere in a text that names a He in full ("He Jiankui").
  bool named_he = false;
  for (size_t k = 0; k + 1 < tokens.size(); ++k) {
    named_he = named_he || (tokens[k].text == "He" && !tokens[k].sentence_end &&
                            tokens[k + 1].after_space && IsNameWord(tokens[k + 1]));
  }
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].text != "He") continue;
    const bool mid_sentence = k > 0 && !tokens[k - 1].sentence_end &&
                              !tokens[k - 1].capitalized && tokens[k].after_space;
    const bool inside = k + 1 < tokens.size() && !tokens[k].sentence_end &&
                        tokens[k + 1].after_space && IsNameWord(tokens[k + 1]);
    if ((mid_sentence || named_he) && !inside) {
      people.push_back(RecognizedName{tokens[k].start, tokens[k].end, v1::PERSON});
    }
  }
  for (const Token& t : tokens) {
    if (families.count(std::string(Bare(t.text))) == 0) continue;
    const bool inside = std::any_of(people.begin(), people.end(), [&](const RecognizedName& p) {
      return t.start >= p.start && t.end <= p.end;
    });
    if (!inside) people.push_back(RecognizedName{t.start, t.start + Bare(t.text).size(), v1::PERSON});
  }
  out->insert(out->end(), people.begin(), people.end());
}

// ---- Chinese ----------------------------------------------------------------

using HanChar = DecodedCodePoint;

bool IsHan(UChar32 c) { return IsHanCharacter(c); }

// Whether a code point of the Basic Multilingual Plane begins any of
// `words`: a quick test before comparing every word at a position.
class FirstCharacters {
 public:
  template <typename Words>
  explicit FirstCharacters(const Words& words) : first_(0x10000, false) {
    for (std::u32string_view w : words) {
      if (!w.empty() && w[0] < 0x10000) first_[w[0]] = true;
    }
  }
  bool operator()(UChar32 c) const { return c >= 0 && c < 0x10000 && first_[c]; }

 private:
  std::vector<bool> first_;
};

bool AnyOf(UChar32 c, std::u32string_view set) {
  return set.find(static_cast<char32_t>(c)) != std::u32string_view::npos;
}

// Institutional suffixes, longest first, and how many characters must come
// before each.
struct Suffix {
  std::u32string_view text;
  int min_prefix;
};
constexpr Suffix kSuffixes[] = {
    {U"股份有限公司", 2}, {U"有限责任公司", 2}, {U"有限責任公司", 2}, {U"有限公司", 2},
    {U"重点实验室", 2},   {U"重點實驗室", 2},   {U"人民政府", 2},     {U"研究中心", 2},
    {U"委员会", 2},       {U"委員會", 2},       {U"组委会", 2},       {U"組委會", 2},
    {U"基金会", 2},       {U"基金會", 2},       {U"实验室", 4},       {U"實驗室", 4},
    {U"研究所", 2},       {U"研究院", 2},       {U"大学", 2},         {U"大學", 2},
    {U"学院", 2},         {U"學院", 2},         {U"医院", 2},         {U"醫院", 2},
    {U"集团", 2},         {U"集團", 2},         {U"公司", 2},         {U"协会", 2},
    {U"協會", 2},         {U"学会", 2},         {U"學會", 2},         {U"中心", 4},
    {U"小组", 4},         {U"小組", 4},         {U"总部", 4},         {U"總部", 4},
    {U"使团", 4},         {U"使團", 4},         {U"管理局", 2},       {U"总局", 2},
    {U"總局", 2},         {U"办公室", 2},       {U"辦公室", 2},       {U"日报", 2},
    {U"日報", 2},         {U"晚报", 2},         {U"晚報", 2}};

// Characters a Chinese organization name does not run back over.
constexpr std::u32string_view kStops =
    U"的在由及是为為对對向从從被将將把于於据據等了也都就并並而或经經以自至到给給让讓使令请請称稱说說即则則但又还還其有无無即共同名称是属屬下时時拨撥打员員各每该該这這那此";
// Characters that cannot begin a name: determiners and numbers.
constexpr std::u32string_view kDeterminers =
    U"该該这這那此各每本其全多一某两兩几幾诸諸首所家个個位和与與及";

bool SuffixAt(const std::vector<HanChar>& cps, size_t at, std::u32string_view suffix) {
  if (at + suffix.size() > cps.size()) return false;
  for (size_t k = 0; k < suffix.size(); ++k) {
    if (static_cast<char32_t>(cps[at + k].c) != suffix[k]) return false;
  }
  return true;
}

// Verbs that end up before a name when it is read back from its suffix.
constexpr std::u32string_view kLeadingVerbs[] = {
    U"建立", U"设立", U"設立", U"成立", U"组建", U"組建", U"派遣", U"批准", U"依法",
    U"通过", U"通過", U"邀请", U"邀請", U"参加", U"參加", U"加入", U"委托", U"委託",
    U"联合", U"聯合", U"支持", U"要求", U"协调", U"協調", U"召开", U"召開", U"举行",
    U"舉行", U"举办", U"舉辦", U"主办", U"主辦", U"发布", U"發布", U"發佈", U"宣布"};

// True when the characters [start, suffix) end in a word that makes the
// suffix generic: 快递公司 is any courier, 专家小组 any panel of experts.
bool IsGenericBefore(const std::vector<HanChar>& cps, size_t start, size_t suffix,
                     std::u32string_view suffix_text) {
  static constexpr std::u32string_view kCompanyKinds[] = {
      U"快递", U"快遞", U"电信", U"電信", U"科技", U"医药", U"醫藥", U"制药", U"製藥",
      U"生物", U"保险", U"保險", U"物流", U"航空", U"能源", U"网络", U"網絡", U"投资",
      U"投資", U"咨询", U"諮詢", U"软件", U"軟件", U"技术", U"技術", U"工程", U"贸易",
      U"貿易", U"食品", U"化工", U"汽车", U"汽車", U"外国", U"外國", U"跨国", U"跨國",
      U"上市", U"疫苗", U"基因", U"测序", U"測序"};
  static constexpr std::u32string_view kGroupKinds[] = {
      U"专家", U"專家", U"工作", U"调查", U"調查", U"联合", U"聯合"};
  const bool company = suffix_text == U"公司";
  const bool group = suffix_text == U"小组" || suffix_text == U"小組";
  if (!company && !group) return false;
  for (std::u32string_view kind : company ? absl::Span<const std::u32string_view>(kCompanyKinds)
                                          : absl::Span<const std::u32string_view>(kGroupKinds)) {
    if (suffix >= start + kind.size() && SuffixAt(cps, suffix - kind.size(), kind)) return true;
  }
  return false;
}

// The longest institutional suffix that starts at `at`, or null.
const Suffix* SuffixStartingAt(const std::vector<HanChar>& cps, size_t at) {
  for (const Suffix& suffix : kSuffixes) {
    if (SuffixAt(cps, at, suffix.text)) return &suffix;
  }
  return nullptr;
}

void RecognizeChineseOrganizations(const std::vector<HanChar>& cps,
                                   std::vector<RecognizedName>* out) {
  size_t floor = 0;  // Names do not run back over an earlier name.
  size_t last_end = 0;
  bool have_last = false;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!IsHan(cps[i].c)) continue;
    static const FirstCharacters* const kSuffixStarts = [] {
      std::vector<std::u32string_view> words;
      for (const Suffix& suffix : kSuffixes) words.push_back(suffix.text);
      return new FirstCharacters(words);
    }();
    if (!(*kSuffixStarts)(cps[i].c)) continue;
    const Suffix* found = SuffixStartingAt(cps, i);
    if (found == nullptr) continue;
    const size_t end = i + found->text.size();
    // 大学生 is a student, 中心化 no centre; 今日报道 no newspaper.
    const bool report = found->text == U"日报" || found->text == U"日報" ||
                        found->text == U"晚报" || found->text == U"晚報";
    if (end < cps.size() &&
        (AnyOf(cps[end].c, U"生化城区區") || (report && AnyOf(cps[end].c, U"告道送导導")))) {
      floor = end;
      i = end - 1;
      continue;
    }
    size_t start = i;
    while (start > floor && start - 1 < cps.size() && IsHan(cps[start - 1].c) &&
           !AnyOf(cps[start - 1].c, kStops) && i - start < 20) {
      --start;
    }
    // "·" inside transliterated names (约翰斯·霍普金斯大学).
    while (start > floor + 1 && cps[start - 1].c == 0x00B7 && IsHan(cps[start - 2].c)) {
      start -= 2;
      while (start > floor && IsHan(cps[start - 1].c) && !AnyOf(cps[start - 1].c, kStops)) {
        --start;
      }
    }
    while (start < i && AnyOf(cps[start].c, kDeterminers)) ++start;
    // "决定建立科学咨询委员会": a verb before a name is not part of it; the
    // name starts after the last one.
    for (size_t k = i; k > start; --k) {
      const size_t at = k - 1;
      const auto verb = std::find_if(
          std::begin(kLeadingVerbs), std::end(kLeadingVerbs),
          [&](std::u32string_view v) { return at + v.size() < i && SuffixAt(cps, at, v); });
      if (verb != std::end(kLeadingVerbs)) {
        start = at + verb->size();
        break;
      }
    }
    // 快递公司, 电信公司, 专家小组: what a company does or a group is, not
    // its name.
    if (IsGenericBefore(cps, start, i, found->text)) {
      floor = end;
      i = end - 1;
      continue;
    }
    const bool adjacent = have_last && start == last_end;
    if (static_cast<int>(i - start) < found->min_prefix && !adjacent) {
      floor = end;  // 数据中心和研究中心: neither runs into the other.
      i = end - 1;
      continue;
    }
    if (adjacent && !out->empty()) {
      out->back().end = cps[end - 1].end;  // 复旦大学 + 基础医学院: one name.
    } else {
      out->push_back(RecognizedName{cps[start].start, cps[end - 1].end, v1::ORGANIZATION});
    }
    floor = end;
    last_end = end;
    have_last = true;
    i = end - 1;
  }
}

// Place suffixes of Chinese: cities, counties, towns, townships and the
// banners and leagues of Inner Mongolia; the characters after one that make
// another word (市场 market, 镇压 suppress, 乡村 rural, 盟友 ally).
struct PlaceSuffix {
  char32_t suffix;
  std::u32string_view not_before;
};
constexpr PlaceSuffix kPlaceSuffixes[] = {
    {U'市', U"场場民长長委政值面区區"}, {U'县', U"城长長委"}, {U'縣', U"城长長委"},
    {U'镇', U"压壓静靜痛定"}, {U'鎮', U"壓靜痛定"}, {U'乡', U"村亲親愁"},
    {U'鄉', U"村親愁"}, {U'旗', U"帜幟舰艦下"}, {U'盟', U"友国國约約军軍"},
    {U'区', U"域别分间块長长委政"}, {U'區', U"域別分間塊長委政"}};

void RecognizeChinesePlaces(const std::vector<HanChar>& cps, std::vector<RecognizedName>* out) {
  size_t floor = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    const PlaceSuffix* found = nullptr;
    for (const PlaceSuffix& p : kPlaceSuffixes) {
      if (static_cast<char32_t>(cps[i].c) == p.suffix) found = &p;
    }
    if (found == nullptr) continue;
    if (i + 1 < cps.size() && AnyOf(cps[i + 1].c, found->not_before)) continue;
    size_t start = i;
    while (start > floor && IsHan(cps[start - 1].c) && !AnyOf(cps[start - 1].c, kStops) &&
           !AnyOf(cps[start - 1].c, U"市县縣镇鎮乡鄉省") && i - start < 6) {
      --start;
    }
    while (start < i && AnyOf(cps[start].c, kDeterminers)) ++start;
    // 城市, 超市, 大城市, 联盟: words, not places. A district is one when
    // written after its city or province (深圳市南山区); alone, 区 ends as
    // many kinds of area as names (社区, 开发区, 中高风险区).
    const bool district = found->suffix == U'区' || found->suffix == U'區';
    const bool word = i - start < 2 || AnyOf(cps[i - 1].c, U"城联聯都门門股夜超上辖轄") ||
                      (district && (start == 0 || !AnyOf(cps[start - 1].c, U"市省")));
    floor = i + 1;
    if (word) continue;
    out->push_back(RecognizedName{cps[start].start, cps[i].end, v1::LOCATION});
  }
}

// What ends a title in 《》 that names a law, a treaty, a policy or a
// guideline, longest first.
constexpr std::u32string_view kLawSuffixes[] = {
    U"指导原则", U"指導原則", U"实施细则", U"實施細則", U"修正案", U"议定书", U"議定書",
    U"法案", U"条例", U"條例", U"公约", U"公約", U"条约", U"條約", U"协定", U"協定",
    U"规定", U"規定", U"办法", U"辦法", U"指南", U"指引", U"准则", U"準則", U"守则",
    U"守則", U"规范", U"規範", U"框架", U"政策", U"战略", U"戰略", U"纲要", U"綱要",
    U"规划", U"規劃", U"宣言", U"决定", U"決定", U"意见", U"意見", U"法典", U"法"};
// What ends the title of a newspaper, a magazine or a journal.
constexpr std::u32string_view kOutletSuffixes[] = {
    U"日报", U"日報", U"时报", U"時報", U"晚报", U"晚報", U"晨报", U"晨報", U"周报", U"週報",
    U"学报", U"學報", U"杂志", U"雜誌", U"周刊", U"週刊", U"月刊", U"画报", U"畫報", U"报", U"報"};

bool EndsWithAny(const std::vector<HanChar>& cps, size_t from, size_t to,
                 absl::Span<const std::u32string_view> suffixes, size_t* length) {
  for (std::u32string_view suffix : suffixes) {
    if (to >= from + suffix.size() && SuffixAt(cps, to - suffix.size(), suffix)) {
      *length = suffix.size();
      return true;
    }
  }
  return false;
}

// Titles in 《》: a law or a policy when the title ends as one does
// (《中华人民共和国生物安全法》, 《天津指南》), a news outlet or a journal when
// it ends as one does (《华尔街日报》). A title that is only the suffix, or a
// determiner and the suffix, refers back to one named before (《条例》,
// 《该办法》) and is not tagged; other titles (books, reports) are not
// either.
void RecognizeChineseTitles(const std::vector<HanChar>& cps, std::vector<RecognizedName>* out) {
  for (size_t i = 0; i < cps.size(); ++i) {
    if (cps[i].c != 0x300A) continue;  // 《
    size_t close = i + 1;
    while (close < cps.size() && close - i <= 80 && cps[close].c != 0x300B &&
           cps[close].c != 0x300A && cps[close].c != '\n') {
      ++close;
    }
    if (close >= cps.size() || cps[close].c != 0x300B) continue;
    size_t from = i + 1;
    while (from < close && cps[from].c == ' ') ++from;
    size_t to = close;
    while (to > from && cps[to - 1].c == ' ') --to;
    size_t suffix = 0;
    v1::ConceptCategory category = v1::CONCEPT_CATEGORY_UNSPECIFIED;
    if (EndsWithAny(cps, from, to, kLawSuffixes, &suffix)) {
      category = v1::LEGISLATION;
    } else if (EndsWithAny(cps, from, to, kOutletSuffixes, &suffix)) {
      category = v1::ORGANIZATION;
    }
    // 《研究方法》 is a method, not a law.
    if (category == v1::LEGISLATION && suffix == 1 && to - 1 > from &&
        AnyOf(cps[to - 2].c, U"方想看做用算语語手疗療书書魔说說")) {
      category = v1::CONCEPT_CATEGORY_UNSPECIFIED;
    }
    size_t first = from;
    while (first < to - suffix && AnyOf(cps[first].c, U"该該这這本此上述")) ++first;
    if (category != v1::CONCEPT_CATEGORY_UNSPECIFIED && to - suffix >= first + 2) {
      out->push_back(RecognizedName{cps[from].start, cps[to - 1].end, category});
    }
    i = close;
  }
}

// Common Chinese family names: the hundred most frequent of the 2020 census
// count published by the Ministry of Public Security (and 洪), in simplified and
// traditional forms, and the compound names still in use.
constexpr std::u32string_view kFamilyNames =
    U"王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林高罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
    U"曹彭曾肖田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋"
    U"付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯"
    U"常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳"
    U"甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華"
    U"喻祁蒲房滕屈饶饒解牟艾尤阳陽穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景"
    U"宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師仇栾欒隋商刁沙荣榮巫寇桑郎甄"
    U"丛叢仲虞敖巩鞏佘池查麻苑迟遲邝鄺祖洪";
constexpr std::u32string_view kCompoundFamilyNames[] = {
    U"欧阳", U"歐陽", U"司马", U"司馬", U"诸葛", U"諸葛", U"上官", U"东方", U"東方", U"皇甫",
    U"尉迟", U"尉遲", U"公孙", U"公孫", U"慕容", U"令狐", U"夏侯", U"司徒", U"端木"};

// Titles written after a name (张伟教授), longest first.
constexpr std::u32string_view kTitlesAfter[] = {
    U"首席科学家", U"首席科學家", U"副研究员", U"副研究員", U"总书记", U"總書記", U"副教授",
    U"研究员", U"研究員", U"副主任", U"副所长", U"副所長", U"副院长", U"副院長", U"副部长",
    U"副部長", U"副局长", U"副局長", U"理事长", U"理事長", U"秘书长", U"秘書長", U"董事长",
    U"董事長", U"总经理", U"總經理", U"发言人", U"發言人", U"教授", U"院士", U"博士",
    U"主任", U"所长", U"所長", U"院长", U"院長", U"校长", U"校長", U"部长", U"部長",
    U"局长", U"局長", U"司长", U"司長", U"处长", U"處長", U"主席", U"总统", U"總統",
    U"总理", U"總理", U"书记", U"書記", U"先生", U"女士", U"医生", U"醫生", U"医师", U"醫師",
    U"组长", U"組長", U"大使", U"团长", U"團長", U"会长", U"會長", U"总裁", U"總裁"};
// Titles written before a name (记者吕绍刚).
constexpr std::u32string_view kTitlesBefore[] = {
    U"总干事", U"總幹事", U"秘书长", U"秘書長", U"董事长", U"董事長", U"副部长", U"副部長",
    U"副主任", U"副局长", U"副局長", U"书记", U"書記", U"代表", U"大使", U"通讯员", U"通訊員", U"实习生", U"實習生", U"研究员", U"研究員", U"发言人", U"發言人",
    U"副总工程师", U"副總工程師", U"总工程师", U"總工程師", U"副院长", U"副院長", U"副所长",
    U"副所長", U"副校长", U"副校長", U"副主席", U"副总理", U"副總理", U"国务委员", U"國務委員",
    U"首席科学家", U"首席科學家", U"副研究员", U"副研究員", U"司长", U"司長", U"处长", U"處長",
    U"组长", U"組長", U"会长", U"會長", U"外长", U"外長", U"署长", U"署長", U"行政总裁",
    U"行政總裁", U"首席医生", U"首席醫生", U"总监", U"總監",
    U"记者", U"記者", U"编辑", U"編輯", U"院士", U"教授", U"主任", U"部长", U"部長",
    U"局长", U"局長", U"所长", U"所長", U"院长", U"院長", U"校长", U"校長", U"总统", U"總統",
    U"总理", U"總理", U"主席", U"博士", U"医生", U"醫生"};
// Characters that may follow a name: speech verbs and particles.
constexpr std::u32string_view kAfterName =
    U"说說表指介认認称稱告强強报報摄攝等在的和与與也则則透坦建提呼对對就还還曾向宣主率"
    U"、，。；：）)";

bool IsFamilyAt(const std::vector<HanChar>& cps, size_t at, size_t* length) {
  if (at >= cps.size()) return false;
  static const FirstCharacters* const kCompoundStarts =
      new FirstCharacters(kCompoundFamilyNames);
  static const FirstCharacters* const kSingle = [] {
    std::vector<std::u32string_view> names;
    for (size_t k = 0; k < kFamilyNames.size(); ++k) names.push_back(kFamilyNames.substr(k, 1));
    return new FirstCharacters(names);
  }();
  if ((*kCompoundStarts)(cps[at].c)) {
    for (std::u32string_view compound : kCompoundFamilyNames) {
      if (SuffixAt(cps, at, compound)) {
        *length = compound.size();
        return true;
      }
    }
  }
  *length = 1;
  return (*kSingle)(cps[at].c);
}

bool HanRun(const std::vector<HanChar>& cps, size_t from, size_t to) {
  if (to > cps.size() || from >= to) return false;
  for (size_t k = from; k < to; ++k) {
    if (!IsHan(cps[k].c)) return false;
  }
  return true;
}

// Words of time that may follow a name before its verb (王功民先前表示,
// 王毅近日表示).
constexpr std::u32string_view kTimeAfterName[] = {
    U"先前", U"近日", U"日前", U"此前", U"今天", U"今日", U"昨天", U"昨日", U"早前", U"随后",
    U"隨後", U"目前", U"当时", U"當時", U"同时", U"同時", U"于", U"於", U"已"};

bool EndsName(const std::vector<HanChar>& cps, size_t at) {
  if (at >= cps.size() || !IsHan(cps[at].c) || AnyOf(cps[at].c, kAfterName)) return true;
  return std::any_of(std::begin(kTimeAfterName), std::end(kTimeAfterName),
                     [&](std::u32string_view word) { return SuffixAt(cps, at, word); });
}

bool BeginsName(const std::vector<HanChar>& cps, size_t at) {
  return at == 0 || !IsHan(cps[at - 1].c) ||
         AnyOf(cps[at - 1].c, U"由对對向据據和与與及是为為请請经經据的、，：");
}

void RecognizeChinesePeople(const std::vector<HanChar>& cps, std::vector<RecognizedName>* out) {
  auto add = [&](size_t from, size_t to) {
    out->push_back(RecognizedName{cps[from].start, cps[to - 1].end, v1::PERSON});
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!IsHan(cps[i].c)) continue;
    // A name before a title: 李真真研究员.
    static const FirstCharacters* const kTitleStarts = [] {
      std::vector<std::u32string_view> words(std::begin(kTitlesAfter), std::end(kTitlesAfter));
      words.insert(words.end(), std::begin(kTitlesBefore), std::end(kTitlesBefore));
      return new FirstCharacters(words);
    }();
    if (!(*kTitleStarts)(cps[i].c)) continue;
    for (std::u32string_view title : kTitlesAfter) {
      if (!SuffixAt(cps, i, title)) continue;
      for (size_t length : {3, 2, 4}) {
        if (i < length) continue;
        const size_t from = i - length;
        size_t family = 0;
        if (!HanRun(cps, from, i) || !IsFamilyAt(cps, from, &family)) continue;
        if (length - family < 1 || length - family > 2 || !BeginsName(cps, from)) continue;
        add(from, i);
        break;
      }
      break;
    }
    // A name after a title: 记者吕绍刚.
    for (std::u32string_view title : kTitlesBefore) {
      if (!SuffixAt(cps, i, title)) continue;
      size_t from = i + title.size();
      // "(记者 姜慧梓)".
      if (from < cps.size() && (cps[from].c == ' ' || cps[from].c == 0x3000)) ++from;
      size_t family = 0;
      if (!IsFamilyAt(cps, from, &family)) break;
      for (size_t length : {family + 2, family + 1}) {
        if (HanRun(cps, from, from + length) && EndsName(cps, from + length)) {
          add(from, from + length);
          break;
        }
      }
      break;
    }
  }
  // Names in a list: 李真真、董永亮、高旖蔚, or an author line with
  // affiliation markers (赵超1 , 胡志刚2 , 焦健1).
  auto is_marker = [&](size_t at) {
    const UChar32 c = cps[at].c;
    if ((c >= '0' && c <= '9') || c == '*' || c == '#' || c == 0x2020 || c == 0x2021 ||
        c == 0x00B9 || c == 0x00B2 || c == 0x00B3 || (c >= 0x2070 && c <= 0x2079)) {
      return true;
    }
    // A comma between marker digits: "1,2".
    return c == ',' && at > 0 && at + 1 < cps.size() && cps[at - 1].c >= '0' &&
           cps[at - 1].c <= '9' && cps[at + 1].c >= '0' && cps[at + 1].c <= '9';
  };
  auto is_separator = [](UChar32 c) {
    return c == 0x3001 || c == 0xFF0C || c == ',' || c == ';' || c == 0xFF1B;
  };
  size_t i = 0;
  while (i < cps.size()) {
    std::vector<std::pair<size_t, size_t>> items;
    bool marked = false;
    bool closed = false;  // The list ends where the text or the line does.
    size_t k = i;
    while (k < cps.size()) {
      size_t end = k;
      while (end < cps.size() && IsHan(cps[end].c)) ++end;
      size_t family = 0;
      if (!IsFamilyAt(cps, k, &family)) break;
      const size_t length = end - k;
      if (length < family + 1 || length > family + 2) {
        // The last name of a list may run into the text after it.
        if (items.size() >= 2) {
          for (size_t n : {family + 2, family + 1}) {
            if (k + n <= end && EndsName(cps, k + n)) {
              items.emplace_back(k, k + n);
              break;
            }
          }
        }
        break;
      }
      size_t after = end;
      while (after < cps.size() && is_marker(after)) {
        marked = true;
        ++after;
      }
      while (after < cps.size() && cps[after].c == ' ') ++after;
      if (after < cps.size() && is_separator(cps[after].c)) {
        items.emplace_back(k, end);
        ++after;
        while (after < cps.size() && cps[after].c == ' ') ++after;
        k = after;
        continue;
      }
      if (after >= cps.size() || cps[after].c == '\n' || after > end || !IsHan(cps[after].c)) {
        items.emplace_back(k, end);
        closed = after >= cps.size() || after > end || cps[after].c == '\n' ||
                 cps[after].c == '(' || cps[after].c == 0xFF08;
      }
      break;
    }
    const bool line_start = !items.empty() &&
                            (items.front().first == 0 || !IsHan(cps[items.front().first - 1].c));
    const bool enough = items.size() >= 3 || (items.size() == 2 && (marked || (closed && line_start)));
    if (enough && BeginsName(cps, items.front().first)) {
      for (const auto& [from, to] : items) add(from, to);
      i = items.back().second;
    } else {
      ++i;
    }
  }
}

}  // namespace

bool IsOrganizationSuffix(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return false;
  const std::vector<HanChar> cps = DecodeCodePoints(text);
  size_t at = 0;
  while (at < cps.size()) {
    const Suffix* found = SuffixStartingAt(cps, at);
    if (found == nullptr) break;
    at += found->text.size();
  }
  if (at == cps.size()) return true;
  return text == "Inc" || text == "Inc." || text == "Corporation" || text == "Company" ||
         text == "Group" || text == "Ltd" || text == "Ltd.";
}

bool DefinedAcronym(absl::string_view text, size_t name_end, size_t* start, size_t* end) {
  absl::string_view rest = text.substr(std::min(name_end, text.size()));
  rest = absl::StripLeadingAsciiWhitespace(rest);
  absl::string_view close_mark;
  if (absl::ConsumePrefix(&rest, "(")) {
    close_mark = ")";
  } else if (absl::ConsumePrefix(&rest, "\xEF\xBC\x88")) {  // （
    close_mark = "\xEF\xBC\x89";                             // ）
  } else {
    return false;
  }
  const size_t inner_start = text.size() - rest.size();
  const size_t close = rest.find(close_mark);
  if (close == absl::string_view::npos || close > 160) return false;
  absl::string_view inner = rest.substr(0, close);
  // The last item: after the last separator, and after 简称 or "short".
  size_t item = 0;
  for (absl::string_view separator : {",", ";", ":", "\xEF\xBC\x8C", "\xEF\xBC\x9B",
                                       "\xEF\xBC\x9A", "\xE3\x80\x81", "\xE7\xAE\x80\xE7\xA7\xB0"}) {
    const size_t at = inner.rfind(separator);
    if (at != absl::string_view::npos) item = std::max(item, at + separator.size());
  }
  absl::string_view acronym = inner.substr(item);
  const size_t lead = acronym.size();
  acronym = absl::StripLeadingAsciiWhitespace(acronym);
  const size_t offset = item + (lead - acronym.size());
  acronym = absl::StripTrailingAsciiWhitespace(acronym);
  if (acronym.size() < 2 || acronym.size() > 10 || !absl::ascii_isupper(acronym[0])) return false;
  int capitals = 0;
  for (char c : acronym) {
    if (absl::ascii_isupper(c)) ++capitals;
    if (!absl::ascii_isalnum(c) && c != '&' && c != '-') return false;
  }
  if (capitals < 2) return false;
  *start = inner_start + offset;
  *end = *start + acronym.size();
  return true;
}

// Characters of foreign names written in Chinese: those of the syllable
// tables used to transliterate names (simplified, then traditional forms).
constexpr std::u32string_view kTransliterationCharacters =
    U"阿埃艾爱安昂奥澳巴拜班邦鲍贝本比彼毕宾波伯博布查达戴丹道德登迪蒂丁东杜多厄恩尔法凡范菲费芬丰"
    U"冯佛弗福富盖甘冈高戈格葛根贡古瓜哈海罕汉豪赫黑亨洪胡华怀惠霍基吉加佳贾杰金卡凯坎康考柯科克"
    U"肯库夸奎昆拉莱赖兰朗劳勒雷蕾里丽利莉连列林琳隆卢鲁伦罗洛马玛迈麦曼梅门蒙米密敏明摩莫默姆穆纳"
    U"娜奈南内尼妮宁纽努诺欧帕佩彭皮普奇齐恰乔切琴丘萨塞赛桑森沙莎尚绍舍什施史斯松苏索塔泰坦汤唐特"
    U"提汀通图托瓦万旺威韦维温文沃乌伍西希锡谢辛休许雅亚扬耶伊因英尤于约詹兹朱卓佐"
    U"愛鮑貝畢賓達東爾豐馮蓋岡貢華懷賈傑凱庫萊賴蘭勞裡麗連倫羅瑪邁麥門納紐諾歐齊喬薩賽紹蘇湯圖萬"
    U"維溫烏錫謝許亞揚約茲";

bool IsTransliterationCharacter(UChar32 c) { return AnyOf(c, kTransliterationCharacters); }

// The middle dots that join the parts of a transliterated name.
bool IsNameDot(UChar32 c) {
  return c == 0xB7 || c == 0x2022 || c == 0x2027 || c == 0x2219 || c == 0x30FB || c == 0xFF65;
}

// Foreign people written in Chinese: transliterated parts joined by middle
// dots (埃里克·霍维茨, 詹姆斯·迪根斯), each part two to six characters of
// the transliteration tables (the first may be one, an initial's sound).
void RecognizeChineseTransliterations(const std::vector<HanChar>& cps,
                                      std::vector<RecognizedName>* out) {
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    if (!IsNameDot(cps[i].c)) continue;
    size_t start = i;
    while (start > 0 && i - start < 6 && IsTransliterationCharacter(cps[start - 1].c)) --start;
    if (i - start < 2) continue;
    size_t end = i;
    size_t last_part = 0;
    while (end < cps.size() && IsNameDot(cps[end].c)) {
      size_t j = end + 1;
      while (j < cps.size() && j - (end + 1) < 6 && IsTransliterationCharacter(cps[j].c)) ++j;
      if (j == end + 1) break;
      last_part = j - (end + 1);
      end = j;
    }
    if (end == i || last_part < 2) continue;
    out->push_back(RecognizedName{cps[start].start, cps[end - 1].end, v1::PERSON});
    i = end;
  }
}

std::vector<RecognizedName> RecognizeNames(absl::string_view text) {
  std::vector<RecognizedName> names;
  RecognizeEnglish(text, &names);
  // Han characters take three or four bytes in UTF-8, led by 0xE2 or above.
  const bool maybe_han = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0xE2;
  });
  const std::vector<HanChar> cps = maybe_han ? DecodeCodePoints(text) : std::vector<HanChar>();
  if (std::any_of(cps.begin(), cps.end(), [](const HanChar& h) { return IsHan(h.c); })) {
    RecognizeChineseTitles(cps, &names);
    RecognizeChineseOrganizations(cps, &names);
    RecognizeChinesePlaces(cps, &names);
    RecognizeChinesePeople(cps, &names);
    RecognizeChineseTransliterations(cps, &names);
  }
  std::stable_sort(names.begin(), names.end(),
                   [](const RecognizedName& a, const RecognizedName& b) {
                     return a.start != b.start ? a.start < b.start : a.end > b.end;
                   });
  // A name found twice is one: 《示例日报》 by its title and by its suffix, a
  // person by a given name and by a speech verb.
  names.erase(std::unique(names.begin(), names.end(),
                          [](const RecognizedName& a, const RecognizedName& b) {
                            return a.start == b.start && a.end == b.end &&
                                   a.category == b.category;
                          }),
              names.end());
  return names;
}

}  // namespace biocorpus
