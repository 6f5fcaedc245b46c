#include "query_service/analytics/analytics_filter.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "corpus/text/quoted.h"
#include "query_service/search/query_parser.h"
#include "query_service/search/search_request.h"

namespace biocorpus {

v1::SearchPassagesRequest FilterOf(const google::protobuf::Message& request) {
  static const char* const kFilterFields[] = {
      "concepts", "match",  "include_descendants", "category", "type",     "format",
      "year_min", "year_max", "author",            "query",    "language", "source_tag"};
  v1::SearchPassagesRequest filter;
  const google::protobuf::Descriptor* from = request.GetDescriptor();
  const google::protobuf::Reflection* in = request.GetReflection();
  const google::protobuf::Reflection* out = filter.GetReflection();
  for (const char* name : kFilterFields) {
    const google::protobuf::FieldDescriptor* source = from->FindFieldByName(name);
    const google::protobuf::FieldDescriptor* target =
        v1::SearchPassagesRequest::descriptor()->FindFieldByName(name);
    if (source == nullptr || target == nullptr || source->type() != target->type()) continue;
    using FD = google::protobuf::FieldDescriptor;
    if (source->is_repeated()) {
      for (int i = 0; i < in->FieldSize(request, source); ++i) {
        out->AddString(&filter, target, in->GetRepeatedString(request, source, i));
      }
      continue;
    }
    switch (source->cpp_type()) {
      case FD::CPPTYPE_STRING:
        out->SetString(&filter, target, in->GetString(request, source));
        break;
      case FD::CPPTYPE_INT32:
        out->SetInt32(&filter, target, in->GetInt32(request, source));
        break;
      case FD::CPPTYPE_BOOL:
        out->SetBool(&filter, target, in->GetBool(request, source));
        break;
      case FD::CPPTYPE_ENUM:
        out->SetEnumValue(&filter, target, in->GetEnumValue(request, source));
        break;
      default:
        break;
    }
  }
  return filter;
}

bool HasFilter(const v1::SearchPassagesRequest& f) {
  return !f.concepts().empty() || f.category() != v1::CONCEPT_CATEGORY_UNSPECIFIED ||
         f.type() != v1::PASSAGE_TYPE_UNSPECIFIED || f.format() != v1::DOCUMENT_FORMAT_UNSPECIFIED ||
         f.year_min() != 0 || f.year_max() != 0 || !f.author().empty() || !f.query().empty() ||
         !f.language().empty() || !f.source_tag().empty();
}

absl::Status CheckFilter(const v1::SearchPassagesRequest& filter, const Vocabulary& vocabulary) {
  if (!v1::ConceptCategory_IsValid(filter.category())) {
    return absl::InvalidArgumentError(
        absl::StrCat("category: ", filter.category(), " is not a ConceptCategory"));
  }
  if (!filter.query().empty()) {
    absl::StatusOr<QueryNode> query = ParseQuery(filter.query());
    if (!query.ok()) return query.status();
  }
  if (!filter.concepts().empty() || filter.category() != v1::CONCEPT_CATEGORY_UNSPECIFIED ||
      !filter.query().empty()) {
    return PassageSearchOf(filter, vocabulary).status();
  }
  return DocumentFilterOfRequest(filter).status();
}

absl::StatusOr<std::vector<std::string>> ConceptSetMembers(const v1::ConceptSet& set,
                                                           const Vocabulary& vocabulary,
                                                           absl::string_view field,
                                                           bool allow_empty) {
  if (!v1::ConceptCategory_IsValid(set.category())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".category: ", set.category(), " is not a ConceptCategory"));
  }
  std::set<std::string> members;
  if (set.concepts().empty()) {
    if (set.category() == v1::CONCEPT_CATEGORY_UNSPECIFIED) {
      if (allow_empty) return std::vector<std::string>();
      return absl::InvalidArgumentError(
          absl::StrCat(field, " is empty: give concepts, a category, or both"));
    }
    for (const v1::Concept& c : vocabulary.concepts()) {
      if (c.category() == set.category()) members.insert(c.id());
    }
  }
  for (int i = 0; i < set.concepts_size(); ++i) {
    const std::string& id = set.concepts(i);
    if (vocabulary.Find(id) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".concepts[", i, "]: ", Quoted(id),
                                                     " is not in vocabulary version ",
                                                     vocabulary.version()));
    }
    for (const std::string& c : set.include_descendants() ? vocabulary.SelfAndDescendants(id)
                                                          : std::vector<std::string>{id}) {
      const v1::Concept* concept_entry = vocabulary.Find(c);
      if (set.category() == v1::CONCEPT_CATEGORY_UNSPECIFIED ||
          (concept_entry != nullptr && concept_entry->category() == set.category())) {
        members.insert(c);
      }
    }
  }
  if (members.empty() && !allow_empty) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " has no concept: none of its concepts is in its category"));
  }
  return std::vector<std::string>(members.begin(), members.end());
}

bool CounterFilter::SelectsYear(int year) const {
  if (year_min != 0 && year < year_min) return false;
  if (year_max != 0 && (year == 0 || year > year_max)) return false;
  return true;
}

bool CounterFilter::Selects(const CounterCell& cell) const {
  if (!SelectsYear(cell.year)) return false;
  if (format != v1::DOCUMENT_FORMAT_UNSPECIFIED && cell.format != format) return false;
  if (!language.empty() && cell.language != language) return false;
  return true;
}

std::optional<CounterFilter> CounterFilterOf(const v1::SearchPassagesRequest& f,
                                             const Vocabulary& vocabulary) {
  if (!f.query().empty() || f.type() != v1::PASSAGE_TYPE_UNSPECIFIED || !f.author().empty() ||
      !f.source_tag().empty()) {
    return std::nullopt;
  }
  CounterFilter filter;
  filter.year_min = f.year_min();
  filter.year_max = f.year_max();
  filter.format = f.format();
  filter.language = f.language();
  if (f.concepts_size() > 1) return std::nullopt;
  if (f.concepts_size() == 1) {
    if (f.category() != v1::CONCEPT_CATEGORY_UNSPECIFIED) return std::nullopt;
    if (f.include_descendants() && vocabulary.SelfAndDescendants(f.concepts(0)).size() > 1) {
      return std::nullopt;
    }
    filter.concept_id = f.concepts(0);
  } else {
    filter.category = f.category();
  }
  return filter;
}

}  // namespace biocorpus
