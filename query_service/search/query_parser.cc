#include "query_service/search/query_parser.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "corpus/search/text_tokenizer.h"
#include "corpus/text/quoted.h"

namespace biocorpus {
namespace {

using Kind = QueryNode::Kind;

absl::Status Invalid(size_t at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("query: ", what, " at byte ", at));
}

class Parser {
 public:
  explicit Parser(absl::string_view query) : query_(query) {}

  absl::StatusOr<QueryNode> Parse() {
    absl::StatusOr<QueryNode> node = ParseOr();
    if (!node.ok()) return node;
    SkipSpace();
    if (at_ < query_.size()) return Invalid(at_, "')' without '('");
    if (terms_ > kMaxQueryTerms) {
      return absl::InvalidArgumentError(absl::StrCat("query: ", terms_, " words; at most ",
                                                     kMaxQueryTerms, " are searched"));
    }
    if (terms_ == 0) {
      return absl::InvalidArgumentError("query: no words to search for");
    }
    if (absl::Status s = CheckNot(*node, /*in_and=*/false, 0); !s.ok()) return s;
    return Simplify(std::move(*node));
  }

 private:
  void SkipSpace() {
    while (at_ < query_.size() && absl::ascii_isspace(query_[at_])) ++at_;
  }

  // An operator word (OR, AND, NOT) at the cursor, followed by a boundary.
  bool AtKeyword(absl::string_view keyword) {
    if (query_.substr(at_, keyword.size()) != keyword) return false;
    const size_t end = at_ + keyword.size();
    return end == query_.size() || absl::ascii_isspace(query_[end]) || query_[end] == '(' ||
           query_[end] == '"';
  }

  absl::StatusOr<QueryNode> ParseOr() {
    QueryNode node;
    node.kind = Kind::kOr;
    for (;;) {
      absl::StatusOr<QueryNode> part = ParseAnd();
      if (!part.ok()) return part;
      node.children.push_back(std::move(*part));
      SkipSpace();
      if (!AtKeyword("OR")) break;
      at_ += 2;
    }
    return node;
  }

  absl::StatusOr<QueryNode> ParseAnd() {
    QueryNode node;
    node.kind = Kind::kAnd;
    for (;;) {
      SkipSpace();
      if (at_ == query_.size() || query_[at_] == ')' || AtKeyword("OR")) break;
      if (AtKeyword("AND")) {
        at_ += 3;
        continue;
      }
      absl::StatusOr<QueryNode> part = ParseUnary();
      if (!part.ok()) return part;
      if (part->kind != Kind::kAnd || !part->children.empty()) node.children.push_back(std::move(*part));
    }
    return node;
  }

  absl::StatusOr<QueryNode> ParseUnary() {
    SkipSpace();
    const size_t start = at_;
    if (at_ == query_.size() || query_[at_] == ')') return Invalid(at_, "a word is missing");
    if (AtKeyword("NOT") || (query_[at_] == '-' && at_ + 1 < query_.size() &&
                             !absl::ascii_isspace(query_[at_ + 1]))) {
      at_ += query_[at_] == '-' ? 1 : 3;
      absl::StatusOr<QueryNode> operand = ParseUnary();
      if (!operand.ok()) return operand;
      QueryNode node;
      node.kind = Kind::kNot;
      node.children.push_back(std::move(*operand));
      not_positions_.push_back(start);
      return node;
    }
    if (query_[at_] == '(') {
      ++at_;
      absl::StatusOr<QueryNode> inner = ParseOr();
      if (!inner.ok()) return inner;
      SkipSpace();
      if (at_ == query_.size() || query_[at_] != ')') return Invalid(start, "'(' not closed");
      ++at_;
      return inner;
    }
    return ParseLeaf();
  }

