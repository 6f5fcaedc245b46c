#ifndef BIOCORPUS_CORPUS_TEXT_TEXT_NORMALIZER_H_
#define BIOCORPUS_CORPUS_TEXT_TEXT_NORMALIZER_H_

#include <string>
#include "absl/strings/string_view.h"

namespace biocorpus {

// The normalization every parser applies to text it stores: Unicode NFC,
// every run of white space (including no-break spaces and line breaks)
// collapsed to one ASCII space, leading and trailing white space removed.
// `text` must be well-formed UTF-8. Thread-safe.
std::string NormalizeText(absl::string_view text);

// Decodes HTML character references (`&amp;`, `&#38;`, `&nbsp;`, ...) with
// the HTML5 parser's own tables; everything else is left as it is.
std::string DecodeEntities(absl::string_view text);

// Builds normalized text from pieces, keeping byte positions valid across the
// pieces so that spans (such as a link's anchor text) can be taken while the
// text grows. The result equals NormalizeText of the concatenated pieces,
// except that NFC is applied per piece. Not thread-safe.
class NormalizedTextBuilder {
 public:
  // Appends raw text (UTF-8), normalizing it.
  void Append(absl::string_view raw);
  // Forces a word break: the next text is separated by one space.
  void Break() { pending_space_ = true; }
  // Byte position where the next non-space text will start.
  size_t StartMark() const {
    return text_.size() + ((pending_space_ && !text_.empty()) ? 1 : 0);
  }
  // Byte position just after the last non-space text.
  size_t EndMark() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool pending_space_ = false;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_TEXT_TEXT_NORMALIZER_H_
