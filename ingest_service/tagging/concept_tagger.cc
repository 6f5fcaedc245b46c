#include "ingest_service/tagging/concept_tagger.h"

#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "corpus/text/text_normalizer.h"

namespace biocorpus {

void ConceptTagger::Tag(ParsedDocument* document) const {
  Tag(&document->document, &document->passages);
}

void ConceptTagger::Tag(v1::Document* document,
                        std::vector<v1::Passage>* passages) const {
  for (v1::Passage& passage : *passages) {
    passage.clear_annotations();
    for (v1::Annotation& annotation : matcher_->Match(passage.text())) {
      *passage.add_annotations() = std::move(annotation);
    }
  }
  document->clear_tags();
  // One tag per concept and source; names found by their shape (one
  // `recognized` concept, many names) one per name.
  std::set<std::tuple<std::string, int, std::string>> seen;
  auto tag_all = [&](const google::protobuf::RepeatedPtrField<std::string>& values,
                     v1::DocumentTag::TagSource source,
                     std::set<v1::ConceptCategory> only = {}) {
    for (const std::string& value : values) {
      for (const v1::Annotation& match : matcher_->Match(NormalizeText(value))) {
        if (!only.empty() && only.count(match.category()) == 0) continue;
        const v1::Concept* concept_entry = vocabulary().Find(match.concept());
        const bool recognized = concept_entry != nullptr && concept_entry->recognized();
        if (!seen.insert({match.concept(), source, recognized ? match.text() : ""}).second) {
          continue;
        }
        v1::DocumentTag* tag = document->add_tags();
        tag->set_concept(match.concept());
        tag->set_category(match.category());
        tag->set_text(value);
        tag->set_source(source);
      }
    }
  };
  tag_all(document->keywords(), v1::DocumentTag::KEYWORD);
  tag_all(document->source_tags(), v1::DocumentTag::SOURCE_TAG);
  tag_all(document->categories(), v1::DocumentTag::SOURCE_CATEGORY);
  // The institutions behind the work, and the places they name.
  google::protobuf::RepeatedPtrField<std::string> affiliations;
  std::set<std::string> unique;
  for (const v1::Author& author : document->authors()) {
    for (const std::string& affiliation : author.affiliations()) {
      if (unique.insert(affiliation).second) *affiliations.Add() = affiliation;
    }
  }
  tag_all(affiliations, v1::DocumentTag::AFFILIATION,
          {v1::ORGANIZATION, v1::LOCATION});
  document->set_vocabulary_version(vocabulary().version());
}

}  // namespace biocorpus
