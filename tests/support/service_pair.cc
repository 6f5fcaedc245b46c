#include "tests/support/service_pair.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "corpus/rpc/bearer_token.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace biocorpus::testing {
namespace {

// An idle gRPC client notices a server's GOAWAY only when its backup poller
// runs (every 5 s by default), and a stopping server waits for its clients to
// hang up. Poll often, so that tests which stop a server do not wait.
const bool kFastBackupPoll = [] {
  setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "50", /*overwrite=*/0);
  return true;
}();

}  // namespace

ServicePair::ServicePair() : data_dir_(temp_.path() + "/data") {
  // A fresh random token per pair, in a file the ingest service reads.
  std::ifstream random("/dev/urandom", std::ios::binary);
  for (int i = 0; i < 24; ++i) {
    token_ += "0123456789abcdef"[static_cast<unsigned char>(random.get()) % 16];
  }
  std::ofstream(temp_.path() + "/token") << token_ << "\n";
}

bool ServicePair::Start(bool with_query) {
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--data_dir=" + data_dir_,
                                   "--sync_writes=false",
                                   "--auth_token_file=" + temp_.path() + "/token"};
  args.insert(args.end(), ingest_args_.begin(), ingest_args_.end());
  ingest_ = std::make_unique<ServerProcess>(BIOCORPUS_INGEST_BINARY, args,
                                            temp_.path() + "/ingest.log");
  if (!ingest_->Start()) {
    error_ = ingest_->error();
    return false;
  }
  ingest_channel_ = CreateChannelWithToken(ingest_->address(), token_,
                                           grpc::InsecureChannelCredentials());
  ingest_stub_ = v1::IngestService::NewStub(ingest_channel_);
  return !with_query || StartQuery();
}

bool ServicePair::RestartIngest(const std::vector<std::string>& extra_args) {
  ingest_->Stop(SIGTERM);
  ingest_args_ = extra_args;
  return Start(/*with_query=*/false);
}

bool ServicePair::StartQuery(bool wait_until_serving) {
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--data_dir=" + data_dir_,
                                   "--secondary_dir=" + temp_.path() + "/secondary",
                                   "--catch_up_interval_ms=50"};
  args.insert(args.end(), query_args_.begin(), query_args_.end());
  query_ = std::make_unique<ServerProcess>(BIOCORPUS_QUERY_BINARY, args,
                                           temp_.path() + "/query.log");
  if (!query_->Start()) {
    error_ = query_->error();
    return false;
  }
  query_channel_ = grpc::CreateChannel(query_->address(),
                                       grpc::InsecureChannelCredentials());
  query_stub_ = v1::QueryService::NewStub(query_channel_);
  if (!wait_until_serving) return true;
  auto health = grpc::health::v1::Health::NewStub(query_channel_);
  const bool serving = Eventually([&] {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("biocorpus.v1.QueryService");
    grpc::health::v1::HealthCheckResponse response;
    return health->Check(&context, request, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  });
  if (!serving) error_ = "biocorpus-query never reported SERVING:\n" + query_->Log();
  return serving;
}

grpc::Status ServicePair::Ingest(const std::string& content,
                                 v1::IngestDocumentResponse* response,
                                 const std::string& source_uri) {
  grpc::ClientContext context;
  v1::IngestDocumentRequest request;
  request.set_content(content);
  request.set_source_uri(source_uri);
  return ingest_stub_->IngestDocument(&context, request, response);
}

bool Eventually(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace biocorpus::testing
