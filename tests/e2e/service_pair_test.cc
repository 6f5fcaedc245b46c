// End to end: the real biocorpus-ingest and biocorpus-query binaries on free
// loopback ports over one temporary data directory, driven over gRPC.
//
// Long (one fixture, one server pair, many short cases): splitting it would
// start the servers once more per file.

#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <thread>
#include <set>
#include <string>
#include <vector>

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kRecord[] =
    "AUTHOR=Ode Ama, Berg Lars TITLE=Containment Levels Compared JOURNAL=Test "
    "Journal YEAR=2020 DOI=10.5555/test.{N} ABSTRACT=Laboratories compare "
    "containment levels {N}.";

std::string Record(int n, const std::string& abstract_suffix = "") {
  std::string text = kRecord;
  for (size_t pos; (pos = text.find("{N}")) != std::string::npos;) {
    text.replace(pos, 3, std::to_string(n));
  }
  return text + abstract_suffix;
}

class ServicePairTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pair_.Start()) << pair_.error(); }

  // Waits until the query service serves `name`.
  bool Served(const std::string& name, v1::Document* out = nullptr) {
    return Eventually([&] {
      grpc::ClientContext context;
      v1::GetDocumentRequest request;
      request.set_name(name);
      v1::Document document;
      const bool ok = pair_.query().GetDocument(&context, request, &document).ok();
      if (ok && out != nullptr) *out = document;
      return ok;
    });
  }

  // Every document the query service lists, page by page. Fails the test
  // when a call fails.
  std::vector<v1::Document> AllDocuments(int page_size) {
    std::vector<v1::Document> all;
    v1::ListDocumentsRequest request;
    request.set_page_size(page_size);
    for (int pages = 0; pages < 1000; ++pages) {
      grpc::ClientContext context;
      v1::ListDocumentsResponse response;
      EXPECT_TRUE(pair_.query().ListDocuments(&context, request, &response).ok());
      EXPECT_LE(response.documents_size(), page_size);
      all.insert(all.end(), response.documents().begin(),
                 response.documents().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  ServicePair pair_;
};

TEST_F(ServicePairTest, IngestsTheSampleCorpusAndServesEveryDocument) {
  const std::vector<std::string> files = FilesUnder(BIOCORPUS_SAMPLES_DIR);
  ASSERT_GE(files.size(), 6u);
  grpc::ClientContext context;
  auto stream = pair_.ingest().IngestDocuments(&context);
  for (const std::string& file : files) {
    v1::IngestDocumentRequest request;
    request.set_content(ReadFile(file));
    request.set_source_uri(file);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::map<std::string, v1::IngestDocumentResponse> ingested;
  std::map<v1::DocumentFormat, int> per_format;
  v1::IngestDocumentsResponse response;
  int64_t expected_index = 0;
  while (stream->Read(&response)) {
    SCOPED_TRACE(response.source_uri());
    EXPECT_EQ(response.index(), expected_index++);
    ASSERT_TRUE(response.has_result()) << response.error().message();
    EXPECT_EQ(response.result().status(), v1::IngestDocumentResponse::CREATED);
    EXPECT_GT(response.result().passage_count(), 0);
    EXPECT_FALSE(response.result().commit_token().empty());
    ++per_format[response.result().document().format()];
    ingested[response.result().document().name()] = response.result();
  }
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(ingested.size(), files.size());
  EXPECT_GE(per_format[v1::CITATION_RECORD], 2);
  EXPECT_GE(per_format[v1::MIRRORED_ARTICLE], 2);
  EXPECT_GE(per_format[v1::PLAIN_ABSTRACT], 2);

  for (const auto& [name, result] : ingested) {
    SCOPED_TRACE(name);
    v1::Document served;
    ASSERT_TRUE(Served(name, &served));
    EXPECT_EQ(served.title(), result.document().title());
    EXPECT_EQ(served.content_sha256(), result.document().content_sha256());
    EXPECT_EQ(served.passage_count(), result.passage_count());

    grpc::ClientContext passages_context;
    v1::ListPassagesRequest request;
    request.set_parent(name);
    v1::ListPassagesResponse passages;
    ASSERT_TRUE(pair_.query().ListPassages(&passages_context, request, &passages).ok());
    ASSERT_EQ(passages.passages_size(), result.passage_count());
    for (int i = 0; i < passages.passages_size(); ++i) {
      EXPECT_EQ(passages.passages(i).ordinal(), i);
      EXPECT_EQ(passages.passages(i).document(), name);
      EXPECT_FALSE(passages.passages(i).text().empty());
    }
  }
  EXPECT_EQ(AllDocuments(50).size(), files.size());
}

TEST_F(ServicePairTest, DocumentIngestedAfterTheQueryServiceStartedIsServed) {
  // The query service is already running; nothing was stored when it opened.
  v1::IngestDocumentResponse ingested;
  ASSERT_TRUE(pair_.Ingest(Record(1), &ingested).ok());
  v1::Document served;
  ASSERT_TRUE(Served(ingested.document().name(), &served));
  EXPECT_EQ(served.title(), "Containment Levels Compared");
  EXPECT_EQ(served.doi(), "10.5555/test.1");
  ASSERT_EQ(served.authors_size(), 2);
  EXPECT_EQ(served.authors(0).family(), "Ode");
}

TEST_F(ServicePairTest, SameDocumentIsUnchangedAndAChangedOneIsUpdated) {
  v1::IngestDocumentResponse first, second, third;
  {
    const grpc::Status s = pair_.Ingest(Record(2), &first);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(first.status(), v1::IngestDocumentResponse::CREATED);
  ASSERT_TRUE(pair_.Ingest(Record(2), &second).ok());
  EXPECT_EQ(second.status(), v1::IngestDocumentResponse::UNCHANGED);
  ASSERT_TRUE(pair_.Ingest(Record(2, " A new closing sentence."), &third).ok());
  EXPECT_EQ(third.status(), v1::IngestDocumentResponse::UPDATED);
  EXPECT_EQ(first.document().name(), second.document().name());
  EXPECT_EQ(first.document().name(), third.document().name());

  // Served once, with the new text.
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::ListPassagesRequest request;
    request.set_parent(third.document().name());
    v1::ListPassagesResponse response;
    return pair_.query().ListPassages(&context, request, &response).ok() &&
           response.passages_size() == 2 &&
           response.passages(1).text().find("new closing") != std::string::npos;
  }));
  EXPECT_EQ(AllDocuments(10).size(), 1u);
}

TEST_F(ServicePairTest, BadDocumentIsRefusedAndWritesNothing) {
  v1::IngestDocumentResponse response;
  grpc::Status status =
      pair_.Ingest("AUTHOR=Someone Else YEAR=2020 ABSTRACT=No title here.", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("neither TITLE nor DOI"));
  status = pair_.Ingest("", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  status = pair_.Ingest(std::string("TITLE=x\xff\xfe", 9), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("byte 7"));

  status = pair_.Ingest("---\ntitle: Never closed\n<p>body</p>\n", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("line 1"));
  // Just over the 16 MiB default limit: refused by the parser, naming it.
  status = pair_.Ingest("TITLE=" + std::string((16 << 20) - 5, 'a'), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("max_document_bytes"));
  // Far over it: refused by gRPC's message size limit, with the same code.
  status = pair_.Ingest(std::string(24 << 20, 'a'), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  // A good document after them is served, and it is the only one.
  ASSERT_TRUE(pair_.Ingest(Record(3), &response).ok());
  ASSERT_TRUE(Served(response.document().name()));
  EXPECT_EQ(AllDocuments(10).size(), 1u);
}

TEST_F(ServicePairTest, StreamGoesOnPastABadDocument) {
  grpc::ClientContext context;
  auto stream = pair_.ingest().IngestDocuments(&context);
  const std::vector<std::string> contents = {Record(4), "   \n\t", Record(5)};
  for (const std::string& content : contents) {
    v1::IngestDocumentRequest request;
    request.set_content(content);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::vector<v1::IngestDocumentsResponse> results;
  v1::IngestDocumentsResponse response;
  while (stream->Read(&response)) results.push_back(response);
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].has_result());
  ASSERT_TRUE(results[1].has_error());
  EXPECT_EQ(results[1].error().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(results[1].error().message(), HasSubstr("empty"));
  EXPECT_TRUE(results[2].has_result());
  EXPECT_EQ(results[2].index(), 2);
}

TEST_F(ServicePairTest, AStreamAppliesItsDocumentsInOrder) {
  // Many versions of one record among others: parsed in parallel, written in
  // stream order, so every answer follows from the one before and the last
  // version is the one stored.
  constexpr int kVersions = 40;
  grpc::ClientContext context;
  auto stream = pair_.ingest().IngestDocuments(&context);
  std::thread writer([&] {
    for (int v = 0; v < kVersions; ++v) {
      v1::IngestDocumentRequest request;
      request.set_content(Record(7, " Version " + std::to_string(v / 2) + "."));
      if (!stream->Write(request)) break;
      request.set_content(Record(100 + v));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  std::vector<v1::IngestDocumentsResponse> results;
  v1::IngestDocumentsResponse response;
  while (stream->Read(&response)) results.push_back(response);
  writer.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(results.size(), 2u * kVersions);
  uint64_t last_token = 0;
  for (int i = 0; i < 2 * kVersions; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(results[i].index(), i);
    ASSERT_TRUE(results[i].has_result()) << results[i].error().message();
    const uint64_t token = std::stoull(results[i].result().commit_token());
    EXPECT_GE(token, last_token);
    last_token = token;
    if (i % 2 == 1) {
      EXPECT_EQ(results[i].result().status(), v1::IngestDocumentResponse::CREATED);
    } else if (i == 0) {
      EXPECT_EQ(results[i].result().status(), v1::IngestDocumentResponse::CREATED);
    } else {
      // Each version comes twice in a row: new, then the same again.
      EXPECT_EQ(results[i].result().status(), (i / 2) % 2 == 0 ? v1::IngestDocumentResponse::UPDATED : v1::IngestDocumentResponse::UNCHANGED);
    }
  }
  // Read at the stream's last commit, then everything written is there.
  grpc::ClientContext passages_context;
  v1::ListPassagesRequest request;
  request.set_parent(results[0].result().document().name());
  request.set_commit_token(results.back().result().commit_token());
  v1::ListPassagesResponse passages;
  ASSERT_TRUE(pair_.query().ListPassages(&passages_context, request, &passages).ok());
  std::string text;
  for (const v1::Passage& passage : passages.passages()) text += passage.text();
  EXPECT_THAT(text, HasSubstr("Version " + std::to_string((kVersions - 1) / 2) + "."));
  EXPECT_EQ(AllDocuments(100).size(), 1u + kVersions);
}

TEST_F(ServicePairTest, DeleteRemovesTheDocumentAndItsPassages) {
  v1::IngestDocumentResponse ingested;
  ASSERT_TRUE(pair_.Ingest(Record(6), &ingested).ok());
  const std::string name = ingested.document().name();
  ASSERT_TRUE(Served(name));

  grpc::ClientContext context;
  v1::DeleteDocumentRequest request;
  request.set_name(name);
  v1::DeleteDocumentResponse deleted;
  ASSERT_TRUE(pair_.ingest().DeleteDocument(&context, request, &deleted).ok());
  EXPECT_FALSE(deleted.commit_token().empty());

  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext get_context;
    v1::GetDocumentRequest get;
    get.set_name(name);
    v1::Document document;
    return pair_.query().GetDocument(&get_context, get, &document).error_code() ==
           grpc::StatusCode::NOT_FOUND;
  }));
  grpc::ClientContext passages_context;
  v1::ListPassagesRequest passages;
  passages.set_parent(name);
  v1::ListPassagesResponse listed;
  EXPECT_EQ(pair_.query().ListPassages(&passages_context, passages, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext again;
  EXPECT_EQ(pair_.ingest().DeleteDocument(&again, request, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext malformed;
  request.set_name("documents/../../etc");
  EXPECT_EQ(pair_.ingest().DeleteDocument(&malformed, request, &deleted).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServicePairTest, ListDocumentsPagesThroughEverythingOnce) {
  std::set<std::string> names;
  for (int n = 10; n < 17; ++n) {
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair_.Ingest(Record(n), &response).ok());
    names.insert(response.document().name());
  }
  ASSERT_TRUE(Eventually([&] { return AllDocuments(100).size() == 7; }));
  std::set<std::string> paged;
  for (const v1::Document& document : AllDocuments(3)) {
    EXPECT_TRUE(paged.insert(document.name()).second) << "listed twice";
  }
  EXPECT_EQ(paged, names);

  grpc::ClientContext negative_context;
  v1::ListDocumentsRequest negative;
  negative.set_page_size(-1);
  v1::ListDocumentsResponse response;
  grpc::Status status = pair_.query().ListDocuments(&negative_context, negative, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));

  grpc::ClientContext token_context;
  v1::ListDocumentsRequest bad_token;
  bad_token.set_page_token("not-a-token");
  status = pair_.query().ListDocuments(&token_context, bad_token, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));

  grpc::ClientContext filter_context;
  v1::ListDocumentsRequest by_author;
  by_author.set_author("ODE");
  by_author.set_year_min(2020);
  by_author.set_year_max(2020);
  by_author.set_format(v1::CITATION_RECORD);
  ASSERT_TRUE(pair_.query().ListDocuments(&filter_context, by_author, &response).ok());
  EXPECT_EQ(response.documents_size(), 7);
}

TEST_F(ServicePairTest, BothServersAnswerHealthChecksAndReflection) {
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("biocorpus.v1.QueryService");
    grpc::health::v1::HealthCheckResponse response;
    auto health = grpc::health::v1::Health::NewStub(pair_.query_channel());
    return health->Check(&context, request, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }));
  const std::vector<std::pair<std::shared_ptr<grpc::Channel>, std::string>> servers = {
      {pair_.ingest_channel(), "biocorpus.v1.IngestService"},
      {pair_.query_channel(), "biocorpus.v1.QueryService"}};
  for (const auto& [channel, service] : servers) {
    SCOPED_TRACE(service);
    grpc::ClientContext health_context;
    grpc::health::v1::HealthCheckRequest check;
    grpc::health::v1::HealthCheckResponse health;
    ASSERT_TRUE(grpc::health::v1::Health::NewStub(channel)
                    ->Check(&health_context, check, &health)
                    .ok());
    EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);

    // Reflection lists the service and hands out its file descriptor.
    grpc::ClientContext context;
    auto reflection =
        grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    auto stream = reflection->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest list;
    list.set_list_services("");
    ASSERT_TRUE(stream->Write(list));
    grpc::reflection::v1alpha::ServerReflectionResponse listed;
    ASSERT_TRUE(stream->Read(&listed));
    std::vector<std::string> names;
    for (const auto& s : listed.list_services_response().service()) {
      names.push_back(s.name());
    }
    EXPECT_THAT(names, Contains(service));
    EXPECT_THAT(names, Contains("grpc.health.v1.Health"));
    grpc::reflection::v1alpha::ServerReflectionRequest symbol;
    symbol.set_file_containing_symbol(service);
    ASSERT_TRUE(stream->Write(symbol));
    grpc::reflection::v1alpha::ServerReflectionResponse file;
    ASSERT_TRUE(stream->Read(&file));
    EXPECT_GT(file.file_descriptor_response().file_descriptor_proto_size(), 0);
    // The health service is described too, so grpcurl can call it.
    symbol.set_file_containing_symbol("grpc.health.v1.Health");
    ASSERT_TRUE(stream->Write(symbol));
    ASSERT_TRUE(stream->Read(&file));
    EXPECT_GT(file.file_descriptor_response().file_descriptor_proto_size(), 0)
        << file.error_response().error_message();
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
}

TEST(HealthWatchTest, ReportsNotServingWhenTheServerDrains) {
  ServicePair pair_;
  pair_.set_query_args({"--drain_ms=3000"});
  ASSERT_TRUE(pair_.Start()) << pair_.error();
  auto health = grpc::health::v1::Health::NewStub(pair_.query_channel());
  grpc::ClientContext unknown_context;
  grpc::health::v1::HealthCheckRequest unknown;
  unknown.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(health->Check(&unknown_context, unknown, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("biocorpus.v1.QueryService");
  auto watch = health->Watch(&context, request);
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // SIGTERM: the watch hears NOT_SERVING while the server drains, and a
  // check says so too, before the server stops.
  pair_.query_process().Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&response)) << "query log:\n" << pair_.query_process().Log();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  grpc::ClientContext check_context;
  EXPECT_TRUE(health->Check(&check_context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  const int status = pair_.query_process().Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(pair_.query_process().Log(), HasSubstr("draining for 3000 ms"));
}

TEST_F(ServicePairTest, ServersStopCleanlyOnSigtermAndSigint) {
  const int query = pair_.query_process().Stop(SIGINT);
  EXPECT_TRUE(WIFEXITED(query) && WEXITSTATUS(query) == 0) << query;
  EXPECT_THAT(pair_.query_process().Log(), HasSubstr("received SIGINT"));
  const int ingest = pair_.ingest_process().Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(ingest) && WEXITSTATUS(ingest) == 0) << ingest;
  EXPECT_THAT(pair_.ingest_process().Log(), HasSubstr("closed database"));
}

TEST(QueryServiceStartup, ServesOnceTheIngestServiceCreatesTheDatabase) {
  ServicePair pair;
  // The query service starts first, over a directory with no database yet.
  ASSERT_TRUE(pair.StartQuery(/*wait_until_serving=*/false)) << pair.error();
  grpc::ClientContext early;
  v1::ListDocumentsRequest request;
  v1::ListDocumentsResponse response;
  EXPECT_EQ(pair.query().ListDocuments(&early, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();
  v1::IngestDocumentResponse ingested;
  ASSERT_TRUE(pair.Ingest(Record(20), &ingested).ok());
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(ingested.document().name());
    v1::Document document;
    return pair.query().GetDocument(&context, get, &document).ok();
  }));
}

}  // namespace
}  // namespace biocorpus::testing
