// The evaluation of the full-text query language (about 450 lines): one
// algorithm over one set representation; highlights use the same leaves.

#include "query_service/search/text_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "corpus/model/resource_names.h"
#include "corpus/model/spans.h"
#include "corpus/search/text_index.h"
#include "corpus/search/text_tokenizer.h"
#include "corpus/storage/schema.h"
#include "rocksdb/db.h"

namespace biocorpus {
namespace {

using Kind = QueryNode::Kind;

// Words a prefix expands to, at most.
constexpr size_t kMaxPrefixExpansions = 128;

// A matching passage, in the block that holds its document's postings.
//
// Every live document has its postings in exactly one block (that of the
// group commit that wrote it), and a block holds its documents in id order
// and their passages in order: so the postings of every term, read in key
// order, are already sorted by (block, doc, ordinal), the same order for
// all terms. Sets are kept in that order and need no sorting; the result is
// put into passage order once, at the end.
struct Hit {
  uint64_t block;
  uint64_t doc;
  uint32_t ordinal;
  double score;
  bool operator<(const Hit& o) const {
    if (block != o.block) return block < o.block;
    return doc != o.doc ? doc < o.doc : ordinal < o.ordinal;
  }
  bool Same(const Hit& o) const { return doc == o.doc && ordinal == o.ordinal; }
};
// Matching passages, sorted by (block, doc, ordinal) and unique.
using MatchSet = std::vector<Hit>;

// Sorts and merges equal passages, summing their scores.
void Normalize(MatchSet* set) {
  std::sort(set->begin(), set->end());
  size_t out = 0;
  for (size_t i = 0; i < set->size(); ++i) {
    if (out > 0 && (*set)[out - 1].Same((*set)[i])) {
      (*set)[out - 1].score += (*set)[i].score;
    } else {
      (*set)[out++] = (*set)[i];
    }
  }
  set->resize(out);
}

class Evaluation {
 public:
  Evaluation(const CorpusReader* reader, const TextStats* frozen,
             std::chrono::steady_clock::time_point deadline)
      : reader_(reader), frozen_(frozen), deadline_(deadline) {}

  absl::Status Init() {
    if (frozen_ != nullptr) {
      stats_ = *frozen_;
      return absl::OkStatus();
    }
    absl::StatusOr<uint64_t> passages = reader_->db().ReadCounter(kPassageCountKey);
    if (!passages.ok()) return passages.status();
    absl::StatusOr<uint64_t> tokens = reader_->db().ReadCounter(kTextTokenCountKey);
    if (!tokens.ok()) return tokens.status();
    stats_.passages = *passages;
    stats_.average_length =
        *passages == 0 ? 1.0 : static_cast<double>(*tokens) / static_cast<double>(*passages);
    return absl::OkStatus();
  }

  absl::StatusOr<MatchSet> Evaluate(const QueryNode& node) {
    switch (node.kind) {
      case Kind::kWord:
        return Stem(node.words.front(), node.field);
      case Kind::kPhrase:
        return Phrase(node);
      case Kind::kPrefix:
        return Prefix(node);
      case Kind::kOr:
        return Or(node);
      case Kind::kAnd:
        return And(node);
      case Kind::kNot:
        return absl::InvalidArgumentError("query: NOT needs a word to search for beside it");
    }
    return MatchSet();
  }

  const TextStats& stats() const { return stats_; }
  bool complete() const { return complete_; }

 private:
  // One occurrence list, as read; its positions (when read) are
  // positions[first_position, first_position + count) of its list.
  struct Posting {
    uint64_t block;
    uint64_t doc;
    uint32_t ordinal;
    uint32_t length;
    uint32_t count;
    uint32_t first_position;
  };
  struct PostingList {
    std::vector<Posting> items;
    std::vector<uint32_t> positions;
  };
  static bool InBlockOrder(const Posting& a, const Posting& b) {
    if (a.block != b.block) return a.block < b.block;
    return a.doc != b.doc ? a.doc < b.doc : a.ordinal < b.ordinal;
  }

