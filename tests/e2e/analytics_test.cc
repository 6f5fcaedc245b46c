// End to end: CountConcepts, CooccurringConcepts, SignificantConcepts and
// ExportDocuments over the real servers, each answer checked against counts
// this test makes itself from the passages ListPassages returns.
//
// Long (one corpus over the real servers, many cases): the corpus is
// ingested once per test.

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

using ::testing::HasSubstr;

// Phrases the vocabulary knows, in the two languages of the corpus.
const std::vector<std::string>& EnglishPhrases() {
  static const auto* const kPhrases = new std::vector<std::string>{
      "biosafety", "gene drive", "CRISPR", "the World Health Organization", "Ebola",
      "gain-of-function research", "the Biological Weapons Convention", "Kenya",
      "synthetic biology", "anthrax", "the United States", "dual-use research"};
  return *kPhrases;
}
const std::vector<std::string>& ChinesePhrases() {
  static const auto* const kPhrases = new std::vector<std::string>{
      "生物安全", "世界卫生组织", "埃博拉", "基因编辑", "合成生物学", "中国", "炭疽"};
  return *kPhrases;
}

// A mirrored article of the test's corpus: its year, language, source tags
// and paragraphs follow from `i` (and `variant`, for an update).
std::string Article(int i, int variant = 0) {
  const bool chinese = i % 3 == 0;
  const std::vector<std::string>& phrases = chinese ? ChinesePhrases() : EnglishPhrases();
  std::string text = absl::StrCat("---\ntitle: Corpus article ", i, "\ndate: ", 2019 + i % 5,
                                  "-0", 1 + i % 9, "-1", i % 10, "\nfrom: https://analytics.example.org/",
                                  i, "\nlang: ", chinese ? "zh" : "en", "\ntags: [ ",
                                  i % 2 ? "policy" : "news", i % 4 == 0 ? ", outbreaks" : "",
                                  " ]\n---\n\n");
  const int paragraphs = 2 + i % 3;
  for (int p = 0; p < paragraphs; ++p) {
    const std::string& a = phrases[(i + p + variant) % phrases.size()];
    const std::string& b = phrases[(i * 7 + p * 3 + variant) % phrases.size()];
    if (chinese) {
      absl::StrAppend(&text, "报告讨论了", a, "与", b, "的关系。\n\n");
    } else {
      absl::StrAppend(&text, "The report discusses ", a, " together with ", b, ".\n\n");
    }
  }
  return text;
}

struct StoredDocument {
  v1::Document document;
  std::vector<v1::Passage> passages;
};

std::set<std::string> PassageConcepts(const v1::Passage& p) {
  std::set<std::string> out;
  for (const v1::Annotation& a : p.annotations()) out.insert(a.concept());
  return out;
}

std::set<std::string> DocumentConcepts(const StoredDocument& d) {
  std::set<std::string> out;
  for (const v1::DocumentTag& t : d.document.tags()) out.insert(t.concept());
  for (const v1::Passage& p : d.passages) {
    for (const std::string& c : PassageConcepts(p)) out.insert(c);
  }
  return out;
}

struct Counts {
  int64_t passages = 0;
  int64_t documents = 0;
  bool operator==(const Counts& o) const {
    return passages == o.passages && documents == o.documents;
  }
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "{" << c.passages << " passages, " << c.documents << " documents}";
}

std::map<std::string, Counts> GroupsOf(const v1::CountConceptsResponse& response) {
  std::map<std::string, Counts> out;
  for (const v1::ConceptGroupCount& g : response.groups()) {
    out[g.key()] = Counts{g.passage_count(), g.document_count()};
  }
  return out;
}

class AnalyticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pair_.Start()) << pair_.error();
    for (const std::string& file : FilesUnder(BIOCORPUS_SAMPLES_DIR)) Ingest(ReadFile(file), file);
    for (int i = 0; i < kArticles; ++i) Ingest(Article(i), absl::StrCat("article-", i));
  }

  void Ingest(const std::string& content, const std::string& uri) {
    v1::IngestDocumentResponse response;
    const grpc::Status status = pair_.Ingest(content, &response, uri);
    ASSERT_TRUE(status.ok()) << uri << ": " << status.error_message();
    token_ = response.commit_token();
  }

  // Every stored document with its passages, read through the query
  // service once it has the last write.
  std::vector<StoredDocument> ReadCorpus() {
    std::vector<StoredDocument> corpus;
    v1::ListDocumentsRequest request;
    request.set_page_size(100);
    request.set_commit_token(token_);
    while (true) {
      grpc::ClientContext context;
      v1::ListDocumentsResponse response;
      const grpc::Status status = pair_.query().ListDocuments(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return corpus;
      for (const v1::Document& d : response.documents()) {
        StoredDocument& stored = corpus.emplace_back();
        stored.document = d;
        grpc::ClientContext passages_context;
        v1::ListPassagesRequest passages_request;
        passages_request.set_parent(d.name());
        passages_request.set_page_size(1000);
        v1::ListPassagesResponse passages;
        EXPECT_TRUE(
            pair_.query().ListPassages(&passages_context, passages_request, &passages).ok());
        stored.passages.assign(passages.passages().begin(), passages.passages().end());
      }
      if (response.next_page_token().empty()) return corpus;
      request.set_page_token(response.next_page_token());
    }
  }

  v1::CountConceptsResponse Count(v1::CountConceptsRequest request,
                                  grpc::Status* status = nullptr) {
    request.set_commit_token(token_);
    grpc::ClientContext context;
    v1::CountConceptsResponse response;
    const grpc::Status s = pair_.query().CountConcepts(&context, request, &response);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return response;
  }

  v1::CooccurringConceptsResponse Cooccur(v1::CooccurringConceptsRequest request,
                                          grpc::Status* status = nullptr) {
    request.set_commit_token(token_);
    grpc::ClientContext context;
    v1::CooccurringConceptsResponse response;
    const grpc::Status s = pair_.query().CooccurringConcepts(&context, request, &response);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return response;
  }

  // Every passage a search returns, following page tokens.
  std::vector<v1::Passage> SearchAll(v1::SearchPassagesRequest request) {
    std::vector<v1::Passage> out;
    request.set_page_size(1000);
    while (true) {
      grpc::ClientContext context;
      v1::SearchPassagesResponse response;
      const grpc::Status s = pair_.query().SearchPassages(&context, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) return out;
      out.insert(out.end(), response.passages().begin(), response.passages().end());
      for (const v1::SearchResult& r : response.results()) out.push_back(r.passage());
      if (response.next_page_token().empty()) return out;
      request.set_page_token(response.next_page_token());
    }
  }

  // What CountConcepts grouped by concept should say with no filter, counted
  // here: passages carrying each concept, and documents carrying it anywhere.
  static std::map<std::string, Counts> ExpectedConcepts(const std::vector<StoredDocument>& corpus) {
    std::map<std::string, Counts> out;
    for (const StoredDocument& d : corpus) {
      for (const v1::Passage& p : d.passages) {
        for (const std::string& c : PassageConcepts(p)) ++out[c].passages;
      }
      for (const std::string& c : DocumentConcepts(d)) ++out[c].documents;
    }
    return out;
  }

  // The pair counts CooccurringConcepts should give for concepts of `rows`
  // and `columns` categories, per passage or per document.
  static std::map<std::pair<std::string, std::string>, int64_t> ExpectedPairs(
      const std::vector<StoredDocument>& corpus, v1::ConceptCategory rows,
      v1::ConceptCategory columns, bool by_document, std::map<std::string, int64_t>* marginals,
      int64_t* total) {
    std::map<std::string, v1::ConceptCategory> category;
    for (const StoredDocument& d : corpus) {
      for (const v1::DocumentTag& t : d.document.tags()) category[t.concept()] = t.category();
      for (const v1::Passage& p : d.passages) {
        for (const v1::Annotation& a : p.annotations()) category[a.concept()] = a.category();
      }
    }
    std::map<std::pair<std::string, std::string>, int64_t> out;
    *total = 0;
    auto unit = [&](const std::set<std::string>& concepts) {
      ++*total;
      for (const std::string& c : concepts) {
        if (category[c] == rows || category[c] == columns) ++(*marginals)[c];
      }
      for (const std::string& a : concepts) {
        for (const std::string& b : concepts) {
          if (a == b || category[a] != rows || category[b] != columns) continue;
          // Each unordered pair once, with the smaller id first when both
          // orders are rows × columns.
          if (rows == columns && a > b) continue;
          ++out[{a, b}];
        }
      }
    };
    for (const StoredDocument& d : corpus) {
      if (by_document) {
        unit(DocumentConcepts(d));
      } else {
        for (const v1::Passage& p : d.passages) unit(PassageConcepts(p));
      }
    }
    return out;
  }

  static constexpr int kArticles = 36;
  ServicePair pair_;
  std::string token_;
};

