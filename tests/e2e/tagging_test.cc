// End to end: tagging, SearchPassages and ListTags over the real servers.
//
// Long (one fixture over the real servers, many short cases): splitting it
// would start the servers once more per file.

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

using ::testing::HasSubstr;

bool HasConcept(const v1::Passage& passage, const std::string& concept_id) {
  for (const v1::Annotation& a : passage.annotations()) {
    if (a.concept() == concept_id) return true;
  }
  return false;
}

class TaggingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pair_.Start()) << pair_.error(); }

  // Ingests every file under the folders; returns the document names.
  std::vector<std::string> IngestFolders(const std::vector<std::string>& folders) {
    std::vector<std::string> names;
    for (const std::string& folder : folders) {
      for (const std::string& file : FilesUnder(folder)) {
        v1::IngestDocumentResponse response;
        const grpc::Status status = pair_.Ingest(ReadFile(file), &response, file);
        EXPECT_TRUE(status.ok()) << file << ": " << status.error_message();
        names.push_back(response.document().name());
        for (const auto& more : response.additional_records()) {
          names.push_back(more.document().name());
        }
      }
    }
    return names;
  }

  // Every passage of every listed document, by name, once the query service
  // serves them all.
  std::map<std::string, v1::Passage> AllPassages(const std::vector<std::string>& documents) {
    std::map<std::string, v1::Passage> all;
    for (const std::string& name : documents) {
      v1::ListPassagesResponse response;
      EXPECT_TRUE(Eventually([&] {
        grpc::ClientContext context;
        v1::ListPassagesRequest request;
        request.set_parent(name);
        request.set_page_size(1000);
        response.Clear();
        return pair_.query().ListPassages(&context, request, &response).ok();
      })) << name;
      for (const v1::Passage& p : response.passages()) all[p.name()] = p;
    }
    return all;
  }

  // Every passage a search returns, following page tokens.
  std::vector<v1::Passage> SearchAll(v1::SearchPassagesRequest request,
                                     grpc::Status* status = nullptr) {
    std::vector<v1::Passage> out;
    for (int pages = 0; pages < 10000; ++pages) {
      grpc::ClientContext context;
      v1::SearchPassagesResponse response;
      const grpc::Status s = pair_.query().SearchPassages(&context, request, &response);
      if (status != nullptr) *status = s;
      if (!s.ok()) break;
      out.insert(out.end(), response.passages().begin(), response.passages().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  std::set<std::string> Names(const std::vector<v1::Passage>& passages) {
    std::set<std::string> names;
    for (const v1::Passage& p : passages) names.insert(p.name());
    return names;
  }

  ServicePair pair_;
};

TEST_F(TaggingTest, SearchFindsExactlyThePassagesCarryingTheConcepts) {
  const std::vector<std::string> documents = IngestFolders(
      {BIOCORPUS_SAMPLES_DIR, std::string(BIOCORPUS_FIXTURES_DIR) + "/mirrored_articles",
       std::string(BIOCORPUS_FIXTURES_DIR) + "/plain_abstracts"});
  const std::map<std::string, v1::Passage> all = AllPassages(documents);
  ASSERT_GT(all.size(), 30u);
  auto expected = [&](const std::function<bool(const v1::Passage&)>& keep) {
    std::set<std::string> names;
    for (const auto& [name, p] : all) {
      if (keep(p)) names.insert(name);
    }
    return names;
  };

  v1::SearchPassagesRequest any;
  any.add_concepts("topic/biosafety");
  any.add_concepts("place/china");
  any.set_page_size(3);
  const std::set<std::string> any_found = Names(SearchAll(any));
  EXPECT_EQ(any_found, expected([](const v1::Passage& p) {
              return HasConcept(p, "topic/biosafety") || HasConcept(p, "place/china");
            }));
  EXPECT_FALSE(any_found.empty());

  v1::SearchPassagesRequest all_of = any;
  all_of.set_match(v1::SearchPassagesRequest::ALL);
  const std::vector<v1::Passage> both = SearchAll(all_of);
  EXPECT_EQ(Names(both), expected([](const v1::Passage& p) {
              return HasConcept(p, "topic/biosafety") && HasConcept(p, "place/china");
            }));
  for (const v1::Passage& p : both) EXPECT_FALSE(p.annotations().empty());

  // Descendants: topic/biotechnology stands for tech/crispr, gene editing, ...
  v1::SearchPassagesRequest broad;
  broad.add_concepts("topic/biotechnology");
  broad.set_include_descendants(true);
  const std::set<std::string> with_descendants = Names(SearchAll(broad));
  broad.set_include_descendants(false);
  const std::set<std::string> without = Names(SearchAll(broad));
  EXPECT_TRUE(std::includes(with_descendants.begin(), with_descendants.end(),
                            without.begin(), without.end()));
  EXPECT_GT(with_descendants.size(), without.size());
  for (const std::string& name : expected([](const v1::Passage& p) {
         return HasConcept(p, "topic/gene-editing") || HasConcept(p, "tech/gene-drives");
       })) {
    EXPECT_EQ(with_descendants.count(name), 1u) << name;
  }

  // A category alone; a category with a passage type; document filters.
  v1::SearchPassagesRequest places;
  places.set_category(v1::LOCATION);
  EXPECT_EQ(Names(SearchAll(places)), expected([](const v1::Passage& p) {
              for (const auto& a : p.annotations()) {
                if (a.category() == v1::LOCATION) return true;
              }
              return false;
            }));
  places.set_type(v1::TITLE);
  for (const v1::Passage& p : SearchAll(places)) EXPECT_EQ(p.type(), v1::TITLE);

  v1::SearchPassagesRequest filtered;
  filtered.add_concepts("topic/biosafety");
  filtered.set_include_descendants(true);
  filtered.set_format(v1::PLAIN_ABSTRACT);
  filtered.set_author("zhou");
  const std::vector<v1::Passage> by_author = SearchAll(filtered);
  ASSERT_FALSE(by_author.empty());
  for (const v1::Passage& p : by_author) {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(p.document());
    v1::Document document;
    ASSERT_TRUE(pair_.query().GetDocument(&context, get, &document).ok());
    EXPECT_EQ(document.format(), v1::PLAIN_ABSTRACT);
    EXPECT_EQ(document.authors(0).family(), "ZHOU");
  }
  filtered.set_year_min(2030);
  EXPECT_TRUE(SearchAll(filtered).empty());

  grpc::Status status;
  v1::SearchPassagesRequest unknown;
  unknown.add_concepts("topic/no-such-thing");
  SearchAll(unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("concepts[0]"));
  SearchAll(v1::SearchPassagesRequest(), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TaggingTest, ListTagsCountsWhatIsStored) {
  const std::vector<std::string> documents = IngestFolders({BIOCORPUS_SAMPLES_DIR});
  // Count from the passages and documents themselves.
  std::map<std::string, int64_t> passages, docs;
  const std::map<std::string, v1::Passage> all = AllPassages(documents);
  std::map<std::string, std::set<std::string>> concepts_of_document;
  for (const auto& [name, p] : all) {
    std::set<std::string> once;
    for (const auto& a : p.annotations()) once.insert(a.concept());
    for (const std::string& c : once) {
      ++passages[c];
      concepts_of_document[p.document()].insert(c);
    }
  }
  for (const std::string& name : documents) {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(name);
    v1::Document document;
    ASSERT_TRUE(pair_.query().GetDocument(&context, get, &document).ok());
    for (const v1::DocumentTag& tag : document.tags()) {
      concepts_of_document[name].insert(tag.concept());
    }
  }
  for (const auto& [doc, concepts] : concepts_of_document) {
    for (const std::string& c : concepts) ++docs[c];
  }
  ASSERT_FALSE(passages.empty());

  grpc::ClientContext context;
  v1::ListTagsRequest request;
  v1::ListTagsResponse response;
  ASSERT_TRUE(pair_.query().ListTags(&context, request, &response).ok());
  EXPECT_GE(response.tags_size(), 200);
  EXPECT_FALSE(response.vocabulary_version().empty());
  for (const v1::TagCount& tag : response.tags()) {
    SCOPED_TRACE(tag.concept().id());
    EXPECT_EQ(tag.passage_count(), passages[tag.concept().id()]);
    EXPECT_EQ(tag.document_count(), docs[tag.concept().id()]);
  }

  grpc::ClientContext by_category;
  request.set_category(v1::LEGISLATION);
  request.set_omit_unused(true);
  ASSERT_TRUE(pair_.query().ListTags(&by_category, request, &response).ok());
  ASSERT_GT(response.tags_size(), 0);
  for (const v1::TagCount& tag : response.tags()) {
    EXPECT_EQ(tag.concept().category(), v1::LEGISLATION);
    EXPECT_GT(tag.document_count(), 0);
  }
}

TEST_F(TaggingTest, KeywordsAndSourceTagsBecomeDocumentTags) {
  v1::IngestDocumentResponse ingested;
  ASSERT_TRUE(pair_.Ingest("---\ntitle: Column\nfrom: https://example.org/c\ntags: [ "
                           "\u4e2d\u53c2\u9986 ]\nkeywords: [gene editing, nothing]\n---\n"
                           "<p>Plain words only.</p>\n",
                           &ingested)
                  .ok());
  std::set<std::pair<std::string, int>> tags;
  for (const v1::DocumentTag& tag : ingested.document().tags()) {
    tags.insert({tag.concept(), tag.source()});
  }
  EXPECT_EQ(tags, (std::set<std::pair<std::string, int>>{
                      {"topic/china-reference-column", v1::DocumentTag::SOURCE_TAG},
                      {"topic/gene-editing", v1::DocumentTag::KEYWORD}}));
  EXPECT_FALSE(ingested.document().vocabulary_version().empty());
}

TEST_F(TaggingTest, PageTokensStayValidWhileDocumentsArrive) {
  auto record = [](int n) {
    return "TITLE=Biosafety note " + std::to_string(n) + " DOI=10.5555/page." +
           std::to_string(n) + " ABSTRACT=Biosafety in China, part " + std::to_string(n) + ".";
  };
  std::set<std::string> before;
  v1::IngestDocumentResponse last;
  for (int n = 0; n < 30; ++n) {
    ASSERT_TRUE(pair_.Ingest(record(n), &last).ok());
    before.insert(last.document().name());
  }
  // The query service holds every one of them once it holds the last write.
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(last.document().name());
    get.set_commit_token(last.commit_token());
    v1::Document d;
    return pair_.query().GetDocument(&context, get, &d).ok();
  }));
  // Page through while another thread ingests 30 more documents.
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    for (int n = 100; n < 130; ++n) {
      v1::IngestDocumentResponse response;
      if (!pair_.Ingest(record(n), &response).ok()) failed = true;
    }
  });
  v1::SearchPassagesRequest request;
  request.add_concepts("topic/biosafety");
  request.set_page_size(4);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 1000; ++pages) {
    grpc::ClientContext context;
    v1::SearchPassagesResponse response;
    ASSERT_TRUE(pair_.query().SearchPassages(&context, request, &response).ok());
    for (const v1::Passage& p : response.passages()) seen.push_back(p.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  writer.join();
  EXPECT_FALSE(failed);
  // Each passage at most once, in (document, ordinal) order; every document
  // stored before the paging began was reached.
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(),
                             [](const std::string& a, const std::string& b) {
                               const auto key = [](const std::string& n) {
                                 const size_t p = n.rfind('/');
                                 return std::make_pair(n.substr(0, p), std::stoi(n.substr(p + 1)));
                               };
                               return key(a) < key(b);
                             }));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  std::set<std::string> documents_seen;
  for (const std::string& name : seen) documents_seen.insert(name.substr(0, name.find("/passages")));
  for (const std::string& name : before) EXPECT_EQ(documents_seen.count(name), 1u) << name;
}

