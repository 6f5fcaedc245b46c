#ifndef BIOCORPUS_QUERY_SERVICE_EXPORT_BIOC_EXPORT_H_
#define BIOCORPUS_QUERY_SERVICE_EXPORT_BIOC_EXPORT_H_

// Documents as BioC JSON, the format PubTator exports and BioNLP tools read
// (Comeau et al., BioC: a minimalist approach to interoperability for
// biomedical text processing, Database 2013; its JSON form as bioc.json and
// PubTator write it):
//
//   collection  {source, date, key, infons, documents}
//   document    {id, infons, passages, relations}
//   passage     {offset, infons, text, sentences, annotations, relations}
//   annotation  {id, infons {type, identifier}, text, locations [{offset, length}]}
//
// Offsets and lengths count Unicode code points, as PubTator's do; a
// passage's offset is its place in the document text (every passage's text
// in ordinal order, each followed by a newline), and an annotation's
// locations are offsets in that same document text.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// What the collection's `key` says.
inline constexpr char kBiocKey[] =
    "biocorpus.key: offsets and lengths in Unicode code points; passage infons.type is the "
    "passage type; annotation infons.type is the concept category and infons.identifier the "
    "concept id; document infons hold the bibliographic fields";

// The collection, with an empty `documents` list.
std::string BiocCollectionJson(absl::string_view source, absl::string_view date);

// One document with its passages (in ordinal order) and their annotations.
std::string BiocDocumentJson(const v1::Document& document,
                             const std::vector<v1::Passage>& passages);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_EXPORT_BIOC_EXPORT_H_
