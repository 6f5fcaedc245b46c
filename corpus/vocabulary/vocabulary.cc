#include "corpus/vocabulary/vocabulary.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "corpus/vocabulary/builtin_vocabulary.h"

namespace biocorpus {
namespace {

bool ValidId(absl::string_view id) {
  const size_t slash = id.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == id.size()) {
    return false;
  }
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' &&
        c != '/' && c != '.') {
      return false;
    }
  }
  return true;
}

// The strings of a YAML sequence; an error naming the line when the node is
// neither absent nor a sequence of scalars.
absl::Status ReadList(const YAML::Node& node, absl::string_view field,
                      absl::string_view where,
                      google::protobuf::RepeatedPtrField<std::string>* out) {
  if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
  if (!node.IsSequence()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", field, " must be a list"));
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", field, " must hold non-empty strings"));
    }
    out->Add(std::string(item.Scalar()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Vocabulary>> Vocabulary::Parse(
    absl::string_view yaml, absl::string_view source) {
  auto vocabulary = std::shared_ptr<Vocabulary>(new Vocabulary());
  vocabulary->text_ = std::string(yaml);
  // yaml-cpp reports errors by exception: caught here, turned into a status.
  try {
    const YAML::Node root = YAML::Load(vocabulary->text_);
    if (!root.IsMap()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": not a YAML mapping with version and concepts"));
    }
    const YAML::Node version = root["version"];
    if (!version.IsDefined() || !version.IsScalar() || version.Scalar().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": version is missing"));
    }
    vocabulary->version_ = version.Scalar();
    const YAML::Node concepts = root["concepts"];
    if (!concepts.IsDefined() || !concepts.IsSequence() || concepts.size() == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": concepts must be a non-empty list"));
    }
    std::vector<int> lines;
    for (const YAML::Node& node : concepts) {
      const int line = node.Mark().line + 1;
      const std::string where = absl::StrCat(source, " line ", line);
      if (!node.IsMap()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": a concept must be a mapping"));
      }
      v1::Concept concept_proto;
      const YAML::Node id = node["id"];
      const bool has_id = id.IsDefined() && id.IsScalar();
      if (!has_id || !ValidId(id.Scalar())) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": id must look like category/slug in lower case, got '",
            has_id ? id.Scalar() : "", "'"));
      }
      concept_proto.set_id(id.Scalar());
      const std::string concept_where =
          absl::StrCat(where, " (", concept_proto.id(), ")");
      const YAML::Node label = node["label"];
      if (!label.IsDefined() || !label.IsScalar() || label.Scalar().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(concept_where, ": label is missing"));
      }
      concept_proto.set_label(label.Scalar());
      const YAML::Node category = node["category"];
      v1::ConceptCategory parsed_category;
      if (!category.IsDefined() || !category.IsScalar() ||
          !v1::ConceptCategory_Parse(category.Scalar(), &parsed_category) ||
          parsed_category == v1::CONCEPT_CATEGORY_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat(
            concept_where, ": category must be one of TOPIC, LEGISLATION, "
            "ORGANIZATION, PERSON, LOCATION, TECHNOLOGY, PATHOGEN"));
      }
      concept_proto.set_category(parsed_category);
      if (node["parent"].IsDefined()) {
        if (!node["parent"].IsScalar()) {
          return absl::InvalidArgumentError(
              absl::StrCat(concept_where, ": parent must be a concept id"));
        }
        concept_proto.set_parent(node["parent"].Scalar());
      }
      for (absl::Status s :
           {ReadList(node["en"], "en", concept_where,
                     concept_proto.mutable_english_synonyms()),
            ReadList(node["zh"], "zh", concept_where,
                     concept_proto.mutable_chinese_synonyms()),
            ReadList(node["acronyms"], "acronyms", concept_where,
                     concept_proto.mutable_acronyms()),
            ReadList(node["names"], "names", concept_where,
                     concept_proto.mutable_names()),
            ReadList(node["unless_near"], "unless_near", concept_where,
                     concept_proto.mutable_unless_near()),
            ReadList(node["unless_within"], "unless_within", concept_where,
                     concept_proto.mutable_unless_within())}) {
        if (!s.ok()) return s;
      }
      if (node["recognized"].IsDefined()) {
        const YAML::Node recognized = node["recognized"];
        if (!recognized.IsScalar() ||
            (recognized.Scalar() != "true" && recognized.Scalar() != "false")) {
          return absl::InvalidArgumentError(
              absl::StrCat(concept_where, ": recognized must be true or false"));
        }
        concept_proto.set_recognized(recognized.Scalar() == "true");
        if (concept_proto.recognized() && parsed_category != v1::ORGANIZATION &&
            parsed_category != v1::PERSON && parsed_category != v1::LOCATION &&
            parsed_category != v1::LEGISLATION) {
          return absl::InvalidArgumentError(absl::StrCat(
              concept_where, ": only an ORGANIZATION, PERSON, LOCATION or LEGISLATION "
                             "concept can be recognized"));
        }
        for (const v1::Concept& other : vocabulary->concepts_) {
          if (concept_proto.recognized() && other.recognized() &&
              other.category() == parsed_category) {
            return absl::InvalidArgumentError(absl::StrCat(
                concept_where, ": ", other.id(), " is already the recognized ",
                v1::ConceptCategory_Name(parsed_category), " concept"));
          }
        }
      }
      if (!concept_proto.recognized() && concept_proto.english_synonyms().empty() &&
          concept_proto.chinese_synonyms().empty() &&
          concept_proto.acronyms().empty() && concept_proto.names().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            concept_where, ": needs at least one synonym (en, zh, acronyms or names)"));
      }
      if (!vocabulary->index_
               .emplace(concept_proto.id(), vocabulary->concepts_.size())
               .second) {
        return absl::InvalidArgumentError(
            absl::StrCat(concept_where, ": id is defined twice"));
      }
      vocabulary->concepts_.push_back(std::move(concept_proto));
      lines.push_back(line);
    }
    for (size_t i = 0; i < vocabulary->concepts_.size(); ++i) {
      const v1::Concept& c = vocabulary->concepts_[i];
      if (c.parent().empty()) continue;
      const std::string where =
          absl::StrCat(source, " line ", lines[i], " (", c.id(), ")");
      if (vocabulary->Find(c.parent()) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": parent '", c.parent(), "' is not defined"));
      }
      // Walk up: reaching this concept again is a cycle.
      std::set<std::string> seen = {c.id()};
      for (const v1::Concept* up = vocabulary->Find(c.parent()); up != nullptr;
           up = up->parent().empty() ? nullptr : vocabulary->Find(up->parent())) {
        if (!seen.insert(up->id()).second) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": parents form a cycle"));
        }
      }
      vocabulary->children_[c.parent()].push_back(c.id());
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, " line ", e.mark.line + 1, ": YAML does not parse: ", e.msg));
  }
  return std::shared_ptr<const Vocabulary>(std::move(vocabulary));
}

absl::StatusOr<std::shared_ptr<const Vocabulary>> Vocabulary::Load(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read vocabulary ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<std::shared_ptr<const Vocabulary>> Vocabulary::BuiltIn() {
  return Parse(kBuiltinVocabulary, "built-in vocabulary");
}

const v1::Concept* Vocabulary::Find(absl::string_view id) const {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &concepts_[it->second];
}

std::vector<std::string> Vocabulary::SelfAndDescendants(absl::string_view id) const {
  std::vector<std::string> out = {std::string(id)};
  for (size_t i = 0; i < out.size(); ++i) {
    const auto it = children_.find(out[i]);
    if (it == children_.end()) continue;
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

}  // namespace biocorpus
