#ifndef BIOCORPUS_INGEST_SERVICE_PARSERS_FRONT_MATTER_H_
#define BIOCORPUS_INGEST_SERVICE_PARSERS_FRONT_MATTER_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// A document split at its front matter.
struct FrontMatterSplit {
  absl::string_view yaml;  // Between the "---" lines.
  absl::string_view body;  // After the closing line.
  int body_first_line = 0;  // 1-based line number where the body starts.
};

// Splits `text` at a front matter block that opens with a "---" line (blank
// lines before it allowed) and closes with a "---" or "..." line.
// InvalidArgument when it does not open there, or never closes ("front matter
// opened on line 1 never closes").
absl::StatusOr<FrontMatterSplit> SplitFrontMatter(absl::string_view text);

// Reads front matter YAML into `document`: title, date (and year), author or
// authors, from / url / source (the URL), tags, categories, lang / language,
// keywords; other scalar keys go to extra_metadata. Values have entities
// decoded and are normalized. InvalidArgument naming the line for YAML that
// does not parse or is not a mapping.
absl::Status ReadFrontMatter(absl::string_view yaml, v1::Document* document);

// Splits an author string on "&", " and " and commas into authors with
// `literal` set ("Scott Moore & Abigail Coplin"), family name last.
void AddAuthorsFromByline(absl::string_view byline, v1::Document* document);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PARSERS_FRONT_MATTER_H_
