#include "query_service/analytics/concept_analytics.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/analytics/analytics_counters.h"
#include "corpus/storage/rocks_status.h"
#include "query_service/analytics/analytics_filter.h"
#include "query_service/analytics/association.h"
#include "query_service/analytics/passage_scan.h"

namespace biocorpus {
namespace {

constexpr int kMaxPageSize = 1000;

// Called with each counter's key and value (the value to decode as needed).
using CounterVisitor = std::function<bool(const ParsedCounterKey&, absl::string_view)>;

absl::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

// FailedPrecondition until the counters cover every stored document.
absl::Status CountersReady(const CorpusDb& db) {
  absl::StatusOr<std::string> complete = db.ReadMeta(kAnalyticsCompleteKey);
  if (complete.ok()) return absl::OkStatus();
  if (absl::IsNotFound(complete.status())) {
    return absl::FailedPreconditionError(
        "the ingest service is still counting the documents of a database written before the "
        "analytics counters; retry shortly");
  }
  return complete.status();
}

// Visits every counter whose key starts with `prefix`.
absl::Status ForEachCounter(const CorpusDb& db, const std::string& prefix,
                            const CounterVisitor& visit) {
  std::unique_ptr<rocksdb::Iterator> it(
      db.db()->NewIterator(rocksdb::ReadOptions(), db.families().analytics));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ParsedCounterKey key;
    if (!ParseCounterKey(View(it->key()), &key) || !visit(key, View(it->value()))) {
      return absl::DataLossError("an analytics counter does not decode");
    }
  }
  return FromRocksStatus(it->status(), "reading analytics counters");
}

absl::Status CheckPageSize(int value, absl::string_view field) {
  if (value < 0 || value > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be 0 to ", kMaxPageSize, ", not ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckMinCount(int64_t value) {
  if (value < 0) {
    return absl::InvalidArgumentError(absl::StrCat("min_count must not be negative, not ", value));
  }
  return absl::OkStatus();
}

// The distinct concepts of a passage.
std::vector<std::string> ConceptsOf(const v1::Passage& passage) {
  std::set<std::string> seen;
  for (const v1::Annotation& a : passage.annotations()) seen.insert(a.concept());
  return std::vector<std::string>(seen.begin(), seen.end());
}

// A group's counts while passages are read: a document counts once, as its
// passages come together.
struct GroupTally {
  int64_t passages = 0;
  int64_t documents = 0;
  std::string last_name;
  void Count(const v1::Document& document) {
    ++passages;
    if (last_name != document.name()) {
      ++documents;
      last_name = document.name();
    }
  }
};

std::string CellGroupKey(v1::CountConceptsRequest::GroupBy by, const CounterCell& cell) {
  switch (by) {
    case v1::CountConceptsRequest::YEAR:
      return absl::StrCat(cell.year);
    case v1::CountConceptsRequest::FORMAT:
      return v1::DocumentFormat_Name(cell.format);
    default:
      return cell.language;
  }
}

CounterCell CellOf(const v1::Document& document) {
  return CounterCell{document.year(), document.format(), document.language()};
}

}  // namespace

absl::StatusOr<v1::CountConceptsResponse> CountConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::CountConceptsRequest& request, std::chrono::steady_clock::time_point deadline) {
  using Request = v1::CountConceptsRequest;
  const Request::GroupBy by = request.group_by();
  if (by == Request::GROUP_BY_UNSPECIFIED || !Request::GroupBy_IsValid(by)) {
    return absl::InvalidArgumentError(
        "group_by must be CONCEPT, CATEGORY, YEAR, FORMAT, LANGUAGE or SOURCE_TAG");
  }
  if (absl::Status s = CheckPageSize(request.top_n(), "top_n"); !s.ok()) return s;
  if (!Request::OrderBy_IsValid(request.order_by())) {
    return absl::InvalidArgumentError("order_by must be COUNT or KEY");
  }
  std::vector<std::string> members;
  if (request.has_group_concepts()) {
    if (by != Request::CONCEPT) {
      return absl::InvalidArgumentError("group_concepts applies to group_by CONCEPT only");
    }
    absl::StatusOr<std::vector<std::string>> set =
        ConceptSetMembers(request.group_concepts(), vocabulary, "group_concepts", false);
    if (!set.ok()) return set.status();
    members = std::move(*set);
  }
  auto is_member = [&](const std::string& c) {
    return members.empty() || std::binary_search(members.begin(), members.end(), c);
  };
  const v1::SearchPassagesRequest filter = FilterOf(request);
  if (absl::Status s = CheckFilter(filter, vocabulary); !s.ok()) return s;

  v1::CountConceptsResponse response;
  std::map<std::string, GroupTally> groups;
  int64_t total_passages = 0, total_documents = 0;
  const bool cell_group =
      by == Request::YEAR || by == Request::FORMAT || by == Request::LANGUAGE;
  const std::optional<CounterFilter> counters = CounterFilterOf(filter, vocabulary);
  const bool by_concept_filter =
      counters.has_value() &&
      (!counters->concept_id.empty() || counters->category != v1::CONCEPT_CATEGORY_UNSPECIFIED);
  const CorpusDb& db = reader.db();
  if (counters.has_value() && (cell_group || !by_concept_filter)) {
    if (absl::Status s = CountersReady(db); !s.ok()) return s;
    // The selection: every document, the documents carrying one concept, or
    // those carrying a concept of one category.
    const std::string selection =
        !counters->concept_id.empty() ? ConceptCounterPrefix(counters->concept_id)
        : counters->category != v1::CONCEPT_CATEGORY_UNSPECIFIED
            ? CategoryCounterPrefix(counters->category)
            : std::string(1, kTotalCounterTag);
    absl::Status s = ForEachCounter(db, selection, [&](const ParsedCounterKey& key,
                                                       absl::string_view value) {
      if (!counters->Selects(key.cell)) return true;
      PassageDocumentCounts c;
      if (!DecodeOwnCounts(value, &c)) return false;
      total_passages += c.passages;
      total_documents += c.documents;
      if (cell_group) {
        GroupTally& g = groups[CellGroupKey(by, key.cell)];
        g.passages += c.passages;
        g.documents += c.documents;
      }
      return true;
    });
    if (!s.ok()) return s;
    if (!cell_group) {
      std::vector<std::string> prefixes;
      if (by == Request::CONCEPT && !members.empty()) {
        for (const std::string& m : members) prefixes.push_back(ConceptCounterPrefix(m));
      } else {
        prefixes.emplace_back(1, by == Request::CONCEPT    ? kConceptCounterTag
                                 : by == Request::CATEGORY ? kCategoryCounterTag
                                                           : kSourceTagCounterTag);
      }
      for (const std::string& prefix : prefixes) {
        s = ForEachCounter(db, prefix, [&](const ParsedCounterKey& key,
                                           absl::string_view value) {
          if (!counters->Selects(key.cell)) return true;
          std::string name = key.name;
          if (by == Request::CATEGORY) {
            int number = 0;
            if (absl::SimpleAtoi(key.name, &number)) {
              name = v1::ConceptCategory_Name(static_cast<v1::ConceptCategory>(number));
            }
          }
          PassageDocumentCounts c;
          if (!DecodeOwnCounts(value, &c)) return false;
          GroupTally& g = groups[name];
          g.passages += c.passages;
          g.documents += c.documents;
          return true;
        });
        if (!s.ok()) return s;
      }
    }
    response.set_complete(true);
  } else {
    response.set_scanned(true);
    const v1::ConceptCategory only = filter.category();
    std::string last_document;
    const PassageVisitor visit = [&](const v1::Document& document, const v1::Passage& passage) {
      ++total_passages;
      if (last_document != document.name()) {
        ++total_documents;
        last_document = document.name();
      }
      switch (by) {
        case Request::CONCEPT: {
          std::set<std::string> seen;
          for (const v1::Annotation& a : passage.annotations()) {
            if ((only == v1::CONCEPT_CATEGORY_UNSPECIFIED || a.category() == only) &&
                is_member(a.concept()) && seen.insert(a.concept()).second) {
              groups[a.concept()].Count(document);
            }
          }
          break;
        }
        case Request::CATEGORY: {
          std::set<v1::ConceptCategory> seen;
          for (const v1::Annotation& a : passage.annotations()) {
            if ((only == v1::CONCEPT_CATEGORY_UNSPECIFIED || a.category() == only) &&
                seen.insert(a.category()).second) {
              groups[v1::ConceptCategory_Name(a.category())].Count(document);
            }
          }
          break;
        }
        case Request::SOURCE_TAG:
          for (const std::string& tag : std::set<std::string>(document.source_tags().begin(),
                                                              document.source_tags().end())) {
            groups[tag].Count(document);
          }
          break;
        default:
          groups[CellGroupKey(by, CellOf(document))].Count(document);
      }
    };
    absl::StatusOr<bool> complete = ScanPassages(reader, vocabulary, filter, deadline, visit);
    if (!complete.ok()) return complete.status();
    response.set_complete(*complete);
  }

  std::vector<std::pair<std::string, GroupTally>> sorted;
  for (auto& [key, tally] : groups) {
    if (tally.passages != 0 || tally.documents != 0) sorted.emplace_back(key, tally);
  }
  const Request::OrderBy order =
      request.order_by() != Request::ORDER_BY_UNSPECIFIED ? request.order_by()
      : by == Request::YEAR                               ? Request::KEY
                                                          : Request::COUNT;
  if (order == Request::KEY) {
    auto year = [](const std::string& key) {
      int64_t y = 0;
      return absl::SimpleAtoi(key, &y) ? y : 0;
    };
    std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
      return by == Request::YEAR ? year(a.first) < year(b.first) : a.first < b.first;
    });
  } else {
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      if (a.second.passages != b.second.passages) return a.second.passages > b.second.passages;
      if (a.second.documents != b.second.documents) return a.second.documents > b.second.documents;
      return a.first < b.first;
    });
  }
  const size_t wanted = request.top_n() != 0 ? static_cast<size_t>(request.top_n())
                        : order == Request::KEY ? static_cast<size_t>(kMaxPageSize)
                                                : 10;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto& [key, tally] = sorted[i];
    if (i >= wanted) {
      response.set_other_passage_count(response.other_passage_count() + tally.passages);
      response.set_other_document_count(response.other_document_count() + tally.documents);
      continue;
    }
    v1::ConceptGroupCount* group = response.add_groups();
    group->set_key(key);
    group->set_passage_count(tally.passages);
    group->set_document_count(tally.documents);
    if (by == Request::CONCEPT) {
      if (const v1::Concept* c = vocabulary.Find(key); c != nullptr) *group->mutable_concept() = *c;
    }
  }
  response.set_group_count(static_cast<int32_t>(sorted.size()));
  response.set_total_passages(total_passages);
  response.set_total_documents(total_documents);
  return response;
}

