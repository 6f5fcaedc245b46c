// Snapshot mode on one machine: the ingest service publishes snapshots to a
// shared directory, two query processes restore and serve them, and both
// swap to a newer snapshot while a client keeps querying, without a failed
// request. A commit token newer than a replica's snapshot is UNAVAILABLE
// with a message telling the client to retry.

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

std::string Record(int n) {
  return "AUTHOR=Snapshot Test TITLE=Biosafety snapshot record " + std::to_string(n) +
         " DOI=10.5555/snapshot." + std::to_string(n) +
         " ABSTRACT=Laboratory biosafety oversight and dual-use research, part " +
         std::to_string(n) + ".";
}

// A query process in snapshot mode with its own restore directory.
struct Replica {
  std::unique_ptr<ServerProcess> process;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::QueryService::Stub> stub;
  std::string restore_dir;
};

int64_t CountDocuments(v1::QueryService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::ListDocumentsRequest request;
  request.set_page_size(1000);
  v1::ListDocumentsResponse response;
  if (!stub.ListDocuments(&context, request, &response).ok()) return -1;
  return response.documents_size();
}

TEST(SnapshotTest, ReplicasRestoreAndSwapSnapshotsWithoutFailingRequests) {
  ServicePair pair;
  const std::string snapshot_dir = pair.temp_dir() + "/shared-snapshots";
  // Only explicit publishes and bulk loads, so the test decides when.
  pair.set_ingest_args({"--snapshot_dir=" + snapshot_dir, "--snapshot_interval_s=3600"});
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();

  std::vector<std::string> first_names;
  for (int n = 0; n < 3; ++n) {
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair.Ingest(Record(n), &response).ok());
    first_names.push_back(response.document().name());
  }
  uint32_t first_id = 0;
  {
    grpc::ClientContext context;
    v1::PublishSnapshotResponse published;
    const grpc::Status status =
        pair.ingest().PublishSnapshot(&context, v1::PublishSnapshotRequest(), &published);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(published.created());
    EXPECT_GT(published.size_bytes(), 0u);
    first_id = published.snapshot_id();
  }
  {
    // Nothing new: the same snapshot comes back.
    grpc::ClientContext context;
    v1::PublishSnapshotResponse again;
    ASSERT_TRUE(
        pair.ingest().PublishSnapshot(&context, v1::PublishSnapshotRequest(), &again).ok());
    EXPECT_FALSE(again.created());
    EXPECT_EQ(again.snapshot_id(), first_id);
  }

  std::vector<Replica> replicas(2);
  for (size_t i = 0; i < replicas.size(); ++i) {
    Replica& replica = replicas[i];
    replica.restore_dir = pair.temp_dir() + "/restore-" + std::to_string(i);
    replica.process = std::make_unique<ServerProcess>(
        BIOCORPUS_QUERY_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--mode=snapshot",
                                 "--snapshot_dir=" + snapshot_dir,
                                 "--restore_dir=" + replica.restore_dir,
                                 "--snapshot_poll_ms=50"},
        pair.temp_dir() + "/query-" + std::to_string(i) + ".log");
    ASSERT_TRUE(replica.process->Start()) << replica.process->error();
    replica.channel =
        grpc::CreateChannel(replica.process->address(), grpc::InsecureChannelCredentials());
    replica.stub = v1::QueryService::NewStub(replica.channel);
  }
  for (Replica& replica : replicas) {
    EXPECT_TRUE(Eventually([&] { return CountDocuments(*replica.stub) == 3; }))
        << replica.process->Log();
  }

  // A client keeps reading from both replicas while they swap.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> calls{0};
  std::atomic<int64_t> failures{0};
  std::string first_failure;
  std::thread client([&] {
    while (!stop.load()) {
      for (Replica& replica : replicas) {
        for (const std::string& name : first_names) {
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          v1::GetDocumentRequest request;
          request.set_name(name);
          v1::Document document;
          const grpc::Status status = replica.stub->GetDocument(&context, request, &document);
          calls++;
          if (!status.ok() && failures++ == 0) {
            first_failure = std::to_string(status.error_code()) + " " + status.error_message();
          }
        }
        if (CountDocuments(*replica.stub) < 3 && failures++ == 0) {
          first_failure = "ListDocuments lost documents";
        }
        calls++;
      }
    }
  });

  // More documents; until they are published, a replica cannot honour
  // their commit token and says to retry.
  std::string token;
  std::string new_name;
  for (int n = 3; n < 8; ++n) {
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair.Ingest(Record(n), &response).ok());
    token = response.commit_token();
    new_name = response.document().name();
  }
  {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(new_name);
    request.set_commit_token(token);
    v1::Document document;
    const grpc::Status status = replicas[0].stub->GetDocument(&context, request, &document);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(status.error_message().find("retry"), std::string::npos) << status.error_message();
  }
  uint32_t second_id = 0;
  {
    grpc::ClientContext context;
    v1::PublishSnapshotResponse published;
    ASSERT_TRUE(
        pair.ingest().PublishSnapshot(&context, v1::PublishSnapshotRequest(), &published).ok());
    EXPECT_TRUE(published.created());
    second_id = published.snapshot_id();
    EXPECT_GT(second_id, first_id);
    EXPECT_GE(std::stoull(published.commit_token()), std::stoull(token));
  }
  for (Replica& replica : replicas) {
    EXPECT_TRUE(Eventually([&] { return CountDocuments(*replica.stub) == 8; }))
        << replica.process->Log();
    // The token is honoured once the snapshot holding it is served.
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(new_name);
    request.set_commit_token(token);
    v1::Document document;
    const grpc::Status status = replica.stub->GetDocument(&context, request, &document);
    EXPECT_TRUE(status.ok()) << status.error_message();
    // Full-text search answers from the snapshot too, at the same token.
    grpc::ClientContext search_context;
    v1::SearchPassagesRequest search;
    search.set_query(document.title());
    search.set_commit_token(token);
    v1::SearchPassagesResponse found;
    const grpc::Status searched = replica.stub->SearchPassages(&search_context, search, &found);
    ASSERT_TRUE(searched.ok()) << searched.error_message();
    ASSERT_GE(found.results_size(), 1);
    EXPECT_EQ(found.results(0).passage().document(), new_name);
  }
  // Let the client run across the swap a little longer, then stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  client.join();
  std::printf("snapshot swap: %lld calls across 2 replicas, %lld failed\n",
              static_cast<long long>(calls.load()), static_cast<long long>(failures.load()));
  EXPECT_GT(calls.load(), 20);
  EXPECT_EQ(failures.load(), 0) << first_failure;

  for (Replica& replica : replicas) {
    EXPECT_NE(replica.process->Log().find("serving snapshot " + std::to_string(second_id)),
              std::string::npos);
    // The previous snapshot's files go once no request holds them.
    EXPECT_TRUE(Eventually([&] {
      return !std::filesystem::exists(replica.restore_dir + "/" + std::to_string(first_id));
    }));
  }
}

TEST(SnapshotTest, ReplicaIsNotServingUntilASnapshotExists) {
  TempDir temp;
  ServerProcess query(BIOCORPUS_QUERY_BINARY,
                      {"--listen=127.0.0.1:0", "--mode=snapshot",
                       "--snapshot_dir=" + temp.path() + "/none",
                       "--restore_dir=" + temp.path() + "/restore", "--snapshot_poll_ms=50"},
                      temp.path() + "/query.log");
  ASSERT_TRUE(query.Start()) << query.error();
  auto channel = grpc::CreateChannel(query.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  v1::ListDocumentsRequest request;
  v1::ListDocumentsResponse response;
  EXPECT_EQ(stub->ListDocuments(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(SnapshotTest, PublishWithoutSnapshotDirectoryIsFailedPrecondition) {
  ServicePair pair;
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();
  grpc::ClientContext context;
  v1::PublishSnapshotResponse published;
  const grpc::Status status =
      pair.ingest().PublishSnapshot(&context, v1::PublishSnapshotRequest(), &published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("--snapshot_dir"), std::string::npos);
}

}  // namespace
}  // namespace biocorpus::testing