  // Every posting of one term (positions only when asked), and with
  // `record_df` its document frequency in the statistics.
  absl::StatusOr<PostingList> Postings(char ns, const std::string& term, bool positions,
                                       bool record_df = true) {
    PostingList list;
    std::vector<Posting>& postings = list.items;
    const std::string prefix = TextTermPrefix(ns, term);
    const bool exact = ns >= 'A' && ns <= 'Z';
    std::unique_ptr<rocksdb::Iterator> it(reader_->db().db()->NewIterator(
        rocksdb::ReadOptions(), reader_->db().families().text));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (std::chrono::steady_clock::now() > deadline_) {
        complete_ = false;
        break;
      }
      const absl::string_view value(it->value().data(), it->value().size());
      if (value.empty() || value[0] != 'P') continue;
      const uint64_t block = BlockOfTermKey(absl::string_view(it->key().data(), it->key().size()));
      TextPostingReader reader(value.substr(1), exact);
      while (reader.Next()) {
        postings.push_back(Posting{block, DocNumber(reader.doc_id()), reader.ordinal(), reader.length(),
                                   reader.count(), static_cast<uint32_t>(list.positions.size())});
        if (positions) reader.AppendPositions(&list.positions);
      }
      if (!reader.ok()) {
        return absl::DataLossError(absl::StrCat("text index entry of ", term, " does not decode"));
      }
    }
    if (!it->status().ok()) {
      return absl::InternalError(absl::StrCat("reading the text index: ", it->status().ToString()));
    }
    if (record_df) {
      const std::string key = std::string(1, ns) + term;
      if (stats_.document_frequency.count(key) == 0) stats_.document_frequency[key] = postings.size();
    }
    return list;
  }

  double Idf(char ns, const std::string& term) const {
    const auto it = stats_.document_frequency.find(std::string(1, ns) + term);
    const double df = it == stats_.document_frequency.end() ? 0 : static_cast<double>(it->second);
    const double n = static_cast<double>(stats_.passages);
    return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  double Bm25(double idf, double tf, double length) const {
    const double norm = kBm25K1 * (1 - kBm25B + kBm25B * length / std::max(stats_.average_length, 1e-9));
    return idf * tf * (kBm25K1 + 1) / (tf + norm);
  }

  // Field matches stand for every passage of their documents (score 0).
  // `docs`: (block, doc) pairs.
  absl::StatusOr<MatchSet> WholeDocuments(std::vector<std::pair<uint64_t, uint64_t>> docs) {
    std::sort(docs.begin(), docs.end());
    docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
    std::vector<std::string> ids;
    ids.reserve(docs.size());
    for (const auto& [block, d] : docs) ids.push_back(DocIdOfNumber(d));
    absl::StatusOr<std::vector<std::optional<v1::Document>>> documents = reader_->GetDocuments(ids);
    if (!documents.ok()) return documents.status();
    MatchSet set;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (!(*documents)[i].has_value()) continue;
      for (int32_t ordinal = 0; ordinal < (*documents)[i]->passage_count(); ++ordinal) {
        set.push_back(Hit{docs[i].first, docs[i].second, static_cast<uint32_t>(ordinal), 0.0});
      }
    }
    return set;
  }

  static std::vector<std::pair<uint64_t, uint64_t>> DocsOf(const std::vector<Posting>& postings) {
    std::vector<std::pair<uint64_t, uint64_t>> docs;
    docs.reserve(postings.size());
    for (const Posting& p : postings) docs.emplace_back(p.block, p.doc);
    return docs;
  }

