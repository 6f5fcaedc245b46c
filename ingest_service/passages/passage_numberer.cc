#include "ingest_service/passages/passage_numberer.h"

#include <string>

#include "corpus/model/resource_names.h"
#include "corpus/storage/schema.h"

namespace biocorpus {

void PassageNumberer::Number(ParsedDocument* parsed) const {
  const std::string& document = parsed->document.name();
  const std::string id = DocIdFromName(document);
  int64_t offset = 0;
  for (size_t i = 0; i < parsed->passages.size(); ++i) {
    v1::Passage& passage = parsed->passages[i];
    passage.set_ordinal(static_cast<int32_t>(i));
    passage.set_name(PassageName(id, static_cast<uint32_t>(i)));
    passage.set_document(document);
    passage.set_offset(static_cast<int32_t>(offset));
    offset += static_cast<int64_t>(passage.text().size()) + 1;
  }
  parsed->document.set_passage_count(static_cast<int32_t>(parsed->passages.size()));
}

}  // namespace biocorpus
