// TLS and mutual TLS on the real servers, with certificates made at test time
// by openssl.

#include <cstdlib>
#include <fstream>
#include <string>

#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/tls.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

// Makes a CA, a server certificate for localhost / 127.0.0.1 and a client
// certificate in `dir`. False when openssl fails.
bool MakeCertificates(const std::string& dir) {
  const std::string script =
      "set -e; cd '" + dir + "'; "
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
      "-subj /CN=biocorpus-test-ca; "
      "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost; "
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext; "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
      "-out server.pem -days 2 -extfile san.ext; "
      "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=client; "
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
      "-out client.pem -days 2; "
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 2 "
      "-subj /CN=rogue";
  return std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_.path();
    ASSERT_TRUE(MakeCertificates(dir_)) << "openssl could not make test certificates";
    std::ofstream(dir_ + "/token") << "tls-test-token\n";
  }

  // A stub for `address` over TLS trusting the test CA, with the client
  // certificate `client` ("" for none).
  std::unique_ptr<v1::IngestService::Stub> IngestStub(const std::string& address,
                                                      const std::string& client) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ChannelCredentialsFromFiles(dir_ + "/ca.pem",
                                    client.empty() ? "" : dir_ + "/" + client + ".pem",
                                    client.empty() ? "" : dir_ + "/" + client + ".key");
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return v1::IngestService::NewStub(
        CreateChannelWithToken(address, "tls-test-token", *credentials));
  }

  static grpc::StatusCode IngestCode(v1::IngestService::Stub& stub) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::IngestDocumentRequest request;
    request.set_content("TITLE=Over TLS DOI=10.5555/tls.1");
    v1::IngestDocumentResponse response;
    return stub.IngestDocument(&context, request, &response).error_code();
  }

  TempDir temp_;
  std::string dir_;
};

TEST_F(TlsTest, IngestRequiresAClientCertificateAndQueryServesTls) {
  ServerProcess ingest(BIOCORPUS_INGEST_BINARY,
                       {"--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/data",
                        "--auth_token_file=" + dir_ + "/token",
                        "--tls_cert_file=" + dir_ + "/server.pem",
                        "--tls_key_file=" + dir_ + "/server.key",
                        "--tls_client_ca_file=" + dir_ + "/ca.pem"},
                       dir_ + "/ingest.log");
  ASSERT_TRUE(ingest.Start()) << ingest.error();
  EXPECT_THAT(ingest.Log(), ::testing::HasSubstr("serving mutual TLS"));

  EXPECT_EQ(IngestCode(*IngestStub(ingest.address(), "client")), grpc::StatusCode::OK);
  // No client certificate, one the CA did not sign, or no TLS at all: the
  // handshake fails and nothing reaches the service.
  EXPECT_EQ(IngestCode(*IngestStub(ingest.address(), "")), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(IngestCode(*IngestStub(ingest.address(), "rogue")), grpc::StatusCode::UNAVAILABLE);
  auto plaintext = v1::IngestService::NewStub(
      CreateChannelWithToken(ingest.address(), "tls-test-token",
                             grpc::InsecureChannelCredentials()));
  EXPECT_EQ(IngestCode(*plaintext), grpc::StatusCode::UNAVAILABLE);

  ServerProcess query(BIOCORPUS_QUERY_BINARY,
                      {"--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/data",
                       "--secondary_dir=" + dir_ + "/secondary",
                       "--tls_cert_file=" + dir_ + "/server.pem",
                       "--tls_key_file=" + dir_ + "/server.key"},
                      dir_ + "/query.log");
  ASSERT_TRUE(query.Start()) << query.error();
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFromFiles(dir_ + "/ca.pem", "", "");
  ASSERT_TRUE(credentials.ok());
  auto stub = v1::QueryService::NewStub(grpc::CreateChannel(query.address(), *credentials));
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::ListDocumentsRequest request;
    v1::ListDocumentsResponse response;
    return stub->ListDocuments(&context, request, &response).ok() &&
           response.documents_size() == 1;
  }));
}

TEST_F(TlsTest, AServerRefusesToStartWithHalfATlsConfiguration) {
  ServerProcess query(BIOCORPUS_QUERY_BINARY,
                      {"--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/data",
                       "--tls_cert_file=" + dir_ + "/server.pem"},
                      dir_ + "/query.log");
  EXPECT_FALSE(query.Start());
  EXPECT_THAT(query.Log(), ::testing::HasSubstr("TLS needs both"));
}

}  // namespace
}  // namespace biocorpus::testing
