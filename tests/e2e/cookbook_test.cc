// The README's grpcurl cookbook, run: every command in it goes through a
// client that knows the API only by reflection (grpc.reflection.v1, no
// proto files of the project), against the real servers, and each answer is
// checked. Every RPC of both services must have a command, so the cookbook
// cannot fall behind the API.

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/reflection_client.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

struct CookbookCall {
  std::string line;
  bool ingest = false;
  bool with_token = false;
  std::string method;  // "list" for grpcurl's list
  std::string data;
};

// The grpcurl commands of the README's cookbook section, in order.
std::vector<CookbookCall> ReadCookbook() {
  std::ifstream in(BIOCORPUS_README);
  std::vector<CookbookCall> calls;
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("### grpcurl cookbook", 0) == 0) {
      in_section = true;
      continue;
    }
    if (in_section && line.rfind("#", 0) == 0 && line.rfind("# ", 0) != 0) break;
    if (!in_section || line.rfind("grpcurl ", 0) != 0) continue;
    CookbookCall call;
    call.line = line;
    call.ingest = line.find("$INGEST") != std::string::npos;
    call.with_token = line.find("-H \"authorization: Bearer $TOKEN\"") != std::string::npos;
    std::smatch match;
    if (std::regex_search(line, match, std::regex("-d '([^']*)'"))) call.data = match[1];
    call.method = line.substr(line.find_last_of(' ') + 1);
    calls.push_back(call);
  }
  return calls;
}

std::string Compact(const std::string& json) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"' && (i == 0 || json[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\n')) continue;
    out += c;
  }
  return out;
}