absl::StatusOr<v1::CooccurringConceptsResponse> CooccurringConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::CooccurringConceptsRequest& request,
    std::chrono::steady_clock::time_point deadline) {
  using Request = v1::CooccurringConceptsRequest;
  absl::StatusOr<std::vector<std::string>> rows =
      ConceptSetMembers(request.rows(), vocabulary, "rows", false);
  if (!rows.ok()) return rows.status();
  absl::StatusOr<std::vector<std::string>> columns =
      ConceptSetMembers(request.columns(), vocabulary, "columns", false);
  if (!columns.ok()) return columns.status();
  if (!Request::Unit_IsValid(request.unit())) {
    return absl::InvalidArgumentError("unit must be PASSAGE or DOCUMENT");
  }
  if (!Request::OrderBy_IsValid(request.order_by())) {
    return absl::InvalidArgumentError("order_by must be COUNT, NPMI or LOG_LIKELIHOOD");
  }
  if (absl::Status s = CheckPageSize(request.page_size(), "page_size"); !s.ok()) return s;
  if (absl::Status s = CheckMinCount(request.min_count()); !s.ok()) return s;
  const v1::SearchPassagesRequest filter = FilterOf(request);
  if (absl::Status s = CheckFilter(filter, vocabulary); !s.ok()) return s;
  const bool by_document = request.unit() == Request::DOCUMENT;

  const std::set<std::string> row_set(rows->begin(), rows->end());
  const std::set<std::string> column_set(columns->begin(), columns->end());
  std::set<std::string> members = row_set;
  members.insert(column_set.begin(), column_set.end());
  // The pair of x < y as (row, column), if it is one.
  auto orient = [&](const std::string& x,
                    const std::string& y) -> std::optional<std::pair<std::string, std::string>> {
    if (row_set.count(x) != 0 && column_set.count(y) != 0) return std::make_pair(x, y);
    if (row_set.count(y) != 0 && column_set.count(x) != 0) return std::make_pair(y, x);
    return std::nullopt;
  };
  struct Tally {
    int64_t count = 0;
    std::map<int32_t, int64_t> years;
    void Add(int32_t year, int64_t n) {
      count += n;
      years[year] += n;
    }
  };
  std::map<std::pair<std::string, std::string>, Tally> pairs;
  std::map<std::string, Tally> marginals;
  Tally total;

  v1::CooccurringConceptsResponse response;
  // The counters hold pairs by year, format and language.
  v1::SearchPassagesRequest rest = filter;
  rest.clear_year_min();
  rest.clear_year_max();
  rest.clear_format();
  rest.clear_language();
  const CorpusDb& db = reader.db();
  if (!HasFilter(rest)) {
    if (absl::Status s = CountersReady(db); !s.ok()) return s;
    CounterFilter cells;
    cells.year_min = filter.year_min();
    cells.year_max = filter.year_max();
    cells.format = filter.format();
    cells.language = filter.language();
    auto unit_of = [&](const PassageDocumentCounts& c) {
      return by_document ? c.documents : c.passages;
    };
    absl::Status s = ForEachCounter(
        db, std::string(1, kTotalCounterTag),
        [&](const ParsedCounterKey& key, absl::string_view value) {
          PassageDocumentCounts c;
          if (!DecodeOwnCounts(value, &c)) return false;
          if (cells.Selects(key.cell)) total.Add(key.cell.year, unit_of(c));
          return true;
        });
    if (!s.ok()) return s;
    for (const std::string& m : members) {
      s = ForEachCounter(db, ConceptCounterPrefix(m),
                         [&](const ParsedCounterKey& key, absl::string_view value) {
                           if (!cells.Selects(key.cell)) return true;
                           CounterEntries entries;
                           if (!DecodeCounterEntries(value, &entries)) return false;
                           for (const auto& [partner, counts] : entries) {
                             const int64_t n = unit_of(counts);
                             if (n == 0) continue;
                             if (partner.empty()) {
                               marginals[m].Add(key.cell.year, n);
                             } else if (members.count(partner) != 0) {
                               if (auto pair = orient(m, partner)) {
                                 pairs[*pair].Add(key.cell.year, n);
                               }
                             }
                           }
                           return true;
                         });
      if (!s.ok()) return s;
    }
    response.set_complete(true);
  } else {
    response.set_scanned(true);
    // One unit's concepts: a passage's, or a document's (its matching
    // passages' and its document tags).
    auto count_unit = [&](const std::vector<std::string>& concepts, int32_t year) {
      total.Add(year, 1);
      std::vector<const std::string*> in;
      for (const std::string& c : concepts) {
        if (members.count(c) == 0) continue;
        marginals[c].Add(year, 1);
        in.push_back(&c);
      }
      for (size_t i = 0; i < in.size(); ++i) {
        for (size_t j = i + 1; j < in.size(); ++j) {
          if (auto pair = orient(*in[i], *in[j])) pairs[*pair].Add(year, 1);
        }
      }
    };
    std::string current;
    int32_t current_year = 0;
    std::set<std::string> document_concepts;
    auto flush = [&]() {
      if (current.empty()) return;
      count_unit(std::vector<std::string>(document_concepts.begin(), document_concepts.end()),
                 current_year);
      document_concepts.clear();
    };
    const PassageVisitor visit = [&](const v1::Document& document, const v1::Passage& passage) {
      if (!by_document) {
        count_unit(ConceptsOf(passage), document.year());
        return;
      }
      if (current != document.name()) {
        flush();
        current = document.name();
        current_year = document.year();
        for (const v1::DocumentTag& tag : document.tags()) document_concepts.insert(tag.concept());
      }
      for (const v1::Annotation& a : passage.annotations()) document_concepts.insert(a.concept());
    };
    absl::StatusOr<bool> complete = ScanPassages(reader, vocabulary, filter, deadline, visit);
    if (!complete.ok()) return complete.status();
    flush();
    response.set_complete(*complete);
  }

  const int64_t min_count = std::max<int64_t>(1, request.min_count());
  // The search that lists a pair's passages, when the filter's own concepts
  // can combine with the pair's in one.
  const bool followable =
      filter.category() == v1::CONCEPT_CATEGORY_UNSPECIFIED && !filter.include_descendants() &&
      (filter.concepts().empty() ||
       (!by_document && (filter.concepts_size() == 1 ||
                         filter.match() == v1::SearchPassagesRequest::ALL)));
  std::vector<v1::ConceptPair> found;
  for (const auto& [key, tally] : pairs) {
    if (tally.count < min_count) continue;
    const Tally& row = marginals[key.first];
    const Tally& column = marginals[key.second];
    const Contingency table{tally.count, row.count, column.count, total.count};
    v1::ConceptPair& pair = found.emplace_back();
    pair.set_row(key.first);
    pair.set_column(key.second);
    pair.set_count(tally.count);
    pair.set_expected(ExpectedCount(table));
    pair.set_npmi(NormalizedPmi(table));
    pair.set_log_likelihood(LogLikelihoodRatio(table));
    pair.set_row_count(row.count);
    pair.set_column_count(column.count);
    if (request.by_year()) {
      for (const auto& [year, count] : tally.years) {
        auto in_year = [year = year](const Tally& t) {
          auto it = t.years.find(year);
          return it == t.years.end() ? int64_t{0} : it->second;
        };
        v1::YearCooccurrence* y = pair.add_years();
        y->set_year(year);
        y->set_count(count);
        y->set_expected(
            ExpectedCount(Contingency{count, in_year(row), in_year(column), in_year(total)}));
      }
    }
    if (followable) {
      v1::SearchPassagesRequest* passages = pair.mutable_passages();
      *passages = filter;
      passages->add_concepts(key.first);
      passages->add_concepts(key.second);
      passages->set_match(by_document ? v1::SearchPassagesRequest::ALL_IN_DOCUMENT
                                      : v1::SearchPassagesRequest::ALL);
    }
  }
  const Request::OrderBy order = request.order_by();
  std::sort(found.begin(), found.end(), [&](const v1::ConceptPair& a, const v1::ConceptPair& b) {
    if (order == Request::NPMI && a.npmi() != b.npmi()) return a.npmi() > b.npmi();
    if (order == Request::LOG_LIKELIHOOD && a.log_likelihood() != b.log_likelihood()) {
      return a.log_likelihood() > b.log_likelihood();
    }
    if (a.count() != b.count()) return a.count() > b.count();
    if (a.row() != b.row()) return a.row() < b.row();
    return a.column() < b.column();
  });
  response.set_pair_count(static_cast<int32_t>(found.size()));
  const size_t wanted = request.page_size() == 0 ? 50 : static_cast<size_t>(request.page_size());
  for (size_t i = 0; i < found.size() && i < wanted; ++i) {
    *response.add_pairs() = std::move(found[i]);
  }
  response.set_total(total.count);
  return response;
}