TEST_F(AnalyticsTest, CountsByConceptCategoryYearFormatLanguageAndSourceTagAreExact) {
  const std::vector<StoredDocument> corpus = ReadCorpus();
  ASSERT_EQ(corpus.size(), static_cast<size_t>(kArticles + 9));

  v1::CountConceptsRequest request;
  request.set_group_by(v1::CountConceptsRequest::CONCEPT);
  request.set_top_n(1000);
  v1::CountConceptsResponse by_concept = Count(request);
  EXPECT_FALSE(by_concept.scanned());
  EXPECT_TRUE(by_concept.complete());
  const std::map<std::string, Counts> expected = ExpectedConcepts(corpus);
  EXPECT_EQ(GroupsOf(by_concept), expected);
  ASSERT_GT(expected.size(), 10u);
  int64_t passages = 0;
  for (const StoredDocument& d : corpus) passages += static_cast<int64_t>(d.passages.size());
  EXPECT_EQ(by_concept.total_passages(), passages);
  EXPECT_EQ(by_concept.total_documents(), static_cast<int64_t>(corpus.size()));
  // Most passages first, each group with its concept.
  for (int i = 1; i < by_concept.groups_size(); ++i) {
    EXPECT_GE(by_concept.groups(i - 1).passage_count(), by_concept.groups(i).passage_count());
  }
  EXPECT_EQ(by_concept.groups(0).concept().id(), by_concept.groups(0).key());

  // The top three, and the rest summed.
  request.set_top_n(3);
  v1::CountConceptsResponse top = Count(request);
  ASSERT_EQ(top.groups_size(), 3);
  EXPECT_EQ(top.group_count(), static_cast<int>(expected.size()));
  int64_t rest = 0;
  for (int i = 3; i < by_concept.groups_size(); ++i) rest += by_concept.groups(i).passage_count();
  EXPECT_EQ(top.other_passage_count(), rest);

  // Within a category.
  request.set_top_n(1000);
  request.mutable_group_concepts()->set_category(v1::LOCATION);
  std::map<std::string, Counts> places;
  for (const auto& [c, counts] : expected) {
    if (c.rfind("place/", 0) == 0) places[c] = counts;
  }
  ASSERT_FALSE(places.empty());
  EXPECT_EQ(GroupsOf(Count(request)), places);

  // By category, year, format, language and source tag.
  std::map<std::string, Counts> categories, years, formats, languages, tags;
  for (const StoredDocument& d : corpus) {
    const Counts whole{static_cast<int64_t>(d.passages.size()), 1};
    auto add = [&](std::map<std::string, Counts>& m, const std::string& key) {
      m[key].passages += whole.passages;
      m[key].documents += 1;
    };
    add(years, absl::StrCat(d.document.year()));
    add(formats, v1::DocumentFormat_Name(d.document.format()));
    add(languages, d.document.language());
    for (const std::string& t : std::set<std::string>(d.document.source_tags().begin(),
                                                      d.document.source_tags().end())) {
      add(tags, t);
    }
    std::set<v1::ConceptCategory> in_document;
    for (const v1::DocumentTag& t : d.document.tags()) in_document.insert(t.category());
    for (const v1::Passage& p : d.passages) {
      std::set<v1::ConceptCategory> in_passage;
      for (const v1::Annotation& a : p.annotations()) in_passage.insert(a.category());
      for (v1::ConceptCategory c : in_passage) {
        ++categories[v1::ConceptCategory_Name(c)].passages;
        in_document.insert(c);
      }
    }
    for (v1::ConceptCategory c : in_document) ++categories[v1::ConceptCategory_Name(c)].documents;
  }
  v1::CountConceptsRequest grouped;
  grouped.set_top_n(1000);
  for (const auto& [by, want] :
       std::vector<std::pair<v1::CountConceptsRequest::GroupBy, std::map<std::string, Counts>>>{
           {v1::CountConceptsRequest::CATEGORY, categories},
           {v1::CountConceptsRequest::YEAR, years},
           {v1::CountConceptsRequest::FORMAT, formats},
           {v1::CountConceptsRequest::LANGUAGE, languages},
           {v1::CountConceptsRequest::SOURCE_TAG, tags}}) {
    grouped.set_group_by(by);
    const v1::CountConceptsResponse response = Count(grouped);
    EXPECT_EQ(GroupsOf(response), want) << v1::CountConceptsRequest::GroupBy_Name(by);
    EXPECT_FALSE(response.scanned());
  }
  // Years come in order.
  grouped.set_group_by(v1::CountConceptsRequest::YEAR);
  const v1::CountConceptsResponse by_year = Count(grouped);
  for (int i = 1; i < by_year.groups_size(); ++i) {
    EXPECT_LT(std::stoi(by_year.groups(i - 1).key()), std::stoi(by_year.groups(i).key()));
  }
}

