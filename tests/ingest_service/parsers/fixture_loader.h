#ifndef BIOCORPUS_TESTS_INGEST_SERVICE_PARSERS_FIXTURE_LOADER_H_
#define BIOCORPUS_TESTS_INGEST_SERVICE_PARSERS_FIXTURE_LOADER_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "biocorpus/v1/resources.pb.h"

namespace biocorpus::testing {

// The contents of tests/fixtures/<relative>.
inline std::string Fixture(const std::string& relative) {
  std::ifstream in(std::string(BIOCORPUS_FIXTURES_DIR) + "/" + relative,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Family names of a document's authors, in order.
inline std::vector<std::string> Families(const v1::Document& document) {
  std::vector<std::string> out;
  for (const v1::Author& author : document.authors()) out.push_back(author.family());
  return out;
}

// Given names of a document's authors, in order.
inline std::vector<std::string> Givens(const v1::Document& document) {
  std::vector<std::string> out;
  for (const v1::Author& author : document.authors()) out.push_back(author.given());
  return out;
}

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_INGEST_SERVICE_PARSERS_FIXTURE_LOADER_H_
