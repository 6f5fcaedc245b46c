#include "query_service/export/bioc_export.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/storage/schema.h"

namespace biocorpus {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

int64_t CodePoints(absl::string_view text) {
  int64_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void Put(Struct* object, const std::string& key, const std::string& value) {
  (*object->mutable_fields())[key].set_string_value(value);
}

void PutNumber(Struct* object, const std::string& key, int64_t value) {
  (*object->mutable_fields())[key].set_number_value(static_cast<double>(value));
}

Struct* PutObject(Struct* object, const std::string& key) {
  return (*object->mutable_fields())[key].mutable_struct_value();
}

ListValue* PutList(Struct* object, const std::string& key) {
  return (*object->mutable_fields())[key].mutable_list_value();
}

// Infons are strings; empty fields are left out.
void PutInfon(Struct* infons, const std::string& key, const std::string& value) {
  if (!value.empty()) Put(infons, key, value);
}

std::string ToJson(const Struct& object) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // A Struct always converts.
  (void)google::protobuf::util::MessageToJsonString(object, &out, options);
  return out;
}

std::string Lower(const std::string& name) { return absl::AsciiStrToLower(name); }

}  // namespace

std::string BiocCollectionJson(absl::string_view source, absl::string_view date) {
  Struct collection;
  Put(&collection, "source", std::string(source));
  Put(&collection, "date", std::string(date));
  Put(&collection, "key", kBiocKey);
  PutObject(&collection, "infons");
  PutList(&collection, "documents");
  return ToJson(collection);
}

std::string BiocDocumentJson(const v1::Document& document,
                             const std::vector<v1::Passage>& passages) {
  Struct out;
  Put(&out, "id", DocIdFromName(document.name()));
  Struct* infons = PutObject(&out, "infons");
  PutInfon(infons, "name", document.name());
  PutInfon(infons, "title", document.title());
  PutInfon(infons, "format", Lower(v1::DocumentFormat_Name(document.format())));
  if (document.year() != 0) PutInfon(infons, "year", absl::StrCat(document.year()));
  PutInfon(infons, "date", document.date());
  PutInfon(infons, "journal", document.container_title());
  PutInfon(infons, "volume", document.volume());
  PutInfon(infons, "issue", document.issue());
  PutInfon(infons, "pages", document.pages());
  PutInfon(infons, "doi", document.doi());
  PutInfon(infons, "url", document.url());
  PutInfon(infons, "language", document.language());
  std::vector<std::string> authors;
  for (const v1::Author& a : document.authors()) {
    authors.push_back(!a.literal().empty() ? a.literal()
                      : a.given().empty()  ? a.family()
                                           : absl::StrCat(a.family(), ", ", a.given()));
  }
  PutInfon(infons, "authors", absl::StrJoin(authors, "; "));
  PutInfon(infons, "keywords", absl::StrJoin(document.keywords(), "; "));
  PutInfon(infons, "source_tags", absl::StrJoin(document.source_tags(), "; "));
  std::vector<std::string> tags;
  for (const v1::DocumentTag& tag : document.tags()) tags.push_back(tag.concept());
  PutInfon(infons, "document_concepts", absl::StrJoin(tags, "; "));

  ListValue* out_passages = PutList(&out, "passages");
  int64_t offset = 0;
  int annotation_id = 0;
  for (const v1::Passage& passage : passages) {
    Struct* p = out_passages->add_values()->mutable_struct_value();
    PutNumber(p, "offset", offset);
    Struct* passage_infons = PutObject(p, "infons");
    Put(passage_infons, "type", Lower(v1::PassageType_Name(passage.type())));
    Put(passage_infons, "ordinal", absl::StrCat(passage.ordinal()));
    Put(p, "text", passage.text());
    PutList(p, "sentences");
    ListValue* annotations = PutList(p, "annotations");
    for (const v1::Annotation& a : passage.annotations()) {
      Struct* annotation = annotations->add_values()->mutable_struct_value();
      Put(annotation, "id", absl::StrCat(++annotation_id));
      Struct* annotation_infons = PutObject(annotation, "infons");
      Put(annotation_infons, "type", v1::ConceptCategory_Name(a.category()));
      Put(annotation_infons, "identifier", a.concept());
      Put(annotation, "text", a.text());
      Struct* location = PutList(annotation, "locations")->add_values()->mutable_struct_value();
      PutNumber(location, "offset", offset + a.span().start_char());
      PutNumber(location, "length", a.span().end_char() - a.span().start_char());
    }
    PutList(p, "relations");
    offset += CodePoints(passage.text()) + 1;
  }
  PutList(&out, "relations");
  return ToJson(out);
}

}  // namespace biocorpus
