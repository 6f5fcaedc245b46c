#ifndef BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_BUILDER_H_
#define BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_BUILDER_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "biocorpus/v1/resources.pb.h"
#include "corpus/text/text_normalizer.h"

namespace biocorpus {

// Builds one passage from raw text pieces and the links among them. Text is
// normalized as it is appended (NFC, white space collapsed) and link spans
// refer to the normalized text. Not thread-safe.
//
//   PassageBuilder b(v1::PARAGRAPH);
//   b.AppendText("See ");
//   b.BeginLink("https://example.org/");
//   b.AppendText("the  report");
//   b.EndLink();
//   std::optional<v1::Passage> p = b.Finish();  // text "See the report"
class PassageBuilder {
 public:
  explicit PassageBuilder(v1::PassageType type) : type_(type) {}

  void AppendText(absl::string_view raw) { text_.Append(raw); }
  // Separates what follows from what precedes by a space (a block boundary
  // inside the passage).
  void Break() { text_.Break(); }
  // Opens a link to `url`; links do not nest, a second BeginLink closes the
  // first.
  void BeginLink(std::string url);
  void EndLink();
  bool empty() const { return text_.empty(); }

  // The passage, or nothing when it holds no text. The builder is left empty
  // with the same type.
  std::optional<v1::Passage> Finish();

 private:
  struct OpenLink {
    std::string url;
    size_t start;
  };
  struct ClosedLink {
    std::string url;
    size_t start;
    size_t end;
  };

  v1::PassageType type_;
  NormalizedTextBuilder text_;
  std::optional<OpenLink> open_link_;
  std::vector<ClosedLink> links_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PASSAGES_PASSAGE_BUILDER_H_