TEST_F(AnalyticsTest, FilteredCountsMatchTheFilteredPassages) {
  const std::vector<StoredDocument> corpus = ReadCorpus();
  // A trend: one concept by year, from the counters; documents carrying it
  // anywhere.
  v1::CountConceptsRequest trend;
  trend.set_group_by(v1::CountConceptsRequest::YEAR);
  trend.add_concepts("topic/biosafety");
  trend.set_year_min(2020);
  trend.set_year_max(2022);
  std::map<std::string, Counts> want;
  for (const StoredDocument& d : corpus) {
    if (d.document.year() < 2020 || d.document.year() > 2022) continue;
    Counts& c = want[absl::StrCat(d.document.year())];
    for (const v1::Passage& p : d.passages) c.passages += PassageConcepts(p).count("topic/biosafety");
    c.documents += DocumentConcepts(d).count("topic/biosafety");
  }
  for (auto it = want.begin(); it != want.end();) {
    it = it->second == Counts() ? want.erase(it) : std::next(it);
  }
  ASSERT_FALSE(want.empty());
  const v1::CountConceptsResponse trend_response = Count(trend);
  EXPECT_FALSE(trend_response.scanned());
  EXPECT_EQ(GroupsOf(trend_response), want);

  // Concepts among the passages carrying another (read from the passages):
  // documents through their matching passages.
  auto scanned = [&](const std::function<bool(const StoredDocument&, const v1::Passage&)>& keep) {
    std::map<std::string, Counts> out;
    for (const StoredDocument& d : corpus) {
      std::set<std::string> in_document;
      for (const v1::Passage& p : d.passages) {
        if (!keep(d, p)) continue;
        for (const std::string& c : PassageConcepts(p)) {
          ++out[c].passages;
          in_document.insert(c);
        }
      }
      for (const std::string& c : in_document) ++out[c].documents;
    }
    return out;
  };
  v1::CountConceptsRequest among;
  among.set_group_by(v1::CountConceptsRequest::CONCEPT);
  among.set_top_n(1000);
  among.add_concepts("place/kenya");
  const v1::CountConceptsResponse among_response = Count(among);
  EXPECT_TRUE(among_response.scanned());
  EXPECT_TRUE(among_response.complete());
  const std::map<std::string, Counts> with_kenya =
      scanned([](const StoredDocument&, const v1::Passage& p) {
        return PassageConcepts(p).count("place/kenya") != 0;
      });
  ASSERT_GT(with_kenya.size(), 1u);
  EXPECT_EQ(GroupsOf(among_response), with_kenya);

  // A language and a source tag together.
  v1::CountConceptsRequest chinese;
  chinese.set_group_by(v1::CountConceptsRequest::CONCEPT);
  chinese.set_top_n(1000);
  chinese.set_language("zh");
  chinese.set_source_tag("news");
  const std::map<std::string, Counts> chinese_news =
      scanned([](const StoredDocument& d, const v1::Passage&) {
        return d.document.language() == "zh" &&
               std::count(d.document.source_tags().begin(), d.document.source_tags().end(),
                          "news") != 0;
      });
  ASSERT_FALSE(chinese_news.empty());
  EXPECT_EQ(GroupsOf(Count(chinese)), chinese_news);

  // A full-text query: the passages SearchPassages finds for it.
  v1::CountConceptsRequest text;
  text.set_group_by(v1::CountConceptsRequest::CONCEPT);
  text.set_top_n(1000);
  text.set_query("report discusses");
  v1::SearchPassagesRequest search;
  search.set_query("report discusses");
  std::set<std::string> found;
  for (const v1::Passage& p : SearchAll(search)) found.insert(p.name());
  ASSERT_GT(found.size(), 10u);
  EXPECT_EQ(GroupsOf(Count(text)), scanned([&](const StoredDocument&, const v1::Passage& p) {
              return found.count(p.name()) != 0;
            }));
  EXPECT_EQ(Count(text).total_passages(), static_cast<int64_t>(found.size()));
}

