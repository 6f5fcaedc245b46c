#ifndef BIOCORPUS_TESTS_SUPPORT_SERVICE_PAIR_H_
#define BIOCORPUS_TESTS_SUPPORT_SERVICE_PAIR_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "tests/support/server_process.h"

namespace biocorpus::testing {

// Both real servers on free loopback ports over one temporary data directory,
// with a stub for each.
class ServicePair {
 public:
  ServicePair();

  // Starts biocorpus-ingest, then (if `with_query`) biocorpus-query and waits
  // for the query service to report SERVING. False with error() set when a
  // server does not start.
  bool Start(bool with_query = true);
  // Starts biocorpus-query; with `wait_until_serving`, waits (up to 30 s) for
  // its health check to report SERVING, as a load balancer would.
  bool StartQuery(bool wait_until_serving = true);
  // Stops the ingest service with SIGTERM and starts it again over the same
  // data directory, with `extra_args` replacing the previous extra flags.
  bool RestartIngest(const std::vector<std::string>& extra_args);
  // Extra flags for biocorpus-query; set before StartQuery().
  void set_query_args(std::vector<std::string> args) { query_args_ = std::move(args); }
  // Extra flags for biocorpus-ingest; set before Start().
  void set_ingest_args(std::vector<std::string> args) { ingest_args_ = std::move(args); }
  // Another data directory than the pair's own; set before Start().
  void set_data_dir(std::string dir) { data_dir_ = std::move(dir); }
  // The temporary directory (for files a test writes).
  const std::string& temp_dir() const { return temp_.path(); }

  v1::IngestService::Stub& ingest() { return *ingest_stub_; }
  v1::QueryService::Stub& query() { return *query_stub_; }
  ServerProcess& ingest_process() { return *ingest_; }
  ServerProcess& query_process() { return *query_; }
  std::shared_ptr<grpc::Channel> ingest_channel() { return ingest_channel_; }
  std::shared_ptr<grpc::Channel> query_channel() { return query_channel_; }
  const std::string& data_dir() const { return data_dir_; }
  // The ingest token the pair's ingest service requires.
  const std::string& token() const { return token_; }
  const std::string& error() const { return error_; }

  // IngestDocument with `content`, detected format.
  grpc::Status Ingest(const std::string& content,
                      v1::IngestDocumentResponse* response,
                      const std::string& source_uri = "test");

 private:
  TempDir temp_;
  std::string data_dir_;
  std::string error_;
  std::vector<std::string> ingest_args_;
  std::string token_;
  std::vector<std::string> query_args_;
  std::unique_ptr<ServerProcess> ingest_;
  std::unique_ptr<ServerProcess> query_;
  std::shared_ptr<grpc::Channel> ingest_channel_;
  std::shared_ptr<grpc::Channel> query_channel_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<v1::QueryService::Stub> query_stub_;
};

// Calls `done` until it returns true or `timeout` passes; returns its last
// answer. For waiting on the query service to catch up with the primary.
bool Eventually(const std::function<bool()>& done,
                std::chrono::seconds timeout = std::chrono::seconds(30));

// The contents of a file.
std::string ReadFile(const std::string& path);

// Every regular file under `dir`, sorted.
std::vector<std::string> FilesUnder(const std::string& dir);

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_SUPPORT_SERVICE_PAIR_H_
