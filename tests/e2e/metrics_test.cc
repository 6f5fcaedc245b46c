// Operability: both servers' Prometheus endpoints scraped over HTTP after
// real traffic (calls per method and code, latency histograms, corpus and
// RocksDB gauges, bytes ingested, the query service's catch-up age), and
// their logs: one line per ingested document and per failed request, and
// never the token.

#include <httplib.h>

#include <map>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

std::string MetricsAddress(const ServerProcess& process) {
  const std::string& out = process.startup_output();
  const size_t marker = out.find(" metrics on ");
  if (marker == std::string::npos) return "";
  const size_t start = marker + 12;
  return out.substr(start, out.find('\n', start) - start);
}

// Series (name with labels) to value, from a scrape.
std::map<std::string, double> Scrape(const std::string& address, std::string* text = nullptr) {
  std::map<std::string, double> series;
  const size_t colon = address.rfind(':');
  httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
  auto response = client.Get("/metrics");
  if (!response || response->status != 200) return series;
  EXPECT_NE(response->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  if (text != nullptr) *text = response->body;
  std::istringstream lines(response->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    series[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return series;
}

std::string Record(int n) {
  return "AUTHOR=Metrics Test TITLE=Biosafety metrics record " + std::to_string(n) +
         " YEAR=2024 DOI=10.5555/metrics." + std::to_string(n) +
         " ABSTRACT=Laboratory biosafety and biosecurity oversight, part " + std::to_string(n) + ".";
}

TEST(MetricsTest, BothServersExposeCallsCorpusAndStorageMetrics) {
  ServicePair pair;
  pair.set_ingest_args({"--metrics_listen=127.0.0.1:0"});
  pair.set_query_args({"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(pair.Start()) << pair.error();
  const std::string ingest_metrics = MetricsAddress(pair.ingest_process());
  const std::string query_metrics = MetricsAddress(pair.query_process());
  ASSERT_FALSE(ingest_metrics.empty()) << pair.ingest_process().startup_output();
  ASSERT_FALSE(query_metrics.empty()) << pair.query_process().startup_output();

  double bytes = 0;
  std::string name;
  for (int n = 0; n < 2; ++n) {
    v1::IngestDocumentResponse response;
    ASSERT_TRUE(pair.Ingest(Record(n), &response).ok());
    bytes += static_cast<double>(Record(n).size());
    name = response.document().name();
  }
  v1::IngestDocumentResponse refused;
  EXPECT_EQ(pair.Ingest("", &refused).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  {
    // A wrong token: refused, and logged without the token.
    auto channel = grpc::CreateChannel(pair.ingest_process().address(),
                                       grpc::InsecureChannelCredentials());
    auto stub = v1::IngestService::NewStub(channel);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer wrong-secret-1234");
    v1::IngestDocumentRequest request;
    request.set_content(Record(9));
    v1::IngestDocumentResponse response;
    EXPECT_EQ(stub->IngestDocument(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }

  const std::string ingest_method = "method=\"/biocorpus.v1.IngestService/IngestDocument\"";
  std::string text;
  std::map<std::string, double> ingest = Scrape(ingest_metrics, &text);
  EXPECT_EQ(ingest["biocorpus_grpc_requests_total{" + ingest_method + ",code=\"OK\"}"], 2) << text;
  EXPECT_EQ(ingest["biocorpus_grpc_errors_total{" + ingest_method + ",code=\"INVALID_ARGUMENT\"}"],
            1);
  EXPECT_EQ(ingest["biocorpus_grpc_errors_total{" + ingest_method + ",code=\"PERMISSION_DENIED\"}"],
            1);
  EXPECT_EQ(ingest["biocorpus_grpc_request_duration_seconds_count{" + ingest_method + "}"], 4);
  EXPECT_EQ(ingest["biocorpus_grpc_request_duration_seconds_bucket{" + ingest_method +
                   ",le=\"+Inf\"}"],
            4);
  EXPECT_GT(ingest["biocorpus_grpc_request_duration_seconds_sum{" + ingest_method + "}"], 0);
  EXPECT_EQ(ingest["biocorpus_documents_stored"], 2);
  EXPECT_GE(ingest["biocorpus_passages_stored"], 2);
  EXPECT_GE(ingest["biocorpus_annotations_stored"], 2);
  EXPECT_EQ(ingest["biocorpus_ingested_bytes_total"], bytes);
  EXPECT_EQ(ingest["biocorpus_ingested_documents_total{format=\"CITATION_RECORD\",status=\"CREATED\"}"],
            2);
  EXPECT_EQ(ingest["biocorpus_ingest_refused_documents_total{code=\"INVALID_ARGUMENT\"}"], 1);
  EXPECT_GT(ingest["biocorpus_rocksdb_sequence"], 0);
  EXPECT_TRUE(ingest.count("biocorpus_rocksdb_memtable_bytes"));
  EXPECT_TRUE(ingest.count("biocorpus_rocksdb_estimated_keys"));

  // The query service: its calls, the corpus as it sees it, its lag bound.
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(name);
    v1::Document document;
    return pair.query().GetDocument(&context, request, &document).ok();
  }));
  {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name("documents/0000000000000000");
    v1::Document document;
    EXPECT_EQ(pair.query().GetDocument(&context, request, &document).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  const std::string get_method = "method=\"/biocorpus.v1.QueryService/GetDocument\"";
  std::map<std::string, double> query = Scrape(query_metrics, &text);
  EXPECT_GE(query["biocorpus_grpc_requests_total{" + get_method + ",code=\"OK\"}"], 1) << text;
  // At least the miss above (the wait for the catch-up may add more).
  EXPECT_GE(query["biocorpus_grpc_errors_total{" + get_method + ",code=\"NOT_FOUND\"}"], 1);
  EXPECT_EQ(query["biocorpus_documents_stored"], 2);
  ASSERT_TRUE(query.count("biocorpus_query_catch_up_age_seconds"));
  EXPECT_GE(query["biocorpus_query_catch_up_age_seconds"], 0);
  EXPECT_LT(query["biocorpus_query_catch_up_age_seconds"], 5);

  // Logs: a line per document and per failed request, never a token.
  const std::string ingest_log = pair.ingest_process().Log();
  EXPECT_NE(ingest_log.find("ingest id=" + name + " format=CITATION_RECORD status=CREATED"),
            std::string::npos)
      << ingest_log;
  EXPECT_NE(ingest_log.find("request failed method=/biocorpus.v1.IngestService/IngestDocument "
                            "code=PERMISSION_DENIED"),
            std::string::npos);
  EXPECT_NE(ingest_log.find("code=INVALID_ARGUMENT"), std::string::npos);
  EXPECT_EQ(ingest_log.find("wrong-secret-1234"), std::string::npos);
  EXPECT_EQ(ingest_log.find(pair.token()), std::string::npos);
  EXPECT_NE(pair.query_process().Log().find(
                "request failed method=/biocorpus.v1.QueryService/GetDocument code=NOT_FOUND"),
            std::string::npos);
}

TEST(MetricsTest, LogLevelFlagSilencesInfoLines) {
  ServicePair pair;
  pair.set_ingest_args({"--log_level=warn"});
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();
  v1::IngestDocumentResponse response;
  ASSERT_TRUE(pair.Ingest(Record(1), &response).ok());
  v1::IngestDocumentResponse refused;
  EXPECT_FALSE(pair.Ingest("", &refused).ok());
  const std::string log = pair.ingest_process().Log();
  EXPECT_EQ(log.find("ingest id="), std::string::npos) << log;
  EXPECT_NE(log.find("code=INVALID_ARGUMENT"), std::string::npos) << log;
}

}  // namespace
}  // namespace biocorpus::testing
