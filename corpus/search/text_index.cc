#include "corpus/search/text_index.h"

#include <algorithm>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "corpus/model/varint.h"
#include "corpus/model/resource_names.h"
#include "corpus/search/text_tokenizer.h"
#include "corpus/storage/schema.h"  // kDocumentLevelOrdinal (a constant)

namespace biocorpus {
namespace {

bool IsExactNamespace(char ns) { return ns >= 'A' && ns <= 'Z'; }

// Adds the tokens of `text` to `terms` under the field's namespaces.
void AddText(TextField field, absl::string_view text, uint32_t ordinal, DocumentTerms* terms) {
  const std::vector<TextToken> tokens = Tokenize(text);
  if (tokens.empty()) return;
  const char stem_ns = TextNamespace(field, false);
  const char exact_ns = TextNamespace(field, true);
  const uint32_t length = static_cast<uint32_t>(tokens.size());
  // The posting of `key` for this passage: the last of its list, or a new one.
  auto posting = [&](const std::string& key) -> TextPosting& {
    std::vector<TextPosting>& list = terms->postings[key];
    if (list.empty() || list.back().ordinal != ordinal) {
      TextPosting& added = list.emplace_back();
      added.ordinal = ordinal;
      added.length = length;
    }
    return list.back();
  };
  std::string key;
  for (const TextToken& token : tokens) {
    key.assign(1, exact_ns);
    key += token.exact;
    TextPosting& exact = posting(key);
    ++exact.count;
    exact.positions.push_back(token.position);
    // A word that is its own stem is found through its exact postings.
    if (token.stem == token.exact) continue;
    key.assign(1, stem_ns);
    key += token.stem;
    ++posting(key).count;
  }
  if (field == TextField::kPassage) terms->passage_tokens += static_cast<int64_t>(tokens.size());
}

class PostingsMergeOperator : public rocksdb::MergeOperator {
 public:
  const char* Name() const override { return "biocorpus.PostingsMergeOperator"; }

  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::set<std::string> removed;
    for (const rocksdb::Slice& operand : in.operand_list) CollectRemovals(operand, &removed);
    if (in.existing_value == nullptr) {
      // Removals of a block not stored (never happens): keep them.
      out->new_value = "R";
      for (const std::string& id : removed) out->new_value += id;
      return true;
    }
    const absl::string_view value(in.existing_value->data(), in.existing_value->size());
    if (value.empty() || value[0] != 'P') return false;
    const char ns = in.key.size() > 0 ? in.key[0] : 'p';
    const bool with_positions = IsExactNamespace(ns);
    std::vector<TextPosting> postings;
    if (!DecodePostings(value.substr(1), with_positions, &postings)) return false;
    out->new_value = "P";
    for (const TextPosting& posting : postings) {
      if (removed.count(posting.doc_id) == 0) {
        AppendPosting(posting.doc_id, posting, with_positions, &out->new_value);
      }
    }
    return true;
  }

  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operands, std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    std::set<std::string> removed;
    for (const rocksdb::Slice& operand : operands) CollectRemovals(operand, &removed);
    *new_value = "R";
    for (const std::string& id : removed) *new_value += id;
    return true;
  }

 private:
  static void CollectRemovals(const rocksdb::Slice& operand, std::set<std::string>* removed) {
    if (operand.size() == 0 || operand[0] != 'R') return;
    for (size_t at = 1; at + kDocumentIdLength <= operand.size(); at += kDocumentIdLength) {
      removed->insert(std::string(operand.data() + at, kDocumentIdLength));
    }
  }
};

}  // namespace

std::string TextBlockKey(absl::string_view doc_id) { return absl::StrCat("text/block/", doc_id); }

char TextNamespace(TextField field, bool exact) {
  char ns = 'p';
  switch (field) {
    case TextField::kPassage:
      break;
    case TextField::kTitle:
      ns = 't';
      break;
    case TextField::kAuthor:
      ns = 'a';
      break;
    case TextField::kJournal:
      ns = 'j';
      break;
  }
  return exact ? static_cast<char>(ns - 'a' + 'A') : ns;
}

std::string TextTermPrefix(char ns, absl::string_view term) {
  std::string prefix(1, ns);
  prefix.append(term.data(), term.size());
  prefix.push_back('\0');
  return prefix;
}

std::string TextTermKey(char ns, absl::string_view term, uint64_t block) {
  std::string key = TextTermPrefix(ns, term);
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((block >> shift) & 0xFF));
  return key;
}

