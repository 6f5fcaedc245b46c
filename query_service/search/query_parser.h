#ifndef BIOCORPUS_QUERY_SERVICE_SEARCH_QUERY_PARSER_H_
#define BIOCORPUS_QUERY_SERVICE_SEARCH_QUERY_PARSER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "corpus/search/text_index.h"

namespace biocorpus {

// The limits of a query.
inline constexpr size_t kMaxQueryBytes = 1024;
inline constexpr size_t kMaxQueryTerms = 64;

// A parsed full-text query.
struct QueryNode {
  enum class Kind {
    kWord,    // One word, matched by its stem (regulations finds regulation).
    kPhrase,  // Exact words at consecutive positions (a quoted phrase, a
              // hyphenated word, a run of CJK characters).
    kPrefix,  // Exact words that start with `words[0]` (gene*).
    kAnd,
    kOr,
    kNot,     // Only as an operand of kAnd next to a positive one.
  };
  Kind kind = Kind::kAnd;
  TextField field = TextField::kPassage;
  // kWord: the stem; kPhrase: the exact words; kPrefix: the folded prefix.
  std::vector<std::string> words;
  std::vector<QueryNode> children;
};

// Parses the syntax readers know from Europe PMC and OpenAlex: words (all
// required), "quoted phrases", OR, NOT or a leading -, parentheses, the field
// prefixes title:, author: and journal:, and prefix*. AND may be written.
// Operators are recognized in capitals only ("or" is a word).
//
// InvalidArgument naming the byte position for: a query over
// kMaxQueryBytes, an unbalanced quote or parenthesis, an unknown field
// prefix, a prefix* that is not one word, a NOT with nothing positive beside
// it, more than kMaxQueryTerms words, and a query with no words at all.
absl::StatusOr<QueryNode> ParseQuery(absl::string_view query);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SEARCH_QUERY_PARSER_H_
