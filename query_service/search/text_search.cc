#include "query_service/search/text_search.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

// What matched in one document.
struct DocumentHits {
  // The whole document matches (a field prefix).
  bool whole = false;
  // Matching passages and their scores.
  std::map<uint32_t, double> passages;
};
using MatchSet = std::map<std::string, DocumentHits>;

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
  // Every posting of one term, and its document frequency.
  absl::StatusOr<std::vector<TextPosting>> Postings(char ns, const std::string& term,
                                                    bool record_df = true) {
    std::vector<TextPosting> postings;
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
      if (!DecodePostings(value.substr(1), exact, &postings)) {
        return absl::DataLossError(absl::StrCat("text index entry of ", term, " does not decode"));
      }
    }
    if (!it->status().ok()) {
      return absl::InternalError(absl::StrCat("reading the text index: ", it->status().ToString()));
    }
    const std::string key = std::string(1, ns) + term;
    if (record_df && stats_.document_frequency.count(key) == 0) {
      stats_.document_frequency[key] = postings.size();
    }
    return postings;
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

  // Passages holding a word with stem `stem`: the stem's postings and the
  // exact postings of the word that is its own stem.
  absl::StatusOr<MatchSet> Stem(const std::string& stem, TextField field) {
    const char stem_ns = TextNamespace(field, false);
    const std::string key = std::string(1, stem_ns) + stem;
    std::map<std::pair<std::string, uint32_t>, std::pair<uint32_t, uint32_t>> counts;  // count, length
    for (const char ns : {stem_ns, TextNamespace(field, true)}) {
      absl::StatusOr<std::vector<TextPosting>> postings = Postings(ns, stem, /*record_df=*/false);
      if (!postings.ok()) return postings.status();
      for (const TextPosting& p : *postings) {
        auto& entry = counts[{p.doc_id, p.ordinal}];
        entry.first += p.count;
        entry.second = p.length;
      }
    }
    if (stats_.document_frequency.count(key) == 0) stats_.document_frequency[key] = counts.size();
    const double idf = Idf(stem_ns, stem);
    MatchSet set;
    for (const auto& [at, entry] : counts) {
      DocumentHits& hits = set[at.first];
      if (field != TextField::kPassage) {
        hits.whole = true;
      } else {
        hits.passages[at.second] += Bm25(idf, entry.first, entry.second);
      }
    }
    return set;
  }

  absl::StatusOr<MatchSet> Term(char ns, const std::string& term, TextField field) {
    absl::StatusOr<std::vector<TextPosting>> postings = Postings(ns, term);
    if (!postings.ok()) return postings.status();
    MatchSet set;
    const double idf = Idf(ns, term);
    for (const TextPosting& p : *postings) {
      DocumentHits& hits = set[p.doc_id];
      if (field != TextField::kPassage) {
        hits.whole = true;
      } else {
        hits.passages[p.ordinal] += Bm25(idf, p.count, p.length);
      }
    }
    return set;
  }

  absl::StatusOr<MatchSet> Phrase(const QueryNode& node) {
    const char ns = TextNamespace(node.field, true);
    // The postings of each word, by (doc id, ordinal).
    std::vector<std::map<std::pair<std::string, uint32_t>, TextPosting>> words;
    double idf = 0;
    for (const std::string& word : node.words) {
      absl::StatusOr<std::vector<TextPosting>> postings = Postings(ns, word);
      if (!postings.ok()) return postings.status();
      idf += Idf(ns, word);
      auto& by_passage = words.emplace_back();
      for (TextPosting& p : *postings) {
        const std::pair<std::string, uint32_t> at(p.doc_id, p.ordinal);
        by_passage.emplace(at, std::move(p));
      }
    }
    MatchSet set;
    for (const auto& [at, first] : words.front()) {
      uint32_t occurrences = 0;
      for (uint32_t start : first.positions) {
        bool all = true;
        for (size_t w = 1; w < words.size() && all; ++w) {
          const auto other = words[w].find(at);
          all = other != words[w].end() &&
                std::binary_search(other->second.positions.begin(), other->second.positions.end(),
                                   start + static_cast<uint32_t>(w));
        }
        if (all) ++occurrences;
      }
      if (occurrences == 0) continue;
      DocumentHits& hits = set[at.first];
      if (node.field != TextField::kPassage) {
        hits.whole = true;
      } else {
        hits.passages[at.second] += Bm25(idf, occurrences, first.length);
      }
    }
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
      absl::StatusOr<MatchSet> one = Term(ns, term, node.field);
      if (!one.ok()) return one.status();
      Union(std::move(*one), &set);
    }
    return set;
  }

  static void Union(MatchSet other, MatchSet* into) {
    for (auto& [id, hits] : other) {
      DocumentHits& target = (*into)[id];
      target.whole |= hits.whole;
      for (const auto& [ordinal, score] : hits.passages) target.passages[ordinal] += score;
    }
  }

  absl::StatusOr<MatchSet> Or(const QueryNode& node) {
    MatchSet set;
    for (const QueryNode& child : node.children) {
      absl::StatusOr<MatchSet> one = Evaluate(child);
      if (!one.ok()) return one.status();
      Union(std::move(*one), &set);
    }
    return set;
  }

  absl::StatusOr<MatchSet> And(const QueryNode& node) {
    std::optional<MatchSet> set;
    std::vector<MatchSet> excluded;
    for (const QueryNode& child : node.children) {
      absl::StatusOr<MatchSet> one = Evaluate(child.kind == Kind::kNot ? child.children.front() : child);
      if (!one.ok()) return one.status();
      if (child.kind == Kind::kNot) {
        excluded.push_back(std::move(*one));
      } else if (!set.has_value()) {
        set = std::move(*one);
      } else {
        set = Intersect(std::move(*set), std::move(*one));
      }
    }
    if (!set.has_value()) return MatchSet();
    for (const MatchSet& out : excluded) {
      for (const auto& [id, hits] : out) {
        auto doc = set->find(id);
        if (doc == set->end()) continue;
        if (hits.whole) {
          set->erase(doc);
          continue;
        }
        for (const auto& [ordinal, score] : hits.passages) doc->second.passages.erase(ordinal);
        if (!doc->second.whole && doc->second.passages.empty()) set->erase(doc);
      }
    }
    return std::move(*set);
  }

  static MatchSet Intersect(MatchSet a, MatchSet b) {
    MatchSet out;
    for (auto& [id, left] : a) {
      auto other = b.find(id);
      if (other == b.end()) continue;
      DocumentHits& right = other->second;
      DocumentHits both;
      both.whole = left.whole && right.whole;
      if (left.whole) {
        both.passages = right.passages;
      } else if (right.whole) {
        both.passages = left.passages;
      } else {
        for (const auto& [ordinal, score] : left.passages) {
          auto r = right.passages.find(ordinal);
          if (r != right.passages.end()) both.passages[ordinal] = score + r->second;
        }
      }
      if (left.whole || right.whole) {
        // Scores of passages the whole-document side did not list.
        for (const auto& [ordinal, score] : left.whole ? right.passages : left.passages) {
          both.passages.emplace(ordinal, score);
        }
      }
      if (both.whole || !both.passages.empty()) out.emplace(id, std::move(both));
    }
    return out;
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

absl::StatusOr<TextSearchOutcome> TextSearcher::Search(
    const QueryNode& query, const TextStats* frozen,
    std::chrono::steady_clock::time_point deadline) const {
  Evaluation evaluation(reader_, frozen, deadline);
  if (absl::Status s = evaluation.Init(); !s.ok()) return s;
  absl::StatusOr<MatchSet> set = evaluation.Evaluate(query);
  if (!set.ok()) return set.status();
  TextSearchOutcome outcome;
  // Whole documents (field prefixes alone) stand for all their passages.
  std::vector<std::string> whole;
  for (const auto& [id, hits] : *set) {
    if (hits.whole) whole.push_back(id);
  }
  absl::StatusOr<std::vector<std::optional<v1::Document>>> documents = reader_->GetDocuments(whole);
  if (!documents.ok()) return documents.status();
  size_t next_whole = 0;
  for (const auto& [id, hits] : *set) {
    std::map<uint32_t, double> passages = hits.passages;
    if (hits.whole) {
      const std::optional<v1::Document>& document = (*documents)[next_whole++];
      if (!document.has_value()) continue;
      for (int32_t ordinal = 0; ordinal < document->passage_count(); ++ordinal) {
        passages.emplace(static_cast<uint32_t>(ordinal), 0.0);
      }
    }
    for (const auto& [ordinal, score] : passages) {
      outcome.hits.push_back(TextHit{PassageKey(id, ordinal), score});
    }
  }
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
