#ifndef BIOCORPUS_CORPUS_VOCABULARY_VOCABULARY_H_
#define BIOCORPUS_CORPUS_VOCABULARY_VOCABULARY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// The concepts passages are tagged with, read from a versioned YAML file (the
// project ships vocabulary/biocorpus-vocabulary.yaml, built into the
// binaries). Immutable once loaded; thread-safe.
class Vocabulary {
 public:
  // Parses vocabulary YAML. InvalidArgument naming `source` and the line for
  // a file that does not parse, has no version, or has a concept with a
  // missing or malformed id, an unknown category, no synonym, a duplicate id,
  // or a parent that is not defined (or makes a cycle).
  static absl::StatusOr<std::shared_ptr<const Vocabulary>> Parse(
      absl::string_view yaml, absl::string_view source);

  // Reads and parses the file at `path`.
  static absl::StatusOr<std::shared_ptr<const Vocabulary>> Load(
      const std::string& path);

  // The vocabulary shipped with the project.
  static absl::StatusOr<std::shared_ptr<const Vocabulary>> BuiltIn();

  const std::string& version() const { return version_; }
  // The YAML it was parsed from (stored with the data it tagged).
  const std::string& text() const { return text_; }
  const std::vector<v1::Concept>& concepts() const { return concepts_; }
  // The concept with `id`, or nullptr.
  const v1::Concept* Find(absl::string_view id) const;
  // `id` followed by every concept below it, at any depth.
  std::vector<std::string> SelfAndDescendants(absl::string_view id) const;

 private:
  Vocabulary() = default;

  std::string version_;
  std::string text_;
  std::vector<v1::Concept> concepts_;
  std::map<std::string, size_t, std::less<>> index_;
  std::map<std::string, std::vector<std::string>, std::less<>> children_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_VOCABULARY_VOCABULARY_H_