TEST_F(AnalyticsTest, CooccurrenceCountsExpectationsAndTheirPassagesAreExact) {
  const std::vector<StoredDocument> corpus = ReadCorpus();
  for (const bool by_document : {false, true}) {
    SCOPED_TRACE(by_document ? "documents" : "passages");
    std::map<std::string, int64_t> marginals;
    int64_t total = 0;
    const auto want =
        ExpectedPairs(corpus, v1::TOPIC, v1::LOCATION, by_document, &marginals, &total);
    ASSERT_FALSE(want.empty());
    v1::CooccurringConceptsRequest request;
    request.mutable_rows()->set_category(v1::TOPIC);
    request.mutable_columns()->set_category(v1::LOCATION);
    request.set_unit(by_document ? v1::CooccurringConceptsRequest::DOCUMENT
                                 : v1::CooccurringConceptsRequest::PASSAGE);
    request.set_page_size(1000);
    request.set_by_year(true);
    // From the counters (the whole corpus, and the mirrored articles alone),
    // and read from the passages (English news, a source tag forcing it).
    for (const int variant : {0, 1, 2}) {
      SCOPED_TRACE(variant);
      request.clear_format();
      request.clear_language();
      request.clear_source_tag();
      std::function<bool(const StoredDocument&)> keep = [](const StoredDocument&) { return true; };
      if (variant == 1) {
        request.set_format(v1::MIRRORED_ARTICLE);
        keep = [](const StoredDocument& d) { return d.document.format() == v1::MIRRORED_ARTICLE; };
      } else if (variant == 2) {
        request.set_language("en");
        request.set_source_tag("news");
        keep = [](const StoredDocument& d) {
          return d.document.language() == "en" &&
                 std::count(d.document.source_tags().begin(), d.document.source_tags().end(),
                            "news") != 0;
        };
      }
      std::vector<StoredDocument> kept;
      for (const StoredDocument& d : corpus) {
        if (keep(d)) kept.push_back(d);
      }
      std::map<std::string, int64_t> kept_marginals;
      int64_t kept_total = 0;
      const auto kept_pairs =
          ExpectedPairs(kept, v1::TOPIC, v1::LOCATION, by_document, &kept_marginals, &kept_total);
      const v1::CooccurringConceptsResponse response = Cooccur(request);
      EXPECT_EQ(response.scanned(), variant == 2);
      std::map<std::pair<std::string, std::string>, int64_t> got;
      for (const v1::ConceptPair& pair : response.pairs()) {
        got[{pair.row(), pair.column()}] = pair.count();
      }
      EXPECT_EQ(got, kept_pairs);
      EXPECT_EQ(response.total(), kept_total);
      EXPECT_EQ(response.pair_count(), static_cast<int>(kept_pairs.size()));
      ASSERT_GT(response.pairs_size(), 0);
      for (const v1::ConceptPair& pair : response.pairs()) {
        EXPECT_EQ(pair.row_count(), kept_marginals[pair.row()]);
        EXPECT_EQ(pair.column_count(), kept_marginals[pair.column()]);
        EXPECT_DOUBLE_EQ(pair.expected(), static_cast<double>(pair.row_count()) *
                                              pair.column_count() / kept_total);
        EXPECT_GE(pair.npmi(), -1.0);
        EXPECT_LE(pair.npmi(), 1.0);
        int64_t by_years = 0;
        for (const v1::YearCooccurrence& y : pair.years()) by_years += y.count();
        EXPECT_EQ(by_years, pair.count());
      }
      if (variant == 0) {
        EXPECT_EQ(kept_pairs, want);
        EXPECT_EQ(kept_total, total);
      }
      // Each pair leads to its passages.
      const v1::ConceptPair& first = response.pairs(0);
      std::set<std::string> documents;
      const std::vector<v1::Passage> passages = SearchAll(first.passages());
      for (const v1::Passage& p : passages) {
        documents.insert(p.document());
        const std::set<std::string> concepts = PassageConcepts(p);
        if (!by_document) {
          EXPECT_TRUE(concepts.count(first.row()) != 0 && concepts.count(first.column()) != 0);
        } else {
          EXPECT_TRUE(concepts.count(first.row()) != 0 || concepts.count(first.column()) != 0);
        }
      }
      EXPECT_EQ(by_document ? static_cast<int64_t>(documents.size())
                            : static_cast<int64_t>(passages.size()),
                first.count());
    }
  }

  // Ordered by strength.
  v1::CooccurringConceptsRequest strongest;
  strongest.mutable_rows()->set_category(v1::TOPIC);
  strongest.mutable_columns()->set_category(v1::TOPIC);
  strongest.set_order_by(v1::CooccurringConceptsRequest::NPMI);
  const v1::CooccurringConceptsResponse ordered = Cooccur(strongest);
  ASSERT_GT(ordered.pairs_size(), 1);
  for (int i = 1; i < ordered.pairs_size(); ++i) {
    EXPECT_GE(ordered.pairs(i - 1).npmi(), ordered.pairs(i).npmi());
    EXPECT_NE(ordered.pairs(i).row(), ordered.pairs(i).column());
  }
}

