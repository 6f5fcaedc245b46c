#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_PERSON_NAMES_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_PERSON_NAMES_H_

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// How a source orders the parts of personal names.
enum class NameOrder {
  // "Xue Yang": family name first (citation records).
  kFamilyFirst,
  // "Scott Moore": family name last (article bylines).
  kFamilyLast,
  // "Peipei LIU": the upper-case word is the family name, else the last word
  // (abstract author lines).
  kUpperCaseFamily,
};

// An author from a name as the source wrote it: `literal` is the name, and
// family / given are split by `order`. A name in Han characters with no
// spaces ("王芳") has its first character as the family name in any order.
v1::Author AuthorFromName(absl::string_view name, NameOrder order);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_PERSON_NAMES_H_