absl::StatusOr<v1::SignificantConceptsResponse> SignificantConcepts(
    const CorpusReader& reader, const Vocabulary& vocabulary,
    const v1::SignificantConceptsRequest& request,
    std::chrono::steady_clock::time_point deadline) {
  const v1::SearchPassagesRequest filter = FilterOf(request);
  if (!HasFilter(filter)) {
    return absl::InvalidArgumentError(
        "give a query, concepts, a category or a document filter: they select the foreground");
  }
  if (absl::Status s = CheckFilter(filter, vocabulary); !s.ok()) return s;
  if (absl::Status s = CheckPageSize(request.page_size(), "page_size"); !s.ok()) return s;
  if (absl::Status s = CheckMinCount(request.min_count()); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> candidates =
      ConceptSetMembers(request.candidates(), vocabulary, "candidates", /*allow_empty=*/true);
  if (!candidates.ok()) return candidates.status();
  // The filter's own concepts are in every foreground passage by choice.
  std::set<std::string> excluded;
  for (const std::string& c : filter.concepts()) {
    for (const std::string& d : filter.include_descendants() ? vocabulary.SelfAndDescendants(c)
                                                             : std::vector<std::string>{c}) {
      excluded.insert(d);
    }
  }
  const CorpusDb& db = reader.db();
  if (absl::Status s = CountersReady(db); !s.ok()) return s;
  std::map<std::string, int64_t> background;
  int64_t background_total = 0;
  absl::Status s = ForEachCounter(db, std::string(1, kConceptCounterTag),
                                  [&](const ParsedCounterKey& key, absl::string_view value) {
                                    PassageDocumentCounts c;
                                    if (!DecodeOwnCounts(value, &c)) return false;
                                    background[key.name] += c.passages;
                                    return true;
                                  });
  if (!s.ok()) return s;
  s = ForEachCounter(db, std::string(1, kTotalCounterTag),
                     [&](const ParsedCounterKey&, absl::string_view value) {
                       PassageDocumentCounts c;
                       if (!DecodeOwnCounts(value, &c)) return false;
                       background_total += c.passages;
                       return true;
                     });
  if (!s.ok()) return s;

  std::map<std::string, int64_t> foreground;
  int64_t foreground_total = 0;
  const PassageVisitor visit = [&](const v1::Document&, const v1::Passage& passage) {
    ++foreground_total;
    for (const std::string& c : ConceptsOf(passage)) ++foreground[c];
  };
  absl::StatusOr<bool> complete = ScanPassages(reader, vocabulary, filter, deadline, visit);
  if (!complete.ok()) return complete.status();

  v1::SignificantConceptsResponse response;
  response.set_scanned(true);
  response.set_complete(*complete);
  // Documents written between the two reads can leave the background a
  // little behind; it never counts less than the foreground.
  background_total = std::max(background_total, foreground_total);
  const int64_t min_count = request.min_count() == 0 ? 2 : request.min_count();
  std::vector<v1::SignificantConcept> found;
  for (const auto& [concept_id, count] : foreground) {
    if (count < min_count || excluded.count(concept_id) != 0) continue;
    if (!candidates->empty() &&
        !std::binary_search(candidates->begin(), candidates->end(), concept_id)) {
      continue;
    }
    const int64_t in_corpus = std::max(background[concept_id], count);
    const double foreground_rate = static_cast<double>(count) / foreground_total;
    const double background_rate = static_cast<double>(in_corpus) / background_total;
    if (foreground_rate <= background_rate) continue;
    v1::SignificantConcept& out = found.emplace_back();
    if (const v1::Concept* c = vocabulary.Find(concept_id); c != nullptr) {
      *out.mutable_concept() = *c;
    } else {
      out.mutable_concept()->set_id(concept_id);
    }
    out.set_foreground_count(count);
    out.set_background_count(in_corpus);
    out.set_score(
        LogLikelihoodRatio(Contingency{count, foreground_total, in_corpus, background_total}));
    out.set_lift(foreground_rate / background_rate);
  }
  std::sort(found.begin(), found.end(),
            [](const v1::SignificantConcept& a, const v1::SignificantConcept& b) {
              if (a.score() != b.score()) return a.score() > b.score();
              return a.concept().id() < b.concept().id();
            });
  const size_t wanted = request.page_size() == 0 ? 20 : static_cast<size_t>(request.page_size());
  for (size_t i = 0; i < found.size() && i < wanted; ++i) {
    *response.add_concepts() = std::move(found[i]);
  }
  response.set_foreground_total(foreground_total);
  response.set_background_total(background_total);
  return response;
}

}  // namespace biocorpus