  // Passages holding a word with stem `stem`: the stem's postings and the
  // exact postings of the word that is its own stem.
  absl::StatusOr<MatchSet> Stem(const std::string& stem, TextField field) {
    const char stem_ns = TextNamespace(field, false);
    absl::StatusOr<PostingList> stemmed = Postings(stem_ns, stem, false, false);
    if (!stemmed.ok()) return stemmed.status();
    absl::StatusOr<PostingList> exact = Postings(TextNamespace(field, true), stem, false, false);
    if (!exact.ok()) return exact.status();
    std::vector<Posting> all;
    all.reserve(stemmed->items.size() + exact->items.size());
    std::merge(stemmed->items.begin(), stemmed->items.end(), exact->items.begin(),
               exact->items.end(), std::back_inserter(all), InBlockOrder);
    // One entry per passage, counts summed.
    size_t out = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (out > 0 && all[out - 1].doc == all[i].doc && all[out - 1].ordinal == all[i].ordinal) {
        all[out - 1].count += all[i].count;
      } else {
        all[out++] = all[i];
      }
    }
    all.resize(out);
    const std::string key = std::string(1, stem_ns) + stem;
    if (stats_.document_frequency.count(key) == 0) stats_.document_frequency[key] = all.size();
    if (field != TextField::kPassage) return WholeDocuments(DocsOf(all));
    const double idf = Idf(stem_ns, stem);
    MatchSet set;
    set.reserve(all.size());
    for (const Posting& p : all) set.push_back(Hit{p.block, p.doc, p.ordinal, Bm25(idf, p.count, p.length)});
    return set;
  }

  // An exact word (a prefix's expansion).
  absl::StatusOr<MatchSet> Exact(char ns, const std::string& term, TextField field) {
    absl::StatusOr<PostingList> postings = Postings(ns, term, false);
    if (!postings.ok()) return postings.status();
    if (field != TextField::kPassage) return WholeDocuments(DocsOf(postings->items));
    const double idf = Idf(ns, term);
    MatchSet set;
    set.reserve(postings->items.size());
    for (const Posting& p : postings->items) set.push_back(Hit{p.block, p.doc, p.ordinal, Bm25(idf, p.count, p.length)});
    Normalize(&set);
    return set;
  }

  absl::StatusOr<MatchSet> Phrase(const QueryNode& node) {
    const char ns = TextNamespace(node.field, true);
    // Each word's postings, sorted by passage.
    std::vector<PostingList> words;
    double idf = 0;
    for (const std::string& word : node.words) {
      absl::StatusOr<PostingList> postings = Postings(ns, word, true);
      if (!postings.ok()) return postings.status();
      idf += Idf(ns, word);
      words.push_back(std::move(*postings));
    }
    auto find = [](const std::vector<Posting>& list, const Posting& at) {
      auto it = std::lower_bound(list.begin(), list.end(), at, InBlockOrder);
      return it != list.end() && it->doc == at.doc && it->ordinal == at.ordinal ? &*it : nullptr;
    };
    MatchSet set;
    std::vector<std::pair<uint64_t, uint64_t>> docs;
    // The positions of a posting of word w.
    auto positions = [&](size_t w, const Posting& p) {
      const uint32_t* begin = words[w].positions.data() + p.first_position;
      return std::make_pair(begin, begin + p.count);
    };
    std::vector<const Posting*> others;
    for (const Posting& first : words.front().items) {
      uint32_t occurrences = 0;
      others.clear();
      bool all_present = true;
      for (size_t w = 1; w < words.size() && all_present; ++w) {
        const Posting* other = find(words[w].items, first);
        all_present = other != nullptr;
        others.push_back(other);
      }
      if (!all_present) continue;
      const auto [start_begin, start_end] = positions(0, first);
      for (const uint32_t* start = start_begin; start != start_end; ++start) {
        bool all = true;
        for (size_t w = 1; w < words.size() && all; ++w) {
          const auto [begin, end] = positions(w, *others[w - 1]);
          all = std::binary_search(begin, end, *start + static_cast<uint32_t>(w));
        }
        if (all) ++occurrences;
      }
      if (occurrences == 0) continue;
      if (node.field != TextField::kPassage) {
        docs.emplace_back(first.block, first.doc);
      } else {
        set.push_back(Hit{first.block, first.doc, first.ordinal, Bm25(idf, occurrences, first.length)});
      }
    }
    if (node.field != TextField::kPassage) return WholeDocuments(std::move(docs));
    return set;
  }

