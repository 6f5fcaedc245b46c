#include "query_service/analytics/passage_scan.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "corpus/storage/schema.h"
#include "query_service/search/query_parser.h"
#include "query_service/search/search_request.h"

namespace biocorpus {
namespace {

constexpr int kScanPageSize = 1000;

bool Past(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::steady_clock::now() > deadline;
}

}  // namespace

absl::StatusOr<bool> ScanPassages(const CorpusReader& reader, const Vocabulary& vocabulary,
                                  const v1::SearchPassagesRequest& filter,
                                  std::chrono::steady_clock::time_point deadline,
                                  const PassageVisitor& visit) {
  const bool by_concepts =
      !filter.concepts().empty() || filter.category() != v1::CONCEPT_CATEGORY_UNSPECIFIED;
  if (!filter.query().empty() || by_concepts) {
    absl::StatusOr<PassageSearch> search = PassageSearchOf(filter, vocabulary);
    if (!search.ok()) return search.status();
    if (!filter.query().empty()) {
      absl::StatusOr<QueryNode> query = ParseQuery(filter.query());
      if (!query.ok()) return query.status();
      absl::StatusOr<FullTextMatches> matches =
          MatchFullText(reader, *query, *search, nullptr, deadline, &visit);
      if (!matches.ok()) return matches.status();
      return matches->complete;
    }
    // The tag index, a page at a time; the documents of one page cached.
    std::string after;
    std::optional<v1::Document> document;
    while (true) {
      if (Past(deadline)) return false;
      absl::StatusOr<Page<v1::Passage>> page = reader.SearchPassages(*search, kScanPageSize, after);
      if (!page.ok()) return page.status();
      for (const v1::Passage& passage : page->items) {
        const std::string id = DocIdFromName(passage.document());
        if (!document.has_value() || DocIdFromName(document->name()) != id) {
          absl::StatusOr<v1::Document> read = reader.GetDocument(id);
          if (absl::IsNotFound(read.status())) continue;  // Deleted meanwhile.
          if (!read.ok()) return read.status();
          document = std::move(*read);
        }
        visit(*document, passage);
      }
      if (page->next_after.empty()) return true;
      after = std::move(page->next_after);
    }
  }
  // Every passage of the documents the filters keep.
  absl::StatusOr<DocumentFilter> documents = DocumentFilterOfRequest(filter);
  if (!documents.ok()) return documents.status();
  std::string after;
  while (true) {
    absl::StatusOr<Page<v1::Document>> page =
        reader.ListDocuments(*documents, kScanPageSize, after);
    if (!page.ok()) return page.status();
    for (const v1::Document& document : page->items) {
      if (Past(deadline)) return false;
      absl::StatusOr<std::vector<v1::Passage>> passages =
          reader.db().ReadPassages(DocIdFromName(document.name()));
      if (!passages.ok()) return passages.status();
      for (const v1::Passage& passage : *passages) {
        if (filter.type() != v1::PASSAGE_TYPE_UNSPECIFIED && passage.type() != filter.type()) {
          continue;
        }
        visit(document, passage);
      }
    }
    if (page->next_after.empty()) return true;
    after = std::move(page->next_after);
  }
}

}  // namespace biocorpus
