#ifndef BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVER_H_
#define BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/rpc/metrics.h"
#include "corpus/rpc/server_runner.h"
#include "query_service/server/query_service_impl.h"
#include "query_service/snapshot/snapshot_follower.h"

namespace biocorpus {

// Everything biocorpus-query is configured with; its flags map onto these
// fields one for one.
struct QueryServerOptions {
  // "secondary": follow the primary in data_dir on this machine;
  // "snapshot": serve the newest snapshot published in snapshot_dir.
  std::string mode = "secondary";
  // Secondary mode: the ingest service's data directory.
  std::string data_dir;
  // Snapshot mode: the directory the ingest service publishes to.
  std::string snapshot_dir;
  // Snapshot mode: where snapshots are restored (emptied at start); empty:
  // a new directory under the system temp directory, removed at the end.
  std::string restore_dir;
  int snapshot_poll_ms = 5000;
  // Secondary mode: the secondary instance's own directory; empty: as
  // restore_dir.
  std::string secondary_dir;
  int catch_up_interval_ms = 100;
  // Secondary mode: opens the secondary anew this often (seconds; 0: never)
  // and swaps it in as a snapshot replica is, so that the table files the
  // primary deleted are let go (an idle server thread keeps the version it
  // last read, and with it those files, open: docs/durability.md).
  int secondary_reopen_s = 300;
  // The gRPC server; `metrics` and `max_receive_message_bytes` are set by
  // Start.
  ServerRunnerOptions server;
  // Services served beside the query service (biocorpus-query-bench's
  // canned-response floor); they must outlive the server.
  std::vector<grpc::Service*> extra_services;
  // Adds the extra services' async methods to the query service's queues.
  std::vector<std::function<void(CompletionQueueServing*)>> extra_async_methods;
  // Threads answering from completion queues (0: one per core).
  int serving_threads = 0;
};

// A running query service: NOT_SERVING until its database is open (the
// primary may not have created it yet; no snapshot may be published yet),
// then SERVING.
class QueryServer {
 public:
  // Checks the options (InvalidArgument naming the field), starts serving,
  // and opens the database in the background.
  static absl::StatusOr<std::unique_ptr<QueryServer>> Start(QueryServerOptions options);

  ~QueryServer();

  const std::string& address() const { return server_->address(); }
  ServerRunner& runner() { return *server_; }
  // Secondary mode: how many times the secondary was opened anew.
  // The completion queues the query methods are answered from.
  const CompletionQueueServing& serving() const { return *queues_; }
  uint64_t secondaries_reopened() const { return reopened_.load(); }

  // Blocks until SIGINT or SIGTERM (see ServerRunner), then Stop().
  void WaitForShutdown();

  // Stops serving, stops following, closes the database. Idempotent.
  void Stop();

 private:
  QueryServer() = default;
  // Opens the secondary, retrying until the primary has created the
  // database or the server stops; then opens it anew every `reopen_s`
  // seconds (0: never).
  void OpenWhenReady(ReplicaOptions options, int reopen_s);
  void Serve(std::shared_ptr<Replica> replica);

  QueryServerOptions options_;
  bool remove_own_dir_ = false;
  std::string own_dir_;
  Metrics metrics_;
  QueryServiceImpl service_;
  std::unique_ptr<CompletionQueueServing> queues_;  // Outlives server_.
  std::unique_ptr<ServerRunner> server_;
  std::atomic<bool> stopping_{false};
  std::thread opener_;
  std::atomic<uint64_t> reopened_{0};  // Secondaries opened anew and swapped in.
  std::unique_ptr<SnapshotFollower> follower_;
  std::atomic<SnapshotFollower*> follower_for_metrics_{nullptr};
  bool stopped_ = false;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_SERVER_QUERY_SERVER_H_