  absl::StatusOr<MatchSet> Prefix(const QueryNode& node) {
    const char ns = TextNamespace(node.field, true);
    const std::string start = std::string(1, ns) + node.words.front();
    std::vector<std::string> terms;
    std::unique_ptr<rocksdb::Iterator> it(reader_->db().db()->NewIterator(
        rocksdb::ReadOptions(), reader_->db().families().text));
    for (it->Seek(start); it->Valid() && it->key().starts_with(start) &&
                          terms.size() < kMaxPrefixExpansions;) {
      const std::string term(TermOfKey(absl::string_view(it->key().data(), it->key().size())));
      terms.push_back(term);
      // On to the next term: past every block of this one.
      it->Seek(TextTermPrefix(ns, term) + std::string(8, '\xFF') + '\xFF');
    }
    MatchSet set;
    for (const std::string& term : terms) {
      absl::StatusOr<MatchSet> one = Exact(ns, term, node.field);
      if (!one.ok()) return one.status();
      set.insert(set.end(), one->begin(), one->end());
    }
    Normalize(&set);
    return set;
  }

  absl::StatusOr<MatchSet> Or(const QueryNode& node) {
    MatchSet set;
    for (const QueryNode& child : node.children) {
      absl::StatusOr<MatchSet> one = Evaluate(child);
      if (!one.ok()) return one.status();
      set.insert(set.end(), one->begin(), one->end());
    }
    Normalize(&set);
    return set;
  }

  absl::StatusOr<MatchSet> And(const QueryNode& node) {
    std::optional<MatchSet> set;
    std::vector<MatchSet> excluded;
    for (const QueryNode& child : node.children) {
      absl::StatusOr<MatchSet> one =
          Evaluate(child.kind == Kind::kNot ? child.children.front() : child);
      if (!one.ok()) return one.status();
      if (child.kind == Kind::kNot) {
        excluded.push_back(std::move(*one));
      } else if (!set.has_value()) {
        set = std::move(*one);
      } else {
        // Both sides: the passages in both, scores summed.
        MatchSet both;
        auto a = set->begin();
        auto b = one->begin();
        while (a != set->end() && b != one->end()) {
          if (*a < *b) {
            ++a;
          } else if (*b < *a) {
            ++b;
          } else {
            both.push_back(Hit{a->block, a->doc, a->ordinal, a->score + b->score});
            ++a;
            ++b;
          }
        }
        set = std::move(both);
      }
    }
    if (!set.has_value()) return MatchSet();
    for (const MatchSet& out : excluded) {
      MatchSet kept;
      for (const Hit& hit : *set) {
        if (!std::binary_search(out.begin(), out.end(), hit)) kept.push_back(hit);
      }
      *set = std::move(kept);
    }
    return std::move(*set);
  }

  const CorpusReader* reader_;
  const TextStats* frozen_;
  std::chrono::steady_clock::time_point deadline_;
  TextStats stats_;
  bool complete_ = true;
};

// The query's positive leaves.
void PositiveLeaves(const QueryNode& node, std::vector<const QueryNode*>* out) {
  if (node.kind == Kind::kNot) return;
  if (node.kind == Kind::kWord || node.kind == Kind::kPhrase || node.kind == Kind::kPrefix) {
    if (node.field == TextField::kPassage) out->push_back(&node);
    return;
  }
  for (const QueryNode& child : node.children) PositiveLeaves(child, out);
}

}  // namespace

namespace {

// Eight lower-case hex digits (first digit in the lowest byte) as a number.
uint32_t HexWord(uint64_t x) {
  // '0'-'9' are 0x30-0x39 and 'a'-'f' 0x61-0x66: the low nibble, plus 9 for
  // letters (bit 6 set).
  x = (x & 0x0F0F0F0F0F0F0F0FULL) + 9 * ((x >> 6) & 0x0101010101010101ULL);
  x = __builtin_bswap64(x);  // The first digit in the highest byte.
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  return static_cast<uint32_t>(x | (x >> 16));
}

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "HexWord reads digits little-endian");

