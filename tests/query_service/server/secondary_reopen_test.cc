// A secondary lets go of the files the primary compacted away: the query
// service opens its secondary anew every --secondary_reopen_s, so that the
// versions idle server threads keep (and the deleted table files with them)
// are dropped. The primary is a database of this process, written, flushed
// and compacted round after round while the query service serves reads on
// several threads.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/storage/corpus_db.h"
#include "gtest/gtest.h"
#include "query_service/server/query_server.h"
#include "rocksdb/write_batch.h"
#include "tests/support/server_process.h"

namespace biocorpus {
namespace {

// Open descriptors of this process on files that were deleted.
int DeletedFilesOpen() {
  int deleted = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.find(" (deleted)") != std::string::npos) ++deleted;
  }
  return deleted;
}

TEST(SecondaryReopenTest, DeletedTableFilesAreLetGoOnceTheSecondaryIsOpenedAnew) {
  testing::TempDir temp;
  CorpusDbOptions primary_options;
  primary_options.path = temp.path() + "/db";
  absl::StatusOr<std::unique_ptr<CorpusDb>> primary = CorpusDb::Open(primary_options);
  ASSERT_TRUE(primary.ok()) << primary.status();
  CorpusDb& db = **primary;

  QueryServerOptions options;
  options.data_dir = primary_options.path;
  options.secondary_dir = temp.path() + "/secondary";
  options.catch_up_interval_ms = 10;
  options.secondary_reopen_s = 2;
  options.server.program = "biocorpus-query";
  options.server.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<QueryServer>> server = QueryServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::QueryService::NewStub((*server)->runner().InProcessChannel());
  auto list = [&] {
    grpc::ClientContext context;
    v1::ListDocumentsRequest request;
    request.set_page_size(1000);
    v1::ListDocumentsResponse response;
    const grpc::Status status = stub->ListDocuments(&context, request, &response);
    return status.ok() ? response.documents_size() : -1;
  };

  const int before = DeletedFilesOpen();
  int most_held = 0;
  for (int round = 0; round < 24; ++round) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 50; ++i) {
      v1::Document document;
      const std::string id = absl::StrFormat("%016x", i);
      document.set_name("documents/" + id);
      document.set_title(absl::StrCat("Round ", round));
      batch.Put(db.families().documents, id, document.SerializeAsString());
    }
    ASSERT_TRUE(db.Write(&batch, /*sync=*/false).ok());
    ASSERT_TRUE(db.db()->Flush(rocksdb::FlushOptions(), db.families().documents).ok());
    if (round % 4 == 3) {
      ASSERT_TRUE(db.db()
                      ->CompactRange(rocksdb::CompactRangeOptions(), db.families().documents,
                                     nullptr, nullptr)
                      .ok());
    }
    // Reads on several server threads, which then sit idle.
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&] {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (list() != 50 && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      });
    }
    for (std::thread& t : clients) t.join();
    most_held = std::max(most_held, DeletedFilesOpen() - before);
  }
  // Once the secondary has been opened anew (twice, so that the one open
  // during the rounds is gone), nothing deleted stays open.
  const uint64_t reopened = (*server)->secondaries_reopened();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*server)->secondaries_reopened() < reopened + 2 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE((*server)->secondaries_reopened(), reopened + 2);
  EXPECT_EQ(list(), 50);
  const int held = DeletedFilesOpen() - before;
  std::printf("secondary: up to %d deleted files held open during the rounds, %d after "
              "reopening\n",
              most_held, held);
  EXPECT_LE(held, 1);
  (*server)->Stop();
  EXPECT_TRUE(db.Close().ok());
}

}  // namespace
}  // namespace biocorpus
