#include "corpus/model/resource_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "corpus/text/quoted.h"

namespace biocorpus {
namespace {
constexpr absl::string_view kDocumentsPrefix = "documents/";
}  // namespace

std::string DocumentName(absl::string_view id) {
  return absl::StrCat(kDocumentsPrefix, id);
}

std::string PassageName(absl::string_view id, uint32_t ordinal) {
  return absl::StrCat(kDocumentsPrefix, id, "/passages/", ordinal);
}

absl::StatusOr<std::string> ParseDocumentName(absl::string_view name,
                                              absl::string_view field) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is required, as documents/{id}"));
  }
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, kDocumentsPrefix) ||
      id.size() != kDocumentIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " must be documents/{id} with a 16-digit hex id, got ", Quoted(name)));
  }
  for (char c : id) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " must be documents/{id} with a 16-digit hex id, got ", Quoted(name)));
    }
  }
  return std::string(id);
}

}  // namespace biocorpus
