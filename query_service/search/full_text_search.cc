#include "query_service/search/full_text_search.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "corpus/model/resource_names.h"
#include "corpus/search/text_index.h"
#include "corpus/storage/schema.h"
#include "query_service/search/text_search.h"

namespace biocorpus {
namespace {

// The cursor of a page: "score position" (relevance) or "position" (document
// order), then the statistics, one line each.
struct Cursor {
  double score = 0;
  std::string position;  // Hex-encoded passage key.
  TextStats stats;
  bool has_stats = false;
};

std::string Hex(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(absl::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int value = 0;
    for (size_t j = i; j < i + 2; ++j) {
      const char c = hex[j];
      value = value * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1000);
    }
    if (value < 0) return std::nullopt;
    out.push_back(static_cast<char>(value));
  }
  return out;
}

std::string EncodeCursor(double score, const std::string& position, const TextStats& stats) {
  return absl::StrCat(absl::StrFormat("%.17g", score), " ", Hex(position), "\n",
                      EncodeTextStats(stats));
}

absl::StatusOr<Cursor> DecodeCursor(absl::string_view after) {
  Cursor cursor;
  const size_t line = after.find('\n');
  const size_t space = after.find(' ');
  std::optional<std::string> position;
  if (line == absl::string_view::npos || space == absl::string_view::npos || space > line ||
      !absl::SimpleAtod(after.substr(0, space), &cursor.score) ||
      !(position = Unhex(after.substr(space + 1, line - space - 1))).has_value() ||
      !DecodeTextStats(after.substr(line + 1), &cursor.stats)) {
    return absl::InvalidArgumentError("page_token is not valid");
  }
  cursor.position = *position;
  cursor.has_stats = true;
  return cursor;
}

// A passage key as a hit's (doc, ordinal); false when it is not one.
bool HitOfPosition(absl::string_view position, TextHit* hit) {
  if (position.size() != kDocumentIdLength + 4) return false;
  for (char c : position.substr(0, kDocumentIdLength)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  hit->doc = DocNumber(position.substr(0, kDocumentIdLength));
  hit->ordinal = PassageOrdinalFromKey(position);
  return true;
}

}  // namespace

absl::StatusOr<FullTextMatches> MatchFullText(const CorpusReader& reader, const QueryNode& query,
                                              const PassageSearch& filters,
                                              const TextStats* frozen,
                                              std::chrono::steady_clock::time_point deadline,
                                              const PassageVisitor* visit) {
  absl::StatusOr<TextSearchOutcome> found = TextSearcher(&reader).Search(query, frozen, deadline);
  if (!found.ok()) return found.status();
  FullTextMatches matches;
  matches.stats = std::move(found->stats);
  matches.complete = found->complete;

  // The documents of the hits, when a filter or the visitor needs them.
  const DocumentFilter& df = filters.documents;
  const bool need_documents = df.format != v1::DOCUMENT_FORMAT_UNSPECIFIED || df.year_min != 0 ||
                              df.year_max != 0 || !df.author.empty() || !df.language.empty() ||
                              !df.source_tag.empty() || visit != nullptr;
  // In document order, as the hits are.
  std::vector<uint64_t> doc_numbers;
  std::vector<std::optional<v1::Document>> documents;
  if (need_documents) {
    std::vector<std::string> ids;
    for (const TextHit& hit : found->hits) {
      if (doc_numbers.empty() || doc_numbers.back() != hit.doc) {
        doc_numbers.push_back(hit.doc);
        ids.push_back(DocIdOfNumber(hit.doc));
      }
    }
    absl::StatusOr<std::vector<std::optional<v1::Document>>> read = reader.GetDocuments(ids);
    if (!read.ok()) return read.status();
    documents = std::move(*read);
  }
  const bool need_passages = filters.type != v1::PASSAGE_TYPE_UNSPECIFIED || visit != nullptr;

  // The passages each concept group allows, from one scan each (as hits in
  // passage order, as the tag keys sort); and, for ALL in the document, the
  // documents each group allows.
  std::vector<std::vector<TextHit>> allowed;
  std::vector<std::vector<uint64_t>> allowed_documents;
  for (const std::vector<std::string>& group : filters.groups) {
    absl::StatusOr<std::vector<std::string>> positions = reader.TaggedPositions(group);
    if (!positions.ok()) return positions.status();
    std::vector<TextHit>& passages = allowed.emplace_back();
    passages.reserve(positions->size());
    for (const std::string& position : *positions) {
      if (HitOfPosition(position, &passages.emplace_back())) continue;
      passages.pop_back();
    }
    if (filters.match_in_document) {
      absl::StatusOr<std::vector<std::string>> ids = reader.TaggedDocuments(group);
      if (!ids.ok()) return ids.status();
      std::vector<uint64_t>& numbers = allowed_documents.emplace_back();
      for (const std::string& id : *ids) numbers.push_back(DocNumber(id));
    }
  }
  auto in_order = [](const TextHit& a, const TextHit& b) { return a.InPassageOrderBefore(b); };
  auto passes_groups = [&](const TextHit& hit) {
    if (allowed.empty()) return true;
    if (filters.match_in_document) {
      bool any = false;
      for (size_t g = 0; g < allowed.size(); ++g) {
        if (!std::binary_search(allowed_documents[g].begin(), allowed_documents[g].end(),
                                hit.doc)) {
          return false;
        }
        any = any || std::binary_search(allowed[g].begin(), allowed[g].end(), hit, in_order);
      }
      return any;
    }
    bool ok = filters.match_all;
    for (const std::vector<TextHit>& passages : allowed) {
      const bool has = std::binary_search(passages.begin(), passages.end(), hit, in_order);
      ok = filters.match_all ? ok && has : ok || has;
    }
    return ok;
  };
  size_t document_at = 0;
  for (TextHit& hit : found->hits) {
    if (!passes_groups(hit)) continue;
    const v1::Document* document = nullptr;
    if (need_documents) {
      while (doc_numbers[document_at] != hit.doc) ++document_at;
      const std::optional<v1::Document>& d = documents[document_at];
      if (!d.has_value() || !DocumentMatches(*d, df)) continue;
      document = &*d;
    }
    if (need_passages) {
      if (std::chrono::steady_clock::now() > deadline) {
        matches.complete = false;
        break;
      }
      absl::StatusOr<v1::Passage> passage = reader.db().ReadPassage(hit.Position());
      if (!passage.ok()) continue;  // Deleted meanwhile.
      if (filters.type != v1::PASSAGE_TYPE_UNSPECIFIED && passage->type() != filters.type) continue;
      if (visit != nullptr) (*visit)(*document, *passage);
    }
    matches.hits.push_back(hit);
  }
  return matches;
}

absl::StatusOr<FullTextPage> SearchFullText(const CorpusReader& reader,
                                            const FullTextRequest& request,
                                            std::chrono::steady_clock::time_point deadline) {
  std::optional<Cursor> cursor;
  if (!request.after.empty()) {
    absl::StatusOr<Cursor> decoded = DecodeCursor(request.after);
    if (!decoded.ok()) return decoded.status();
    cursor = std::move(*decoded);
  }
  std::map<std::string, int64_t> concepts, categories, years, formats;
  const PassageVisitor facets = [&](const v1::Document& document, const v1::Passage& passage) {
    std::set<std::string> seen;
    std::set<v1::ConceptCategory> seen_categories;
    for (const v1::Annotation& a : passage.annotations()) {
      if (seen.insert(a.concept()).second) ++concepts[a.concept()];
      if (seen_categories.insert(a.category()).second) {
        ++categories[v1::ConceptCategory_Name(a.category())];
      }
    }
    ++years[document.year() == 0 ? "unknown" : absl::StrCat(document.year())];
    ++formats[v1::DocumentFormat_Name(document.format())];
  };
  absl::StatusOr<FullTextMatches> found =
      MatchFullText(reader, request.query, request.filters,
                    cursor.has_value() ? &cursor->stats : nullptr, deadline,
                    request.facet_size > 0 ? &facets : nullptr);
  if (!found.ok()) return found.status();
  std::vector<TextHit>& kept = found->hits;
  FullTextPage page;
  page.total_size = static_cast<int64_t>(kept.size());
  page.total_size_is_bound = !found->complete;
  // A database written before the text index is still being indexed.
  page.total_size_is_bound |= !reader.db().ReadMeta(kTextIndexCompleteKey).ok();

  // Rank, and start after the cursor.
  auto before = [&](const TextHit& a, const TextHit& b) {
    if (!request.document_order && a.score != b.score) return a.score > b.score;
    return a.InPassageOrderBefore(b);
  };
  // Only what ranks after the cursor, and of that one page and one more.
  if (cursor.has_value()) {
    TextHit last;
    if (!HitOfPosition(cursor->position, &last)) {
      return absl::InvalidArgumentError("page_token is not valid");
    }
    last.score = cursor->score;
    kept.erase(std::remove_if(kept.begin(), kept.end(),
                              [&](const TextHit& h) { return !before(last, h); }),
               kept.end());
  }
  const size_t wanted = std::min(kept.size(), static_cast<size_t>(request.page_size) + 1);
  std::partial_sort(kept.begin(), kept.begin() + wanted, kept.end(), before);
  kept.resize(wanted);
  auto first = kept.begin();
  for (auto it = first; it != kept.end(); ++it) {
    if (static_cast<int>(page.results.size()) == request.page_size) {
      const TextHit& previous = *(it - 1);
      page.next_after = EncodeCursor(previous.score, previous.Position(), found->stats);
      break;
    }
    absl::StatusOr<v1::Passage> passage = reader.db().ReadPassage(it->Position());
    if (!passage.ok()) continue;
    v1::SearchResult& result = page.results.emplace_back();
    for (v1::Span& span : Highlights(request.query, passage->text())) {
      *result.add_highlights() = std::move(span);
    }
    *result.mutable_passage() = std::move(*passage);
    result.set_score(it->score);
  }

  if (request.facet_size > 0) {
    auto top = [](const std::map<std::string, int64_t>& counts, size_t n,
                  google::protobuf::RepeatedPtrField<v1::FacetCount>* out) {
      std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      if (sorted.size() > n) sorted.resize(n);
      for (const auto& [value, count] : sorted) {
        v1::FacetCount* facet = out->Add();
        facet->set_value(value);
        facet->set_count(count);
      }
    };
    top(concepts, static_cast<size_t>(request.facet_size), page.facets.mutable_concepts());
    top(categories, categories.size(), page.facets.mutable_categories());
    top(years, years.size(), page.facets.mutable_years());
    top(formats, formats.size(), page.facets.mutable_formats());
  }
  return page;
}

}  // namespace biocorpus