// What each call's answer must hold (compact JSON substrings).
const std::map<std::string, std::vector<std::string>>& Expectations() {
  static const auto* expected = new std::map<std::string, std::vector<std::string>>{
      {"list", {"biocorpus.v1.QueryService", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection"}},
      {"grpc.health.v1.Health/Check", {"\"status\":\"SERVING\""}},
      {"biocorpus.v1.IngestService/IngestDocument",
       {"\"status\":\"CREATED\"", "documents/64f52870ae7137a2"}},
      {"biocorpus.v1.IngestService/IngestDocuments",
       {"documents/291b0b83381b90df", "documents/361119ae880e02b8"}},
      {"biocorpus.v1.IngestService/RetagDocuments", {"\"documentsExamined\":\"3\""}},
      // A stream just stored documents and nudged the publisher, so the
      // snapshot may already exist (created false): either way it has an id
      // and the commit it holds.
      {"biocorpus.v1.IngestService/PublishSnapshot", {"\"snapshotId\":", "\"commitToken\":"}},
      {"biocorpus.v1.QueryService/GetDocument",
       {"Cookbook Record on Laboratory Biosafety Oversight"}},
      {"biocorpus.v1.QueryService/ListDocuments",
       {"documents/64f52870ae7137a2", "documents/291b0b83381b90df"}},
      {"biocorpus.v1.QueryService/ListPassages", {"documents/64f52870ae7137a2/passages/"}},
      {"biocorpus.v1.QueryService/SearchPassages", {"documents/64f52870ae7137a2/passages/"}},
      {"biocorpus.v1.QueryService/ListTags", {"topic/biosafety"}},
      {"biocorpus.v1.QueryService/LookupCitation", {"Reyes", "10.5555/cookbook.2024.1"}},
      {"biocorpus.v1.QueryService/ListCitingPassages", {"documents/291b0b83381b90df"}},
      {"biocorpus.v1.QueryService/ListReferences", {"documents/64f52870ae7137a2"}},
      {"biocorpus.v1.QueryService/CountConcepts", {"\"key\":\"topic/dual-use-research\"", "\"totalPassages\":"}},
      {"biocorpus.v1.QueryService/CooccurringConcepts", {"\"row\":\"topic/", "\"npmi\":"}},
      {"biocorpus.v1.QueryService/SignificantConcepts", {"\"foregroundCount\":", "\"foregroundTotal\":"}},
      {"biocorpus.v1.QueryService/ExportDocuments", {"\"collection\":", "documents/64f52870ae7137a2"}},
      {"biocorpus.v1.IngestService/DeleteDocument", {"\"commitToken\":"}},
  };
  return *expected;
}

TEST(CookbookTest, EveryReadmeCommandWorksThroughReflectionAlone) {
  const std::vector<CookbookCall> calls = ReadCookbook();
  ASSERT_GE(calls.size(), 10u) << "no cookbook found in " << BIOCORPUS_README;

  ServicePair pair;
  pair.set_ingest_args({"--snapshot_dir=" + pair.temp_dir() + "/snapshots",
                        "--snapshot_interval_s=3600"});
  ASSERT_TRUE(pair.Start()) << pair.error();
  ReflectionClient ingest(pair.ingest_channel());
  ReflectionClient query(pair.query_channel());

  std::set<std::string> covered;
  for (const CookbookCall& call : calls) {
    SCOPED_TRACE(call.line.substr(0, 160));
    ReflectionClient& client = call.ingest ? ingest : query;
    const auto expected = Expectations().find(call.method);
    ASSERT_NE(expected, Expectations().end()) << "the test has no expectation for " << call.method;
    covered.insert(call.method);
    std::string answer;
    auto run = [&] {
      if (call.method == "list") {
        answer.clear();
        for (const std::string& service : client.ListServices()) answer += service + "\n";
      } else {
        std::vector<std::pair<std::string, std::string>> headers;
        if (call.with_token) headers.push_back({"authorization", "Bearer " + pair.token()});
        const ReflectionClient::Result result =
            client.Call(call.method, SplitJsonObjects(call.data), headers);
        if (!result.status.ok()) {
          answer = "status " + std::to_string(result.status.error_code()) + ": " +
                   result.status.error_message();
          return false;
        }
        answer.clear();
        for (const std::string& response : result.responses) answer += Compact(response) + "\n";
      }
      for (const std::string& part : expected->second) {
        if (answer.find(part) == std::string::npos) return false;
      }
      return true;
    };
    // Writes are tried once; reads wait for the query service to catch up.
    const bool ok = call.ingest ? run() : Eventually(run, std::chrono::seconds(10));
    EXPECT_TRUE(ok) << "answer: " << answer.substr(0, 2000);
  }

  // Every RPC of both services has a command.
  for (const auto& [client, service] :
       std::vector<std::pair<ReflectionClient*, std::string>>{
           {&ingest, "biocorpus.v1.IngestService"}, {&query, "biocorpus.v1.QueryService"}}) {
    const std::vector<std::string> methods = client->ListMethods(service);
    EXPECT_GE(methods.size(), 4u) << client->error();
    for (const std::string& method : methods) {
      EXPECT_TRUE(covered.count(service + "/" + method))
          << "the README cookbook has no command for " << service << "/" << method;
    }
  }
}

// Older clients (grpcurl 1.8) ask v1alpha; both versions list the same
// services.
TEST(CookbookTest, ReflectionV1AndV1alphaAgree) {
  ServicePair pair;
  ASSERT_TRUE(pair.Start()) << pair.error();
  for (const auto& channel : {pair.ingest_channel(), pair.query_channel()}) {
    ReflectionClient v1(channel);
    std::vector<std::string> listed_v1 = v1.ListServices();
    std::sort(listed_v1.begin(), listed_v1.end());

    auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    grpc::ClientContext context;
    auto stream = stub->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("");
    ASSERT_TRUE(stream->Write(request));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    while (stream->Read(&response)) {
    }
    ASSERT_TRUE(stream->Finish().ok());
    std::vector<std::string> listed_alpha;
    for (const auto& service : response.list_services_response().service()) {
      listed_alpha.push_back(service.name());
    }
    std::sort(listed_alpha.begin(), listed_alpha.end());
    EXPECT_EQ(listed_v1, listed_alpha);
    EXPECT_GE(listed_v1.size(), 4u);
  }
}

}  // namespace
}  // namespace biocorpus::testing
