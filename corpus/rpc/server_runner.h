#ifndef BIOCORPUS_CORPUS_RPC_SERVER_RUNNER_H_
#define BIOCORPUS_CORPUS_RPC_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/rpc/completion_queue_serving.h"
#include "corpus/rpc/health_service.h"
#include "corpus/rpc/metrics.h"

namespace biocorpus {

struct ServerRunnerOptions {
  // The program name used in log lines and the "listening on" line.
  std::string program;
  // HOST:PORT to listen on; port 0 picks a free port.
  std::string listen = "127.0.0.1:0";
  // Plaintext, TLS or mutual TLS (see ServerCredentialsFromFiles); null
  // means plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Largest request message accepted, in bytes.
  int max_receive_message_bytes = 64 << 20;
  // Most threads the server may use for calls (the sync server adds threads
  // as calls arrive; this bounds them).
  int max_threads = 64;
  // On SIGTERM / SIGINT: how long to keep serving after health turns
  // NOT_SERVING, so that load balancers stop sending calls first.
  int drain_ms = 0;
  // Closes each connection gracefully after this long (GOAWAY, with as long
  // again for calls in flight), so that clients re-resolve the service name
  // and spread over replicas added since; 0 keeps connections open.
  int max_connection_age_ms = 0;
  // When set, every call is counted and timed in it (and failed calls
  // logged); it must outlive the runner.
  Metrics* metrics = nullptr;
  // With `metrics`: HOST:PORT to serve GET /metrics on (port 0 picks one);
  // empty serves no endpoint. Start() prints "<program> metrics on
  // HOST:PORT" before the "listening on" line.
  std::string metrics_listen;
  // When set, the services' async methods, and health checks, are served
  // from its completion queues (see completion_queue_serving.h); it must
  // outlive the runner. Without it health checks get one queue thread of
  // the runner's own.
  CompletionQueueServing* completion_queues = nullptr;
};

// A gRPC server with the project's services plus grpc.health.v1 (every
// service NOT_SERVING until SetServing says otherwise) and server reflection.
// Start() prints "<program> listening on HOST:PORT" on stdout,
// the line scripts and tests wait for.
class ServerRunner {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread (and so in every thread
  // it starts later), so that WaitForShutdownSignal() can receive them. Call
  // first thing in main().
  static void BlockShutdownSignals();

  // Builds and starts the server. `services` must outlive it.
  static absl::StatusOr<std::unique_ptr<ServerRunner>> Start(
      const ServerRunnerOptions& options,
      const std::vector<grpc::Service*>& services);

  // The metrics endpoint's HOST:PORT, or "" when there is none.
  std::string metrics_address() const {
    return metrics_server_ == nullptr ? "" : metrics_server_->address();
  }

  // The bound address, HOST:PORT with the real port.
  const std::string& address() const { return address_; }

  // Sets the health status of `service` ("" is the whole server).
  void SetServing(const std::string& service, bool serving);

  // Blocks until SIGINT or SIGTERM, then reports NOT_SERVING on every health
  // check and watch, keeps serving for drain_ms, and shuts the server down,
  // letting calls in flight finish for up to five seconds.
  void WaitForShutdownSignal();

  // What WaitForShutdownSignal does after the signal: NOT_SERVING, drain,
  // shut down. Idempotent.
  void Shutdown();

  // A channel to the server within this process (tests).
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Shuts down as Shutdown() does when it was not called.
  ~ServerRunner();

 private:
  ServerRunner() = default;
  HealthService health_;
  std::unique_ptr<MetricsServer> metrics_server_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<CompletionQueueServing> own_queues_;
  CompletionQueueServing* completion_queues_ = nullptr;
  std::string address_;
  std::string program_;
  int drain_ms_ = 0;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_SERVER_RUNNER_H_
