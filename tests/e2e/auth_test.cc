// End to end: only holders of the ingest token may write.

#include <string>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDocument[] = "TITLE=Refused Record DOI=10.5555/auth.1";

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pair_.Start()) << pair_.error(); }

  // Every write method's status when called with `header` as the
  // authorization metadata (none when empty).
  std::vector<grpc::StatusCode> WriteCodes(const std::string& header) {
    auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
        pair_.ingest_process().address(), grpc::InsecureChannelCredentials()));
    auto context = [&](grpc::ClientContext* c) {
      if (!header.empty()) c->AddMetadata("authorization", header);
    };
    std::vector<grpc::StatusCode> codes;
    {
      grpc::ClientContext c;
      context(&c);
      v1::IngestDocumentRequest request;
      request.set_content(kDocument);
      v1::IngestDocumentResponse response;
      codes.push_back(stub->IngestDocument(&c, request, &response).error_code());
    }
    {
      grpc::ClientContext c;
      context(&c);
      auto stream = stub->IngestDocuments(&c);
      v1::IngestDocumentRequest request;
      request.set_content(kDocument);
      stream->Write(request);
      stream->WritesDone();
      v1::IngestDocumentsResponse response;
      while (stream->Read(&response)) {
      }
      codes.push_back(stream->Finish().error_code());
    }
    {
      grpc::ClientContext c;
      context(&c);
      v1::DeleteDocumentRequest request;
      request.set_name("documents/0123456789abcdef");
      v1::DeleteDocumentResponse response;
      codes.push_back(stub->DeleteDocument(&c, request, &response).error_code());
    }
    {
      grpc::ClientContext c;
      context(&c);
      v1::RetagDocumentsResponse response;
      codes.push_back(
          stub->RetagDocuments(&c, v1::RetagDocumentsRequest(), &response).error_code());
    }
    {
      grpc::ClientContext c;
      context(&c);
      v1::PublishSnapshotResponse response;
      codes.push_back(
          stub->PublishSnapshot(&c, v1::PublishSnapshotRequest(), &response).error_code());
    }
    return codes;
  }

  ServicePair pair_;
};

TEST_F(AuthTest, NoTokenIsUnauthenticatedAndAWrongOneIsPermissionDenied) {
  using grpc::StatusCode;
  EXPECT_EQ(WriteCodes(""), std::vector<StatusCode>(5, StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(WriteCodes("Basic dXNlcjpwYXNz"),
            std::vector<StatusCode>(5, StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(WriteCodes("Bearer not-the-token"),
            std::vector<StatusCode>(5, StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(WriteCodes("Bearer " + pair_.token() + "x"),
            std::vector<StatusCode>(5, StatusCode::PERMISSION_DENIED));

  // Nothing was written: a write with the token is the only document.
  v1::IngestDocumentResponse marker;
  ASSERT_TRUE(pair_.Ingest("TITLE=Marker DOI=10.5555/auth.marker", &marker).ok());
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::ListDocumentsRequest request;
    v1::ListDocumentsResponse response;
    return pair_.query().ListDocuments(&context, request, &response).ok() &&
           response.documents_size() == 1 &&
           response.documents(0).name() == marker.document().name();
  }));
  // Refusals are logged, the token never is.
  const std::string log = pair_.ingest_process().Log();
  EXPECT_THAT(log, HasSubstr("request failed method=/biocorpus.v1.IngestService/IngestDocument "
                             "code=PERMISSION_DENIED"));
  EXPECT_THAT(log, Not(HasSubstr(pair_.token())));
}

TEST_F(AuthTest, HealthAndReflectionStayOpen) {
  auto channel = grpc::CreateChannel(pair_.ingest_process().address(),
                                     grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("biocorpus.v1.IngestService");
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(AuthStartupTest, TheIngestServiceRefusesToRunWithoutAToken) {
  TempDir temp;
  ServerProcess ingest(BIOCORPUS_INGEST_BINARY,
                       {"--listen=127.0.0.1:0", "--data_dir=" + temp.path() + "/data"},
                       temp.path() + "/ingest.log");
  EXPECT_FALSE(ingest.Start());
  EXPECT_THAT(ingest.Log(), HasSubstr("no ingest token"));
  ServerProcess open(BIOCORPUS_INGEST_BINARY,
                     {"--listen=127.0.0.1:0", "--data_dir=" + temp.path() + "/data2",
                      "--allow_unauthenticated"},
                     temp.path() + "/open.log");
  ASSERT_TRUE(open.Start()) << open.error();
  EXPECT_THAT(open.Log(), HasSubstr("WITHOUT authentication"));
  grpc::ClientContext context;
  v1::IngestDocumentRequest request;
  request.set_content(kDocument);
  v1::IngestDocumentResponse response;
  EXPECT_TRUE(v1::IngestService::NewStub(grpc::CreateChannel(open.address(),
                                                             grpc::InsecureChannelCredentials()))
                  ->IngestDocument(&context, request, &response)
                  .ok());
}

}  // namespace
}  // namespace biocorpus::testing