uint64_t DocNumber(absl::string_view id) {
  if (id.size() != 16) {
    uint64_t n = 0;
    for (char c : id) n = (n << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    return n;
  }
  uint64_t high = 0, low = 0;
  std::memcpy(&high, id.data(), 8);
  std::memcpy(&low, id.data() + 8, 8);
  return (static_cast<uint64_t>(HexWord(high)) << 32) | HexWord(low);
}

std::string DocIdOfNumber(uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id(kDocumentIdLength, '0');
  for (int i = static_cast<int>(kDocumentIdLength) - 1; i >= 0; --i, n >>= 4) id[i] = kDigits[n & 15];
  return id;
}

std::string TextHit::Position() const { return PassageKey(DocIdOfNumber(doc), ordinal); }

absl::StatusOr<TextSearchOutcome> TextSearcher::Search(
    const QueryNode& query, const TextStats* frozen,
    std::chrono::steady_clock::time_point deadline) const {
  Evaluation evaluation(reader_, frozen, deadline);
  if (absl::Status s = evaluation.Init(); !s.ok()) return s;
  absl::StatusOr<MatchSet> set = evaluation.Evaluate(query);
  if (!set.ok()) return set.status();
  TextSearchOutcome outcome;
  outcome.hits.reserve(set->size());
  for (const Hit& hit : *set) outcome.hits.push_back(TextHit{hit.doc, hit.ordinal, hit.score});
  // Into passage order; a document found in two blocks (never written so)
  // would count once.
  std::sort(outcome.hits.begin(), outcome.hits.end(),
            [](const TextHit& a, const TextHit& b) { return a.InPassageOrderBefore(b); });
  outcome.hits.erase(std::unique(outcome.hits.begin(), outcome.hits.end(),
                                 [](const TextHit& a, const TextHit& b) { return a.SamePassage(b); }),
                     outcome.hits.end());
  outcome.stats = evaluation.stats();
  outcome.complete = evaluation.complete();
  return outcome;
}

std::vector<v1::Span> Highlights(const QueryNode& query, absl::string_view text) {
  std::vector<const QueryNode*> leaves;
  PositiveLeaves(query, &leaves);
  const std::vector<TextToken> tokens = Tokenize(text);
  std::vector<bool> marked(tokens.size(), false);
  for (const QueryNode* leaf : leaves) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (leaf->kind == Kind::kWord) {
        if (tokens[i].stem == leaf->words.front()) marked[i] = true;
      } else if (leaf->kind == Kind::kPrefix) {
        if (tokens[i].exact.compare(0, leaf->words.front().size(), leaf->words.front()) == 0) {
          marked[i] = true;
        }
      } else {
        bool all = i + leaf->words.size() <= tokens.size();
        for (size_t w = 0; w < leaf->words.size() && all; ++w) {
          all = tokens[i + w].exact == leaf->words[w];
        }
        for (size_t w = 0; all && w < leaf->words.size(); ++w) marked[i + w] = true;
      }
    }
  }
  // Adjacent marked tokens of one phrase or run become one span.
  std::vector<v1::Span> spans;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!marked[i]) continue;
    const size_t start = tokens[i].start;
    size_t end = tokens[i].end;
    // A run of CJK characters is one span.
    while (i + 1 < tokens.size() && marked[i + 1] && tokens[i + 1].cjk && tokens[i].cjk &&
           tokens[i + 1].start == end) {
      ++i;
      end = tokens[i].end;
    }
    spans.push_back(MakeSpan(text, start, end));
  }
  return spans;
}

std::string EncodeTextStats(const TextStats& stats) {
  std::string out = absl::StrCat(stats.passages, " ", stats.average_length);
  for (const auto& [term, df] : stats.document_frequency) {
    absl::StrAppend(&out, "\n", df, " ", term);
  }
  return out;
}

bool DecodeTextStats(absl::string_view encoded, TextStats* stats) {
  std::vector<absl::string_view> lines = absl::StrSplit(encoded, '\n');
  if (lines.empty()) return false;
  std::vector<absl::string_view> head = absl::StrSplit(lines[0], ' ');
  if (head.size() != 2 || !absl::SimpleAtoi(head[0], &stats->passages) ||
      !absl::SimpleAtod(head[1], &stats->average_length)) {
    return false;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t space = lines[i].find(' ');
    uint64_t df = 0;
    if (space == absl::string_view::npos || !absl::SimpleAtoi(lines[i].substr(0, space), &df)) {
      return false;
    }
    stats->document_frequency[std::string(lines[i].substr(space + 1))] = df;
  }
  return true;
}

}  // namespace biocorpus