uint64_t BlockOfTermKey(absl::string_view key) {
  uint64_t block = 0;
  if (key.size() < 8) return block;
  for (size_t i = key.size() - 8; i < key.size(); ++i) {
    block = (block << 8) | static_cast<unsigned char>(key[i]);
  }
  return block;
}

absl::string_view TermOfKey(absl::string_view key) {
  if (key.size() < 10) return {};
  return key.substr(1, key.size() - 10);
}

void AppendPosting(absl::string_view doc_id, const TextPosting& posting, bool with_positions,
                   std::string* out) {
  out->append(doc_id.data(), doc_id.size());
  AppendVarint(posting.ordinal, out);
  AppendVarint(posting.length, out);
  AppendVarint(posting.count, out);
  if (!with_positions) return;
  uint32_t previous = 0;
  for (uint32_t position : posting.positions) {
    AppendVarint(position - previous, out);
    previous = position;
  }
}

bool TextPostingReader::Next() {
  if (!ok_) return false;
  if (positions_pending_ && !AppendPositions(nullptr)) return false;
  if (rest_.empty()) return false;
  if (rest_.size() < kDocumentIdLength) return ok_ = false;
  doc_id_ = rest_.substr(0, kDocumentIdLength);
  rest_.remove_prefix(kDocumentIdLength);
  if (!ReadVarint(&rest_, &ordinal_) || !ReadVarint(&rest_, &length_) ||
      !ReadVarint(&rest_, &count_)) {
    return ok_ = false;
  }
  positions_pending_ = with_positions_;
  return true;
}

bool TextPostingReader::AppendPositions(std::vector<uint32_t>* out) {
  if (!positions_pending_) return ok_;
  positions_pending_ = false;
  uint32_t position = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    uint32_t delta = 0;
    if (!ReadVarint(&rest_, &delta)) return ok_ = false;
    position += delta;
    if (out != nullptr) out->push_back(position);
  }
  return true;
}

bool DecodePostings(absl::string_view value, bool with_positions, std::vector<TextPosting>* out) {
  TextPostingReader reader(value, with_positions);
  while (reader.Next()) {
    TextPosting& posting = out->emplace_back();
    posting.doc_id = std::string(reader.doc_id());
    posting.ordinal = reader.ordinal();
    posting.length = reader.length();
    posting.count = reader.count();
    if (with_positions) {
      posting.positions.reserve(posting.count);
      if (!reader.AppendPositions(&posting.positions)) return false;
    }
  }
  return reader.ok();
}

std::string TextRemoval(absl::string_view doc_id) { return absl::StrCat("R", doc_id); }

std::shared_ptr<rocksdb::MergeOperator> NewPostingsMergeOperator() {
  return std::make_shared<PostingsMergeOperator>();
}

DocumentTerms TermsOf(const v1::Document& document, const std::vector<v1::Passage>& passages) {
  DocumentTerms terms;
  for (const v1::Passage& passage : passages) {
    AddText(TextField::kPassage, passage.text(), static_cast<uint32_t>(passage.ordinal()), &terms);
  }
  if (document.has_title()) AddText(TextField::kTitle, document.title(), kDocumentLevelOrdinal, &terms);
  std::string authors;
  for (const v1::Author& author : document.authors()) {
    absl::StrAppend(&authors, author.literal().empty() ? absl::StrCat(author.given(), " ", author.family())
                                                       : author.literal(),
                    " ; ");
  }
  AddText(TextField::kAuthor, authors, kDocumentLevelOrdinal, &terms);
  AddText(TextField::kJournal, document.container_title(), kDocumentLevelOrdinal, &terms);
  return terms;
}

void TextBlockBuilder::MergeFrom(TextBlockBuilder other) {
  for (const std::string& id : other.removed_) documents_.erase(id);
  for (auto& [id, terms] : other.documents_) documents_[id] = std::move(terms);
}

std::vector<std::pair<std::string, std::string>> TextBlockBuilder::Build(uint64_t block) const {
  std::unordered_map<std::string, std::string> values;  // ns + term -> block value.
  for (const auto& [id, terms] : documents_) {
    for (const auto& [key, postings] : terms->postings) {
      std::string& value = values[key];
      if (value.empty()) value = "P";
      for (const TextPosting& posting : postings) {
        AppendPosting(id, posting, IsExactNamespace(key[0]), &value);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(values.size());
  for (auto& [key, value] : values) {
    out.emplace_back(TextTermKey(key[0], absl::string_view(key).substr(1), block), std::move(value));
  }
  return out;
}

}  // namespace biocorpus
