#ifndef BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_MATCHER_H_
#define BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_MATCHER_H_

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"
#include "corpus/vocabulary/vocabulary.h"

struct hs_database;
struct hs_scratch;

namespace biocorpus {

// Finds the vocabulary's concepts in text.
//
// Built on Hyperscan, which compiles every synonym of every concept into one
// automaton and reports all matches with their start and end in one pass
// over the text. RE2::Set would only say which patterns matched, not where,
// and would need a second pass per hit; a hand-written loop over a thousand
// synonyms would be both slower and a second regex engine to maintain.
//
// Matching:
// - English synonyms and Chinese synonyms are matched against the text
//   NFKC-case-folded (ICU), so "Gene Editing", "GENE EDITING" and full-width
//   letters match "gene editing"; acronyms are matched with their exact case
//   against the text itself, so "PLA" does not match "pla".
// - English synonyms also match their plural ("laboratories" for
//   "laboratory") and possessive ("China's", "China’s") forms; a space or
//   hyphen in a synonym matches either. The mention of an organization, a
//   person, a place or a law ends before a possessive ("China" of
//   "China's").
// - A match that begins or ends with a Latin letter or digit must sit at a
//   word boundary ("gene" does not match in "transgene"); Han and kana have
//   no word boundaries, so "生物安全法" matches inside "《生物安全法》实施".
// - Overlapping matches are resolved leftmost-longest ("China National
//   GeneBank" wins over "China"); two concepts matching the very same span
//   are both kept.
// - Names of organizations and people that no concept lists are found by
//   their shape (name_recognizer.h) and tagged with the vocabulary's
//   `recognized` concepts, where it has them; a place inside such an
//   organization's name is part of the name, not a mention of its own.
//
// Thread-safe: scans use a pool of Hyperscan scratch spaces.
class ConceptMatcher {
 public:
  // Compiles the vocabulary, or, when it is the vocabulary the build
  // compiled (PrecompiledMatcher(), same text), loads that: compiling the
  // built-in vocabulary takes seconds, loading it milliseconds. Internal
  // error naming the concept and synonym when Hyperscan refuses a pattern.
  static absl::StatusOr<std::unique_ptr<ConceptMatcher>> Build(
      std::shared_ptr<const Vocabulary> vocabulary);
  // Compiles for any x86-64 processor Hyperscan runs on (for serializing).
  static absl::StatusOr<std::unique_ptr<ConceptMatcher>> BuildPortable(
      std::shared_ptr<const Vocabulary> vocabulary);

  // The compiled databases and the vocabulary's fingerprint, for Build to
  // load (the build's biocorpus-compile-matcher writes them).
  absl::StatusOr<std::string> Serialize() const;

  ~ConceptMatcher();
  ConceptMatcher(const ConceptMatcher&) = delete;
  ConceptMatcher& operator=(const ConceptMatcher&) = delete;

  // The annotations in `text` (normalized UTF-8), in text order, with spans
  // in bytes and code points.
  std::vector<v1::Annotation> Match(absl::string_view text) const;

  const Vocabulary& vocabulary() const { return *vocabulary_; }
  std::shared_ptr<const Vocabulary> shared_vocabulary() const { return vocabulary_; }

 private:
  struct Pattern {
    int concept_index;
    bool check_start;  // Needs a word boundary before the match.
    bool check_end;    // Needs a word boundary after the match.
  };
  // A concept's context rules, case-folded (Concept.unless_near and
  // unless_within).
  struct ContextRules {
    std::vector<std::string> near;
    std::vector<std::string> within;
  };

  ConceptMatcher() = default;
  static absl::StatusOr<std::unique_ptr<ConceptMatcher>> Make(
      std::shared_ptr<const Vocabulary> vocabulary, bool portable, absl::string_view serialized);
  // Adds the names RecognizeNames finds that no concept lists, as the
  // vocabulary's `recognized` concepts.
  void AddRecognizedNames(absl::string_view text, std::vector<v1::Annotation>* annotations) const;
  // Adds the acronyms defined in parentheses after an organization's or a
  // law's name ("... for Biosecurity (NSABB)"), and their other mentions in
  // the text, as the concept of that name.
  static void AddDefinedAcronyms(absl::string_view text,
                                 std::vector<v1::Annotation>* annotations);
  // Joins Chinese names written together: a province or a city of China and
  // the organization after it are one organization (上海市 + 疾控中心: the
  // Shanghai CDC, no mention of Shanghai; 中国 before a body stays a
  // qualifier, as in 中国 + 科技部); an academy or a university and its
  // institute written together (中国科学院 + 武汉病毒研究所,
  // 复旦大学附属华山医院) are also one name, besides each.
  void JoinChineseNames(absl::string_view text, std::vector<v1::Annotation>* annotations) const;

  hs_scratch* AcquireScratch() const;
  void ReleaseScratch(hs_scratch* scratch) const;

  std::shared_ptr<const Vocabulary> vocabulary_;
  std::vector<Pattern> folded_patterns_;
  std::vector<Pattern> cased_patterns_;
  std::vector<ContextRules> rules_;  // By concept index.
  // What a place is to the Chinese names of organizations written after it:
  // China or a place in China (part of the name), another country (a
  // qualifier), or neither (a region, say).
  enum class PlaceKind : uint8_t { kOther, kDomestic, kForeign };
  std::vector<PlaceKind> place_kinds_;  // By concept index.
  // The kind of the place concept `id` (kOther for any other concept).
  PlaceKind PlaceKindOf(absl::string_view id) const;
  static std::vector<PlaceKind> PlaceKinds(const std::vector<v1::Concept>& concepts,
                                           const Vocabulary& vocabulary);
  // The index of each category's `recognized` concept, or -1.
  std::array<int, v1::ConceptCategory_ARRAYSIZE> recognized_;
  bool recognizes_ = false;  // Any of them is set.
  hs_database* folded_db_ = nullptr;
  hs_database* cased_db_ = nullptr;
  hs_scratch* prototype_scratch_ = nullptr;
  mutable std::mutex scratch_mu_;
  mutable std::vector<hs_scratch*> scratch_pool_;
};

// The matcher the build compiled from the built-in vocabulary, serialized
// (ConceptMatcher::Serialize), or empty where none is linked in.
absl::string_view PrecompiledMatcher();

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_TAGGING_CONCEPT_MATCHER_H_