TEST_F(AnalyticsTest, SignificantConceptsAreOverRepresentedInTheForeground) {
  const std::vector<StoredDocument> corpus = ReadCorpus();
  v1::SignificantConceptsRequest request;
  request.set_language("zh");
  request.set_commit_token(token_);
  request.set_min_count(1);
  grpc::ClientContext context;
  v1::SignificantConceptsResponse response;
  ASSERT_TRUE(pair_.query().SignificantConcepts(&context, request, &response).ok());
  std::map<std::string, int64_t> foreground, background;
  int64_t foreground_total = 0, background_total = 0;
  for (const StoredDocument& d : corpus) {
    for (const v1::Passage& p : d.passages) {
      ++background_total;
      for (const std::string& c : PassageConcepts(p)) ++background[c];
      if (d.document.language() != "zh") continue;
      ++foreground_total;
      for (const std::string& c : PassageConcepts(p)) ++foreground[c];
    }
  }
  EXPECT_EQ(response.foreground_total(), foreground_total);
  EXPECT_EQ(response.background_total(), background_total);
  ASSERT_GT(response.concepts_size(), 0);
  std::set<std::string> reported;
  for (const v1::SignificantConcept& c : response.concepts()) {
    reported.insert(c.concept().id());
    EXPECT_EQ(c.foreground_count(), foreground[c.concept().id()]) << c.concept().id();
    EXPECT_EQ(c.background_count(), background[c.concept().id()]) << c.concept().id();
    EXPECT_GT(c.lift(), 1.0);
    EXPECT_GT(c.score(), 0.0);
  }
  // Chinese concepts are over-represented in Chinese passages; English
  // ones are not reported.
  EXPECT_TRUE(reported.count("topic/biosafety") != 0 || reported.count("place/china") != 0);
  EXPECT_EQ(reported.count("place/kenya"), 0u);
  for (int i = 1; i < response.concepts_size(); ++i) {
    EXPECT_GE(response.concepts(i - 1).score(), response.concepts(i).score());
  }
}

TEST_F(AnalyticsTest, CountersStayExactThroughUpdatesAndDeletes) {
  // Change some articles, delete others.
  for (int i = 0; i < kArticles; i += 4) Ingest(Article(i, 1), absl::StrCat("article-", i));
  std::vector<StoredDocument> before = ReadCorpus();
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    v1::DeleteDocumentRequest request;
    request.set_name(before[static_cast<size_t>(i) * 5].document.name());
    v1::DeleteDocumentResponse response;
    ASSERT_TRUE(pair_.ingest().DeleteDocument(&context, request, &response).ok());
    token_ = response.commit_token();
  }
  const std::vector<StoredDocument> corpus = ReadCorpus();
  ASSERT_EQ(corpus.size(), before.size() - 3);
  v1::CountConceptsRequest request;
  request.set_group_by(v1::CountConceptsRequest::CONCEPT);
  request.set_top_n(1000);
  EXPECT_EQ(GroupsOf(Count(request)), ExpectedConcepts(corpus));
  std::map<std::string, int64_t> marginals;
  int64_t total = 0;
  const auto want = ExpectedPairs(corpus, v1::TOPIC, v1::TOPIC, false, &marginals, &total);
  v1::CooccurringConceptsRequest pairs;
  pairs.mutable_rows()->set_category(v1::TOPIC);
  pairs.mutable_columns()->set_category(v1::TOPIC);
  pairs.set_page_size(1000);
  std::map<std::pair<std::string, std::string>, int64_t> got;
  const v1::CooccurringConceptsResponse response = Cooccur(pairs);
  for (const v1::ConceptPair& pair : response.pairs()) got[{pair.row(), pair.column()}] = pair.count();
  EXPECT_EQ(got, want);
}

