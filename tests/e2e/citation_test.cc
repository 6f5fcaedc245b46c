// End to end: citation lookups, citing passages, references and
// read-your-writes over the real servers.

#include <atomic>
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

constexpr char kRecord[] =
    "AUTHOR=Haddad Rami, Ito Keiko TITLE=Laboratory Biosafety Manuals Compared: "
    "Fourteen Countries JOURNAL=Applied Biosafety VOLUME=25 YEAR=2020 PAGES=101-110 "
    "DOI=10.5555/method.2021.4 "
    "URL=https://journals.example.org/abs/article/10.5555/method.2021.4 "
    "ABSTRACT=Manuals agree on containment levels but not on training.";

class CitationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pair_.Start()) << pair_.error();
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair_.Ingest(kRecord, &response).ok());
    record_ = response.document().name();
    ASSERT_TRUE(pair_.Ingest(ReadFile(std::string(BIOCORPUS_FIXTURES_DIR) +
                                      "/mirrored_articles/many_links.md"),
                             &response)
                    .ok());
    article_ = response.document().name();
    last_token_ = response.commit_token();
  }

  grpc::Status Lookup(const v1::LookupCitationRequest& request,
                      v1::LookupCitationResponse* response) {
    grpc::ClientContext context;
    v1::LookupCitationRequest with_token = request;
    with_token.set_commit_token(last_token_);
    return pair_.query().LookupCitation(&context, with_token, response);
  }

  // The documents a lookup finds, best first.
  std::vector<std::string> Found(const v1::LookupCitationRequest& request) {
    v1::LookupCitationResponse response;
    const grpc::Status status = Lookup(request, &response);
    std::vector<std::string> names;
    if (!status.ok()) return {"error: " + status.error_message()};
    for (const v1::Citation& c : response.citations()) names.push_back(c.document());
    return names;
  }

  std::vector<v1::Passage> Citing(v1::ListCitingPassagesRequest request) {
    std::vector<v1::Passage> out;
    request.set_commit_token(last_token_);
    request.set_page_size(4);
    for (int pages = 0; pages < 100; ++pages) {
      grpc::ClientContext context;
      v1::ListCitingPassagesResponse response;
      const grpc::Status status = pair_.query().ListCitingPassages(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      out.insert(out.end(), response.passages().begin(), response.passages().end());
      if (!status.ok() || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  ServicePair pair_;
  std::string record_;
  std::string article_;
  std::string last_token_;
};

TEST_F(CitationTest, EverySpellingOfADoiFindsTheRecord) {
  for (const char* spelling :
       {"10.5555/method.2021.4", "10.5555/METHOD.2021.4", "doi:10.5555/method.2021.4",
        "DOI:10.5555/method.2021.4", "https://doi.org/10.5555/method.2021.4",
        "http://dx.doi.org/10.5555/Method.2021.4", " https://DOI.ORG/10.5555/method.2021.4 "}) {
    SCOPED_TRACE(spelling);
    v1::LookupCitationRequest request;
    request.set_doi(spelling);
    EXPECT_EQ(Found(request), std::vector<std::string>{record_});
    v1::LookupCitationRequest as_url;
    as_url.set_url(spelling);
    if (std::string(spelling).find("doi.org") != std::string::npos) {
      EXPECT_EQ(Found(as_url), std::vector<std::string>{record_});
    }
  }
  v1::LookupCitationRequest missing;
  missing.set_doi("10.5555/not.stored");
  v1::LookupCitationResponse response;
  EXPECT_EQ(Lookup(missing, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  missing.set_doi("not a doi");
  EXPECT_EQ(Lookup(missing, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CitationTest, EveryVariantOfAUrlFindsTheDocument) {
  for (const char* spelling :
       {"https://www.example.org/analysis/audits-year", "http://www.example.org/analysis/audits-year",
        "https://example.org/analysis/audits-year/", "HTTPS://WWW.EXAMPLE.ORG/analysis/audits-year",
        "https://www.example.org/analysis/audits-year#comments",
        "https://www.example.org/analysis/audits-year?utm_source=x&utm_campaign=y"}) {
    SCOPED_TRACE(spelling);
    v1::LookupCitationRequest request;
    request.set_url(spelling);
    EXPECT_EQ(Found(request), std::vector<std::string>{article_});
  }
  v1::LookupCitationRequest record_url;
  record_url.set_url("http://journals.example.org/abs/article/10.5555/method.2021.4/");
  EXPECT_EQ(Found(record_url), std::vector<std::string>{record_});
}

TEST_F(CitationTest, TitlesAndAuthorsFindRankedCitations) {
  v1::LookupCitationRequest exact;
  exact.set_title("laboratory biosafety manuals compared fourteen countries");
  v1::LookupCitationResponse response;
  ASSERT_TRUE(Lookup(exact, &response).ok());
  ASSERT_EQ(response.citations_size(), 1);
  EXPECT_EQ(response.citations(0).score(), 1.0);
  EXPECT_EQ(response.citations(0).title(),
            "Laboratory Biosafety Manuals Compared: Fourteen Countries");

  v1::LookupCitationRequest prefix;
  prefix.set_title("Inside a year of laboratory");
  EXPECT_EQ(Found(prefix), std::vector<std::string>{article_});

  // Words from both titles: the title holding more of them ranks first.
  v1::LookupCitationRequest words;
  words.set_title("laboratory audits records");
  EXPECT_EQ(Found(words), std::vector<std::string>{article_});
  words.set_title("laboratory manuals");
  EXPECT_EQ(Found(words), (std::vector<std::string>{record_, article_}));

  v1::LookupCitationRequest author;
  author.mutable_author()->set_family("HADDAD");
  EXPECT_EQ(Found(author), std::vector<std::string>{record_});
  author.mutable_author()->set_year(2020);
  EXPECT_EQ(Found(author), std::vector<std::string>{record_});
  author.mutable_author()->set_year(2021);
  EXPECT_EQ(Lookup(author, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  author.mutable_author()->set_family("Nair");
  author.mutable_author()->set_year(0);
  EXPECT_EQ(Found(author), std::vector<std::string>{article_});
}

TEST_F(CitationTest, RenderingsComeInTheOrderAsked) {
  v1::LookupCitationRequest request;
  request.set_doi("10.5555/method.2021.4");
  request.add_formats(v1::RIS);
  request.add_formats(v1::APA);
  request.add_formats(v1::BIBTEX);
  request.add_formats(v1::CSL_JSON);
  v1::LookupCitationResponse response;
  ASSERT_TRUE(Lookup(request, &response).ok());
  ASSERT_EQ(response.citations_size(), 1);
  const v1::Citation& c = response.citations(0);
  ASSERT_EQ(c.renderings_size(), 4);
  EXPECT_EQ(c.renderings(0).format(), v1::RIS);
  EXPECT_THAT(c.renderings(0).text(), HasSubstr("TY  - JOUR\n"));
  EXPECT_EQ(c.renderings(1).text(),
            "Haddad, R., & Ito, K. (2020). Laboratory Biosafety Manuals Compared: Fourteen "
            "Countries. Applied Biosafety, 25, 101\u2013110. https://doi.org/10.5555/method.2021.4");
  EXPECT_THAT(c.renderings(2).text(), HasSubstr("@article{haddad2020laboratory,"));
  EXPECT_THAT(c.renderings(3).text(), HasSubstr("\"DOI\": \"10.5555/method.2021.4\""));
  request.add_formats(v1::CITATION_FORMAT_UNSPECIFIED);
  EXPECT_EQ(Lookup(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CitationTest, CitingPassagesAndReferencesOfAnArticleWithManyLinks) {
  // Thirteen passages link the audit report, in four spellings and relatively.
  for (const char* spelling :
       {"https://www.example.org/reports/lab-audit-2023", "http://example.org/reports/lab-audit-2023"}) {
    SCOPED_TRACE(spelling);
    v1::ListCitingPassagesRequest request;
    request.set_url(spelling);
    const std::vector<v1::Passage> passages = Citing(request);
    std::set<std::string> names;
    for (const v1::Passage& p : passages) {
      EXPECT_TRUE(names.insert(p.name()).second) << "listed twice: " << p.name();
      EXPECT_EQ(p.document(), article_);
      bool cites = false;
      for (const v1::Link& link : p.links()) {
        if (link.url().find("lab-audit-2023") != std::string::npos) {
          cites = true;
          EXPECT_EQ(p.text().substr(link.span().start_byte(),
                                    link.span().end_byte() - link.span().start_byte()),
                    link.anchor_text());
        }
      }
      EXPECT_TRUE(cites) << p.text();
    }
    EXPECT_EQ(names.size(), 13u);
  }
  // The DOI is cited by two hyperlinks and a mention in one passage of the
  // article; the record itself is not a citing passage.
  v1::ListCitingPassagesRequest by_doi;
  by_doi.set_doi("DOI:10.5555/METHOD.2021.4");
  const std::vector<v1::Passage> citing = Citing(by_doi);
  ASSERT_EQ(citing.size(), 1u);
  int doi_links = 0;
  for (const v1::Link& link : citing[0].links()) {
    if (link.doi() == "10.5555/method.2021.4") ++doi_links;
  }
  EXPECT_EQ(doi_links, 3);

  // References: every link, in order, the DOI ones resolved to the record.
  v1::ListReferencesRequest request;
  request.set_parent(article_);
  request.set_page_size(7);
  std::vector<v1::Reference> references;
  for (int pages = 0; pages < 100; ++pages) {
    grpc::ClientContext context;
    v1::ListReferencesResponse response;
    ASSERT_TRUE(pair_.query().ListReferences(&context, request, &response).ok());
    references.insert(references.end(), response.references().begin(),
                      response.references().end());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(references.size(), 31u);  // 29 hyperlinks and 2 DOI mentions.
  int resolved = 0, mentions = 0;
  for (const v1::Reference& r : references) {
    if (r.cited_document() == record_) ++resolved;
    if (r.link().kind() == v1::Link::DOI_MENTION) ++mentions;
  }
  EXPECT_EQ(resolved, 3);
  EXPECT_EQ(mentions, 2);
}

TEST_F(CitationTest, ReadYourWritesUnderAConcurrentIngestStream) {
  // A query service that only catches up when a request asks it to.
  ServicePair slow;
  // Later flags win: the timer effectively never fires.
  slow.set_query_args({"--catch_up_interval_ms=600000"});
  ASSERT_TRUE(slow.Start(/*with_query=*/false)) << slow.error();
  ASSERT_TRUE(slow.StartQuery()) << slow.error();
  grpc::ClientContext stream_context;
  auto stream = slow.ingest().IngestDocuments(&stream_context);
  constexpr int kDocuments = 200;
  std::thread writer([&] {
    for (int n = 0; n < kDocuments; ++n) {
      v1::IngestDocumentRequest request;
      request.set_content("TITLE=Stream record " + std::to_string(n) + " DOI=10.5555/ryw." +
                          std::to_string(n));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  int read_back = 0;
  v1::IngestDocumentsResponse result;
  while (stream->Read(&result)) {
    ASSERT_TRUE(result.has_result()) << result.error().message();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::GetDocumentRequest get;
    get.set_name(result.result().document().name());
    get.set_commit_token(result.result().commit_token());
    v1::Document document;
    const grpc::Status status = slow.query().GetDocument(&context, get, &document);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(document.name(), get.name());
    ++read_back;
  }
  writer.join();
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(read_back, kDocuments);

  // A token the writer has not reached: UNAVAILABLE once the deadline nears.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  v1::GetDocumentRequest future;
  future.set_name("documents/0000000000000000");
  future.set_commit_token("999999999");
  v1::Document document;
  const grpc::Status status = slow.query().GetDocument(&context, future, &document);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("not caught up with commit 999999999"));
  grpc::ClientContext bad;
  future.set_commit_token("yesterday");
  EXPECT_EQ(slow.query().GetDocument(&bad, future, &document).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace biocorpus::testing
