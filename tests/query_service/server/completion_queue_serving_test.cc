// The query methods are answered from completion queues by a fixed set of
// threads; a call that waits for a commit token waits on a thread of its
// own, so that it holds up no other call, and stopping the server waits for
// it.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/storage/corpus_db.h"
#include "gtest/gtest.h"
#include "query_service/server/query_server.h"
#include "rocksdb/write_batch.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

constexpr char kId[] = "00000000000000aa";

class CompletionQueueServingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CorpusDbOptions primary_options;
    primary_options.path = temp_.path() + "/db";
    absl::StatusOr<std::unique_ptr<CorpusDb>> primary = CorpusDb::Open(primary_options);
    ASSERT_TRUE(primary.ok()) << primary.status();
    primary_ = std::move(*primary);
    v1::Document document;
    document.set_name(absl::StrCat("documents/", kId));
    document.set_title("A stored document");
    rocksdb::WriteBatch batch;
    batch.Put(primary_->families().documents, kId, document.SerializeAsString());
    ASSERT_TRUE(primary_->Write(&batch, /*sync=*/false).ok());

    QueryServerOptions options;
    options.data_dir = primary_options.path;
    options.secondary_dir = temp_.path() + "/secondary";
    options.catch_up_interval_ms = 10;
    options.serving_threads = 1;
    options.server.program = "biocorpus-query";
    absl::StatusOr<std::unique_ptr<QueryServer>> server = QueryServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::QueryService::NewStub(server_->runner().InProcessChannel());
    // Serving once the secondary is open.
    for (int i = 0; i < 500 && !Get("").ok(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(Get("").ok());
  }

  grpc::Status Get(const std::string& commit_token) {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(absl::StrCat("documents/", kId));
    request.set_commit_token(commit_token);
    v1::Document response;
    grpc::Status status = stub_->GetDocument(&context, request, &response);
    if (status.ok()) EXPECT_EQ(response.title(), "A stored document");
    return status;
  }

  // Starts a GetDocument for a write the replica will never hold: it waits
  // (the service's two seconds) and then fails; `done` is set when it ends.
  void StartWaitingCall(std::atomic<bool>* done, grpc::Status* status) {
    waiting_request_.set_name(absl::StrCat("documents/", kId));
    waiting_request_.set_commit_token(absl::StrCat(primary_->Sequence() + 1000));
    stub_->async()->GetDocument(&waiting_context_, &waiting_request_, &waiting_response_,
                                [done, status](grpc::Status s) {
                                  *status = s;
                                  done->store(true);
                                });
  }

  testing::TempDir temp_;
  std::unique_ptr<CorpusDb> primary_;
  std::unique_ptr<QueryServer> server_;
  std::unique_ptr<v1::QueryService::Stub> stub_;
  grpc::ClientContext waiting_context_;
  v1::GetDocumentRequest waiting_request_;
  v1::Document waiting_response_;
};

TEST_F(CompletionQueueServingTest, ACallWaitingForItsCommitTokenHoldsUpNoOtherCall) {
  const size_t in_place_before = server_->serving().calls_in_place();
  std::atomic<bool> waiting_done{false};
  grpc::Status waiting_status;
  StartWaitingCall(&waiting_done, &waiting_status);
  while (server_->serving().calls_on_own_thread() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The one queue thread answers these while the waiting call waits.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Get("").ok());
  EXPECT_FALSE(waiting_done.load());
  EXPECT_GE(server_->serving().calls_in_place(), in_place_before + 20);
  while (!waiting_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(waiting_status.ok());
  EXPECT_EQ(server_->serving().calls_on_own_thread(), 1u);
  // A token the replica holds is answered (on a thread of its own too).
  EXPECT_TRUE(Get(absl::StrCat(primary_->Sequence())).ok());
  EXPECT_EQ(server_->serving().calls_on_own_thread(), 2u);
}

TEST_F(CompletionQueueServingTest, StoppingWaitsForACallAnsweredOnItsOwnThread) {
  std::atomic<bool> waiting_done{false};
  grpc::Status waiting_status;
  StartWaitingCall(&waiting_done, &waiting_status);
  while (server_->serving().calls_on_own_thread() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->Stop();
  // The call ended (answered or cancelled by the shutdown), and nothing was
  // left running.
  while (!waiting_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(waiting_status.ok());
  server_.reset();
}

TEST(CompletionQueueServingOptionsTest, ServingThreadsOutsideTheirRangeAreRefused) {
  testing::TempDir temp;
  for (int threads : {-1, 257}) {
    QueryServerOptions options;
    options.data_dir = temp.path() + "/db";
    options.serving_threads = threads;
    options.server.program = "biocorpus-query";
    absl::StatusOr<std::unique_ptr<QueryServer>> server = QueryServer::Start(options);
    ASSERT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << threads;
    EXPECT_NE(server.status().message().find("--serving_threads"), std::string::npos);
  }
  // 256 is the most; the server starts (and waits for its database).
  QueryServerOptions options;
  options.data_dir = temp.path() + "/db";
  options.secondary_dir = temp.path() + "/secondary";
  options.serving_threads = 256;
  options.server.program = "biocorpus-query";
  absl::StatusOr<std::unique_ptr<QueryServer>> server = QueryServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Stop();
}

}  // namespace
}  // namespace biocorpus