TEST_F(AnalyticsTest, BadRequestsNameTheField) {
  struct Case {
    std::function<grpc::Status()> call;
    std::string field;
  };
  auto count = [&](const std::function<void(v1::CountConceptsRequest*)>& edit) {
    return [this, edit] {
      v1::CountConceptsRequest request;
      request.set_group_by(v1::CountConceptsRequest::CONCEPT);
      edit(&request);
      grpc::Status status;
      Count(request, &status);
      return status;
    };
  };
  auto cooccur = [&](const std::function<void(v1::CooccurringConceptsRequest*)>& edit) {
    return [this, edit] {
      v1::CooccurringConceptsRequest request;
      request.mutable_rows()->set_category(v1::TOPIC);
      request.mutable_columns()->set_category(v1::LOCATION);
      edit(&request);
      grpc::Status status;
      Cooccur(request, &status);
      return status;
    };
  };
  const std::vector<Case> cases = {
      {count([](auto* r) { r->clear_group_by(); }), "group_by"},
      {count([](auto* r) { r->set_top_n(1001); }), "top_n"},
      {count([](auto* r) { r->set_top_n(-1); }), "top_n"},
      {count([](auto* r) { r->mutable_group_concepts()->add_concepts("topic/no-such"); }),
       "group_concepts.concepts[0]"},
      {count([](auto* r) { r->mutable_group_concepts(); }), "group_concepts"},
      {count([](auto* r) { r->add_concepts("topic/no-such"); }), "concepts[0]"},
      {count([](auto* r) {
         r->set_year_min(2024);
         r->set_year_max(2020);
       }),
       "year_min"},
      {count([](auto* r) { r->set_query("\"unclosed"); }), "query"},
      {count([](auto* r) {
         r->mutable_group_concepts()->set_category(static_cast<v1::ConceptCategory>(99));
       }),
       "group_concepts.category"},
      {count([](auto* r) { r->set_category(static_cast<v1::ConceptCategory>(42)); }), "category"},
      {cooccur([](auto* r) { r->clear_rows(); }), "rows"},
      {cooccur([](auto* r) { r->mutable_columns()->add_concepts("place/atlantis"); }),
       "columns.concepts[0]"},
      {cooccur([](auto* r) { r->set_page_size(5000); }), "page_size"},
      {cooccur([](auto* r) { r->set_min_count(-2); }), "min_count"},
      {[this] {
         v1::SignificantConceptsRequest request;
         grpc::ClientContext context;
         v1::SignificantConceptsResponse response;
         return pair_.query().SignificantConcepts(&context, request, &response);
       },
       "query"},
      {[this] {
         v1::ExportDocumentsRequest request;
         request.add_names("documents/nope");
         grpc::ClientContext context;
         auto reader = pair_.query().ExportDocuments(&context, request);
         v1::ExportDocumentsResponse response;
         while (reader->Read(&response)) {
         }
         return reader->Finish();
       },
       "names[0]"},
  };
  for (const Case& c : cases) {
    const grpc::Status status = c.call();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.field << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
}

TEST_F(AnalyticsTest, ExportedBiocReadsBackWithEveryPassageAndAnnotation) {
  const std::vector<StoredDocument> corpus = ReadCorpus();
  v1::ExportDocumentsRequest request;
  request.set_commit_token(token_);
  grpc::ClientContext context;
  auto reader = pair_.query().ExportDocuments(&context, request);
  v1::ExportDocumentsResponse message;
  std::string collection;
  std::vector<std::string> documents;
  while (reader->Read(&message)) {
    if (!message.collection().empty()) collection = message.collection();
    if (!message.document().empty()) documents.push_back(message.document());
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_FALSE(collection.empty());
  ASSERT_EQ(documents.size(), corpus.size());
  EXPECT_THAT(collection, HasSubstr("code points"));
  // The file a reader gets: the collection with the documents in it.
  const std::string empty_list = "\"documents\":[]";
  const size_t at = collection.find(empty_list);
  ASSERT_NE(at, std::string::npos) << collection;
  std::string file = collection.substr(0, at) + "\"documents\":[";
  for (size_t i = 0; i < documents.size(); ++i) file += (i == 0 ? "" : ",") + documents[i];
  file += "]" + collection.substr(at + empty_list.size());
  const std::string path = pair_.temp_dir() + "/export.json";
  std::ofstream(path) << file;

  // Read by a reader that is not the exporter's code.
  const std::string command =
      absl::StrCat("python3 ", BIOCORPUS_TESTS_DIR, "/support/bioc_reader.py ", path, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0) << output;

  // Every passage and annotation, with offsets in code points.
  std::vector<std::string> want;
  auto code_points = [](const std::string& s) {
    int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const StoredDocument& d : corpus) {
    const std::string id = d.document.name().substr(std::string("documents/").size());
    int64_t offset = 0;
    for (const v1::Passage& p : d.passages) {
      std::string type = v1::PassageType_Name(p.type());
      for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      want.push_back(absl::StrCat("P\t", id, "\t", offset, "\t", type, "\t", p.text()));
      for (const v1::Annotation& a : p.annotations()) {
        want.push_back(absl::StrCat("A\t", id, "\t", offset, "\t", offset + a.span().start_char(),
                                    "\t", a.span().end_char() - a.span().start_char(), "\t",
                                    v1::ConceptCategory_Name(a.category()), "\t", a.concept(),
                                    "\t", a.text()));
      }
      offset += code_points(p.text()) + 1;
    }
  }
  std::vector<std::string> got = absl::StrSplit(output, '\n', absl::SkipEmpty());
  EXPECT_EQ(got, want);
  ASSERT_GT(want.size(), 100u);

  // Named documents, in the order named.
  v1::ExportDocumentsRequest named;
  named.add_names(corpus[2].document.name());
  named.add_names(corpus[0].document.name());
  grpc::ClientContext named_context;
  auto named_reader = pair_.query().ExportDocuments(&named_context, named);
  std::vector<std::string> exported;
  while (named_reader->Read(&message)) {
    if (!message.document().empty()) exported.push_back(message.document());
  }
  ASSERT_TRUE(named_reader->Finish().ok());
  ASSERT_EQ(exported.size(), 2u);
  EXPECT_THAT(exported[0], HasSubstr("\"name\":\"" + corpus[2].document.name() + "\""));
  EXPECT_THAT(exported[1], HasSubstr("\"name\":\"" + corpus[0].document.name() + "\""));
}

// Runs a shell command; its standard output and exit status.
std::pair<std::string, int> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  if (pipe == nullptr) return {output, -1};
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  return {output, pclose(pipe)};
}

TEST_F(AnalyticsTest, TheCommandLinePrintsCsvDrawsPicturesAndExports) {
  const std::string cli =
      absl::StrCat(BIOCORPUS_CLI_BINARY, " --target=", pair_.query_process().address());
  // CSV of the counts, as CountConcepts gives them.
  v1::CountConceptsRequest request;
  request.set_group_by(v1::CountConceptsRequest::YEAR);
  request.add_concepts("topic/biosafety");
  std::string want = "year,passages,documents,label\n";
  const v1::CountConceptsResponse counted = Count(request);
  for (const v1::ConceptGroupCount& g : counted.groups()) {
    absl::StrAppend(&want, g.key(), ",", g.passage_count(), ",", g.document_count(), ",\n");
  }
  const auto [csv, csv_status] =
      RunCommand(cli + " counts --by=year --concepts=topic/biosafety --csv 2>/dev/null");
  ASSERT_EQ(csv_status, 0) << csv;
  EXPECT_EQ(csv.substr(0, want.size()), want);
  EXPECT_THAT(csv, HasSubstr("(all),"));

  // A heatmap and a trend chart, drawn by gnuplot.
  const std::string heatmap = pair_.temp_dir() + "/heatmap.svg";
  const auto [pairs, pairs_status] = RunCommand(
      cli + " cooccur --row_category=topic --column_category=location --plot=" + heatmap +
      " 2>&1");
  ASSERT_EQ(pairs_status, 0) << pairs;
  EXPECT_THAT(pairs, HasSubstr("place/"));
  const std::string svg = ReadFile(heatmap);
  EXPECT_THAT(svg, HasSubstr("<svg"));
  EXPECT_THAT(svg, HasSubstr("place/"));
  const std::string chart = pair_.temp_dir() + "/trend.svg";
  const auto [trend, trend_status] =
      RunCommand(cli + " trends --concepts=topic/biosafety,place/kenya --plot=" + chart + " 2>&1");
  ASSERT_EQ(trend_status, 0) << trend;
  EXPECT_THAT(trend, HasSubstr("2020"));
  EXPECT_THAT(ReadFile(chart), HasSubstr("<svg"));

  // An export file that the independent reader reads.
  const std::string file = pair_.temp_dir() + "/cli-export.json";
  const auto [exported, export_status] =
      RunCommand(cli + " export --format=bioc-json --language=zh --output=" + file + " 2>&1");
  ASSERT_EQ(export_status, 0) << exported;
  const auto [read, read_status] = RunCommand(
      absl::StrCat("python3 ", BIOCORPUS_TESTS_DIR, "/support/bioc_reader.py ", file, " 2>&1"));
  ASSERT_EQ(read_status, 0) << read;
  EXPECT_THAT(read, HasSubstr("\tLOCATION\tplace/china\t中国"));
}

}  // namespace
}  // namespace biocorpus::testing