std::pair<int64_t, int64_t> Counts(int64_t passages, int64_t documents) {
  return {passages, documents};
}

TEST(RetaggingTest, ANewVocabularyVersionRetagsStoredDocumentsAndCounts) {
  ServicePair pair;
  auto write = [&](const std::string& file, const std::string& yaml) {
    std::ofstream(pair.temp_dir() + "/" + file) << yaml;
    return "--vocabulary=" + pair.temp_dir() + "/" + file;
  };
  const std::string v1_flag = write("v1.yaml", R"(version: "v1"
concepts:
  - {id: topic/containment, label: Containment, category: TOPIC, en: [containment]}
  - {id: topic/retired, label: Retired, category: TOPIC, en: [laboratory]}
)");
  const std::string v2_flag = write("v2.yaml", R"(version: "v2"
concepts:
  - {id: topic/containment, label: Containment, category: TOPIC, en: [containment]}
  - {id: topic/audits, label: Audits, category: TOPIC, en: [audit]}
)");
  pair.set_ingest_args({v1_flag});
  ASSERT_TRUE(pair.Start()) << pair.error();
  std::vector<std::string> names;
  for (int n = 0; n < 5; ++n) {
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair.Ingest("TITLE=Containment audit " + std::to_string(n) +
                                " DOI=10.5555/retag." + std::to_string(n) +
                                " ABSTRACT=A laboratory audit of containment.",
                            &response)
                    .ok());
    names.push_back(response.document().name());
  }
  auto counts = [&](const std::string& version) {
    std::map<std::string, std::pair<int64_t, int64_t>> out;
    const bool ok = Eventually([&] {
      grpc::ClientContext context;
      v1::ListTagsResponse response;
      if (!pair.query().ListTags(&context, v1::ListTagsRequest(), &response).ok() ||
          response.vocabulary_version() != version) {
        return false;
      }
      out.clear();
      for (const auto& t : response.tags()) {
        out[t.concept().id()] = {t.passage_count(), t.document_count()};
      }
      return true;
    });
    EXPECT_TRUE(ok) << "vocabulary " << version << " never served";
    return out;
  };
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(names.back());
    v1::Document document;
    return pair.query().GetDocument(&context, get, &document).ok();
  }));
  auto c1 = counts("v1");
  EXPECT_EQ(c1["topic/containment"], Counts(10, 5));
  EXPECT_EQ(c1["topic/retired"], Counts(5, 5));

  // Restart with v2: the stored documents are re-tagged in the background.
  ASSERT_TRUE(pair.RestartIngest({v2_flag})) << pair.error();
  std::map<std::string, std::pair<int64_t, int64_t>> c2;
  EXPECT_TRUE(Eventually([&] {
    c2 = counts("v2");
    return c2["topic/audits"].second == 5;
  }));
  EXPECT_EQ(c2["topic/audits"], Counts(10, 5));
  EXPECT_EQ(c2["topic/containment"], Counts(10, 5));
  EXPECT_EQ(c2.count("topic/retired"), 0u);  // No longer in the vocabulary.
  for (const std::string& name : names) {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(name);
    v1::Document document;
    ASSERT_TRUE(pair.query().GetDocument(&context, get, &document).ok());
    EXPECT_EQ(document.vocabulary_version(), "v2");
  }
  // The admin RPC: nothing left to do, unless forced.
  grpc::ClientContext context;
  v1::RetagDocumentsRequest request;
  v1::RetagDocumentsResponse response;
  ASSERT_TRUE(pair.ingest().RetagDocuments(&context, request, &response).ok());
  EXPECT_EQ(response.documents_retagged(), 0);
  EXPECT_EQ(response.documents_examined(), 5);
  grpc::ClientContext forced;
  request.set_force(true);
  ASSERT_TRUE(pair.ingest().RetagDocuments(&forced, request, &response).ok());
  EXPECT_EQ(response.documents_retagged(), 5);
  EXPECT_EQ(counts("v2")["topic/audits"], Counts(10, 5));
}

}  // namespace
}  // namespace biocorpus::testing
