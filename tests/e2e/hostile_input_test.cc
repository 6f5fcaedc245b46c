// Hostile input over gRPC: every document in tests/fixtures/hostile, and a
// few too large to keep in the repository (made here), is refused with a
// clear status or ingested correctly; the ingest server never crashes, and
// its peak resident memory stays bounded. Prints the peak.

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

// Peak resident set size of a process, in KiB (VmHWM).
long PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(HostileInputTest, EveryHostileDocumentIsRefusedOrIngestedAndTheServerSurvives) {
  ServicePair pair;
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();
  std::vector<std::pair<std::string, std::string>> documents;
  for (const std::string& file : FilesUnder(std::string(BIOCORPUS_FIXTURES_DIR) + "/hostile")) {
    documents.emplace_back(file.substr(file.rfind('/') + 1), ReadFile(file));
  }
  std::string deep = "---\ntitle: Deep\n---\n";
  for (int i = 0; i < 1000000; ++i) deep += "<div>";
  documents.emplace_back("a million nested <div>s", deep);
  std::string deep_inline = "---\ntitle: Deep inline\n---\n<p>";
  for (int i = 0; i < 300000; ++i) deep_inline += "<b><i>";
  documents.emplace_back("600,000 nested inline tags", deep_inline);
  documents.emplace_back("a 100 MB single line", "TITLE=" + std::string(100 << 20, 'x'));
  documents.emplace_back("15 MB of one citation field",
                         "TITLE=" + std::string(15 << 20, 'y') + " DOI=10.5555/huge");
  std::string links = "---\ntitle: Links\nfrom: https://example.org/\n---\n<p>";
  for (int i = 0; i < 100000; ++i) links += "<a href=\"/l" + std::to_string(i) + "\">a</a> ";
  documents.emplace_back("100,000 links in one paragraph", links);
  ASSERT_GE(documents.size(), 15u);

  auto health = grpc::health::v1::Health::NewStub(pair.ingest_channel());
  int refused = 0, ingested = 0;
  for (const auto& [name, content] : documents) {
    SCOPED_TRACE(name);
    v1::IngestDocumentResponse response;
    const grpc::Status status = pair.Ingest(content, &response, name);
    if (status.ok()) {
      ++ingested;
      EXPECT_FALSE(response.document().name().empty());
    } else {
      ++refused;
      EXPECT_THAT(status.error_code(),
                  ::testing::AnyOf(grpc::StatusCode::INVALID_ARGUMENT,
                                   grpc::StatusCode::RESOURCE_EXHAUSTED))
          << status.error_message();
      EXPECT_FALSE(status.error_message().empty());
    }
    // Still alive and serving.
    ASSERT_EQ(kill(pair.ingest_process().pid(), 0), 0) << "the ingest server died";
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse serving;
    ASSERT_TRUE(health->Check(&context, request, &serving).ok());
    std::printf("  %-40s %s\n", name.c_str(),
                status.ok() ? "ingested" : status.error_message().substr(0, 90).c_str());
  }
  const long peak_kib = PeakRssKib(pair.ingest_process().pid());
  std::printf("hostile input: %zu documents tried, %d refused, %d ingested, ingest peak RSS "
              "%.1f MiB\n",
              documents.size(), refused, ingested, peak_kib / 1024.0);
  EXPECT_GT(refused, 10);
  // Nothing refused was written: only the ingested documents are stored.
  ASSERT_TRUE(pair.StartQuery()) << pair.error();
  grpc::ClientContext list_context;
  v1::ListDocumentsRequest list;
  list.set_page_size(1000);
  v1::ListDocumentsResponse stored;
  ASSERT_TRUE(pair.query().ListDocuments(&list_context, list, &stored).ok());
  EXPECT_EQ(stored.documents_size(), ingested);
  EXPECT_GT(peak_kib, 0);
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer's shadow memory and quarantine about triple the heap.
  constexpr long kBoundKib = 3L * 1024 * 1024;
#else
  constexpr long kBoundKib = 1024L * 1024;
#endif
  EXPECT_LT(peak_kib, kBoundKib) << "peak RSS over " << kBoundKib / 1024 << " MiB";
}

}  // namespace
}  // namespace biocorpus::testing
