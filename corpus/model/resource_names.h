#ifndef BIOCORPUS_CORPUS_MODEL_RESOURCE_NAMES_H_
#define BIOCORPUS_CORPUS_MODEL_RESOURCE_NAMES_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace biocorpus {

// Document ids are 16 lower-case hex digits.
inline constexpr size_t kDocumentIdLength = 16;

// "documents/{id}".
std::string DocumentName(absl::string_view id);
// "documents/{id}/passages/{ordinal}".
std::string PassageName(absl::string_view id, uint32_t ordinal);

// The id of "documents/{id}". InvalidArgument naming `field` when the name is
// empty or not of that form.
absl::StatusOr<std::string> ParseDocumentName(absl::string_view name,
                                              absl::string_view field = "name");

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_MODEL_RESOURCE_NAMES_H_