  absl::StatusOr<QueryNode> ParseLeaf() {
    const size_t start = at_;
    TextField field = TextField::kPassage;
    // A field prefix: letters and a colon.
    size_t letters = at_;
    while (letters < query_.size() && absl::ascii_isalpha(query_[letters])) ++letters;
    if (letters > at_ && letters < query_.size() && query_[letters] == ':') {
      const std::string name = absl::AsciiStrToLower(query_.substr(at_, letters - at_));
      if (name == "title") {
        field = TextField::kTitle;
      } else if (name == "author") {
        field = TextField::kAuthor;
      } else if (name == "journal") {
        field = TextField::kJournal;
      } else {
        return Invalid(start, absl::StrCat("unknown field ", Quoted(name + ":"),
                                           " (the fields are title:, author: and journal:)"));
      }
      at_ = letters + 1;
    }
    if (at_ < query_.size() && query_[at_] == '"') {
      const size_t close = query_.find('"', at_ + 1);
      if (close == absl::string_view::npos) return Invalid(at_, "unbalanced quote");
      const absl::string_view inside = query_.substr(at_ + 1, close - at_ - 1);
      at_ = close + 1;
      return Phrase(field, inside);
    }
    size_t end = at_;
    while (end < query_.size() && !absl::ascii_isspace(query_[end]) && query_[end] != '(' &&
           query_[end] != ')' && query_[end] != '"') {
      ++end;
    }
    absl::string_view word = query_.substr(at_, end - at_);
    at_ = end;
    if (word.empty()) return Invalid(start, "a field prefix needs a word after it");
    if (word.back() == '*') {
      word.remove_suffix(1);
      const std::vector<TextToken> tokens = Tokenize(word);
      if (tokens.size() != 1) return Invalid(start, "a prefix* must be one word");
      QueryNode node;
      node.kind = Kind::kPrefix;
      node.field = field;
      node.words.push_back(tokens.front().exact);
      ++terms_;
      return node;
    }
    const std::vector<TextToken> tokens = Tokenize(word);
    if (tokens.size() == 1 && !tokens.front().cjk) {
      QueryNode node;
      node.kind = Kind::kWord;
      node.field = field;
      node.words.push_back(tokens.front().stem);
      ++terms_;
      return node;
    }
    return Phrase(field, word);
  }

  // The exact words of `text` as a phrase; an empty AND when it has none.
  QueryNode Phrase(TextField field, absl::string_view text) {
    QueryNode node;
    const std::vector<TextToken> tokens = Tokenize(text);
    if (tokens.empty()) return node;  // Punctuation only: nothing to find.
    node.kind = Kind::kPhrase;
    node.field = field;
    for (const TextToken& token : tokens) node.words.push_back(token.exact);
    terms_ += tokens.size();
    return node;
  }

  // A NOT must sit in an AND that has a positive operand.
  absl::Status CheckNot(const QueryNode& node, bool in_and, size_t depth) {
    if (node.kind == Kind::kNot && !in_and) return NotError();
    if (node.kind == Kind::kAnd) {
      bool positive = false;
      for (const QueryNode& child : node.children) positive |= child.kind != Kind::kNot;
      if (!positive && !node.children.empty()) return NotError();
    }
    for (const QueryNode& child : node.children) {
      if (absl::Status s = CheckNot(child, node.kind == Kind::kAnd && node.children.size() > 1,
                                    depth + 1);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status NotError() {
    return Invalid(not_positions_.empty() ? 0 : not_positions_.front(),
                   "NOT needs a word to search for beside it");
  }

  // One-child ANDs and ORs become their child; empty ones go.
  static QueryNode Simplify(QueryNode node) {
    std::vector<QueryNode> children;
    for (QueryNode& child : node.children) {
      QueryNode simple = Simplify(std::move(child));
      const bool empty = (simple.kind == Kind::kAnd || simple.kind == Kind::kOr) &&
                         simple.children.empty();
      if (!empty) children.push_back(std::move(simple));
    }
    node.children = std::move(children);
    if ((node.kind == Kind::kAnd || node.kind == Kind::kOr) && node.children.size() == 1) {
      return std::move(node.children.front());
    }
    return node;
  }

  absl::string_view query_;
  size_t at_ = 0;
  size_t terms_ = 0;
  std::vector<size_t> not_positions_;
};

}  // namespace

absl::StatusOr<QueryNode> ParseQuery(absl::string_view query) {
  if (query.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError(absl::StrCat("query: ", query.size(), " bytes; at most ",
                                                   kMaxQueryBytes, " at byte ", kMaxQueryBytes));
  }
  return Parser(query).Parse();
}

}  // namespace biocorpus
