// The two services in this process, over in-process channels: what needs no
// second process (authorization, answers, statuses, message caps).

#include <chrono>
#include <memory>
#include <thread>
#include <string>

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "ingest_service/server/ingest_server.h"
#include "query_service/server/query_server.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

constexpr char kToken[] = "in-process-token";

class InProcessServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IngestServerOptions ingest;
    ingest.data_dir = temp_.path() + "/db";
    ingest.sync_writes = false;
    ingest.token = kToken;
    ingest.server.program = "biocorpus-ingest";
    ingest.server.listen = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<IngestServer>> started = IngestServer::Start(ingest);
    ASSERT_TRUE(started.ok()) << started.status();
    ingest_ = std::move(*started);
    QueryServerOptions query;
    query.data_dir = ingest.data_dir;
    query.secondary_dir = temp_.path() + "/secondary";
    query.server.program = "biocorpus-query";
    query.server.listen = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<QueryServer>> query_started = QueryServer::Start(query);
    ASSERT_TRUE(query_started.ok()) << query_started.status();
    query_ = std::move(*query_started);
    ingest_stub_ = v1::IngestService::NewStub(ingest_->runner().InProcessChannel());
    query_stub_ = v1::QueryService::NewStub(query_->runner().InProcessChannel());
    // The query service opens the database in the background: wait (a
    // minute at most) until it answers from it.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    for (;;) {
      grpc::ClientContext context;
      v1::ListTagsRequest request;
      v1::ListTagsResponse response;
      const grpc::Status status = query_stub_->ListTags(&context, request, &response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      ASSERT_LT(std::chrono::steady_clock::now(), give_up) << status.error_message();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void TearDown() override {
    if (query_ != nullptr) query_->Stop();
    if (ingest_ != nullptr) EXPECT_TRUE(ingest_->Stop().ok());
  }

  static void Authorize(grpc::ClientContext* context) {
    context->AddMetadata("authorization", std::string("Bearer ") + kToken);
  }

  // Ingests `content`; returns the response (failing the test otherwise).
  v1::IngestDocumentResponse Ingest(const std::string& content) {
    grpc::ClientContext context;
    Authorize(&context);
    v1::IngestDocumentRequest request;
    request.set_content(content);
    v1::IngestDocumentResponse response;
    const grpc::Status status = ingest_stub_->IngestDocument(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  testing::TempDir temp_;
  std::unique_ptr<IngestServer> ingest_;
  std::unique_ptr<QueryServer> query_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<v1::QueryService::Stub> query_stub_;
};

TEST_F(InProcessServiceTest, IngestNeedsTheTokenAndAnswersWithTheDocument) {
  grpc::ClientContext anonymous;
  v1::IngestDocumentRequest request;
  request.set_content("TITLE=Refused DOI=10.5555/refused");
  v1::IngestDocumentResponse response;
  EXPECT_EQ(ingest_stub_->IngestDocument(&anonymous, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  response = Ingest("TITLE=Accepted DOI=10.5555/accepted ABSTRACT=See doi:10.5555/other.1.");
  EXPECT_EQ(response.status(), v1::IngestDocumentResponse::CREATED);
  EXPECT_EQ(response.passage_count(), 2);
  EXPECT_EQ(response.citation_count(), 2);
  EXPECT_FALSE(response.commit_token().empty());

  grpc::ClientContext context;
  v1::GetDocumentRequest get;
  get.set_name(response.document().name());
  get.set_commit_token(response.commit_token());
  v1::Document document;
  const grpc::Status status = query_stub_->GetDocument(&context, get, &document);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(document.title(), "Accepted");
}

TEST_F(InProcessServiceTest, AStreamAnswersEachInputInOrder) {
  grpc::ClientContext context;
  Authorize(&context);
  auto stream = ingest_stub_->IngestDocuments(&context);
  for (const char* content : {"TITLE=S0 DOI=10.5555/s.0", "\x01", "TITLE=S2 DOI=10.5555/s.2"}) {
    v1::IngestDocumentRequest request;
    request.set_content(content);
    request.set_source_uri(std::string("input:") + content);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  v1::IngestDocumentsResponse response;
  std::vector<std::string> seen;
  while (stream->Read(&response)) {
    seen.push_back(std::to_string(response.index()) + " " +
                   (response.has_error() ? "error " + std::to_string(response.error().code())
                                         : response.result().document().title()));
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"0 S0", "1 error 3", "2 S2"}));
}

TEST_F(InProcessServiceTest, StatusesForWhatCannotBeDone) {
  grpc::ClientContext publish_context;
  Authorize(&publish_context);
  v1::PublishSnapshotResponse published;
  EXPECT_EQ(ingest_stub_
                ->PublishSnapshot(&publish_context, v1::PublishSnapshotRequest(), &published)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::ClientContext delete_context;
  Authorize(&delete_context);
  v1::DeleteDocumentRequest missing;
  missing.set_name("documents/0000000000000000");
  v1::DeleteDocumentResponse deleted;
  EXPECT_EQ(ingest_stub_->DeleteDocument(&delete_context, missing, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(InProcessServiceTest, ErrorMessagesCapWhatTheyEcho) {
  grpc::ClientContext context;
  v1::GetDocumentRequest get;
  get.set_name(std::string(5000, 'x'));
  v1::Document document;
  const grpc::Status status = query_stub_->GetDocument(&context, get, &document);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(status.error_message().size(), 1024u);
  EXPECT_NE(status.error_message().find("... (5000 bytes)"), std::string::npos)
      << status.error_message();
}

TEST_F(InProcessServiceTest, FullTextSearchReadsItsWritesAndRefusesBadQueries) {
  const v1::IngestDocumentResponse ingested =
      Ingest("TITLE=Oversight of benchtop synthesizers DOI=10.5555/benchtop ABSTRACT=Benchtop DNA "
             "synthesizers raise screening questions.");
  grpc::ClientContext context;
  v1::SearchPassagesRequest request;
  request.set_query("synthesizer screening");
  request.set_commit_token(ingested.commit_token());
  request.set_facet_size(3);
  v1::SearchPassagesResponse response;
  grpc::Status status = query_stub_->SearchPassages(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.total_size(), 1);
  EXPECT_EQ(response.results(0).passage().type(), v1::ABSTRACT);
  EXPECT_GT(response.results(0).score(), 0);
  EXPECT_EQ(response.results(0).highlights_size(), 2);
  EXPECT_EQ(response.facets().formats(0).value(), "CITATION_RECORD");

  grpc::ClientContext bad_context;
  request.set_query("synthesizer (screening");
  status = query_stub_->SearchPassages(&bad_context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("at byte 12"), std::string::npos) << status.error_message();
}

TEST_F(InProcessServiceTest, APublisherLinkCitesItsDoi) {
  Ingest("---\ntitle: Linking\nfrom: https://news.example/linking\n---\n"
         "<p>The <a href=\"https://www.science.org/doi/10.1126/science.aan5197\">study</a>.</p>");
  const v1::IngestDocumentResponse cited = Ingest("TITLE=Study DOI=10.1126/science.aan5197");
  grpc::ClientContext context;
  v1::ListCitingPassagesRequest request;
  request.set_doi("10.1126/science.aan5197");
  request.set_commit_token(cited.commit_token());
  v1::ListCitingPassagesResponse response;
  const grpc::Status status = query_stub_->ListCitingPassages(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.passages_size(), 1);
  EXPECT_EQ(response.passages(0).links(0).doi(), "10.1126/science.aan5197");
}

}  // namespace
}  // namespace biocorpus
