#include "query_service/server/query_server.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

constexpr char kServiceName[] = "biocorpus.v1.QueryService";

absl::Status CheckOptions(const QueryServerOptions& o) {
  if (o.mode != "secondary" && o.mode != "snapshot") {
    return absl::InvalidArgumentError(
        absl::StrCat("--mode must be secondary or snapshot, not '", o.mode, "'"));
  }
  if (o.mode == "snapshot" && o.snapshot_dir.empty()) {
    return absl::InvalidArgumentError("--snapshot_dir is required in snapshot mode");
  }
  if (o.mode == "secondary" && o.data_dir.empty()) {
    return absl::InvalidArgumentError("--data_dir is required in secondary mode");
  }
  if (o.catch_up_interval_ms <= 0 || o.snapshot_poll_ms <= 0) {
    return absl::InvalidArgumentError(
        "--catch_up_interval_ms and --snapshot_poll_ms must be positive");
  }
  if (o.serving_threads < 0 || o.serving_threads > 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--serving_threads must be from 0 (one per core) to 256, not ", o.serving_threads));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<QueryServer>> QueryServer::Start(QueryServerOptions options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  auto server = std::unique_ptr<QueryServer>(new QueryServer());
  QueryServer& self = *server;
  const bool snapshot_mode = options.mode == "snapshot";
  // The secondary's (or the restored snapshots') own directory.
  self.own_dir_ = snapshot_mode ? options.restore_dir : options.secondary_dir;
  if (self.own_dir_.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "biocorpus-query-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create a directory under ", std::filesystem::temp_directory_path().string()));
    }
    self.own_dir_ = pattern;
    self.remove_own_dir_ = true;
  }
  self.metrics_.AddCollector([&self](std::string* out) {
    self.service_.AppendMetrics(out);
    if (SnapshotFollower* f = self.follower_for_metrics_.load()) f->AppendMetrics(out);
  });
  ServerRunnerOptions server_options = options.server;
  server_options.metrics = &self.metrics_;
  server_options.max_receive_message_bytes = 4 << 20;
  std::vector<grpc::Service*> services = {&self.service_};
  services.insert(services.end(), options.extra_services.begin(), options.extra_services.end());
  self.queues_ = std::make_unique<CompletionQueueServing>(options.serving_threads);
  self.service_.ServeFrom(self.queues_.get());
  for (const auto& add : options.extra_async_methods) add(self.queues_.get());
  server_options.completion_queues = self.queues_.get();
  absl::StatusOr<std::unique_ptr<ServerRunner>> runner =
      ServerRunner::Start(server_options, services);
  if (!runner.ok()) return runner.status();
  self.server_ = std::move(*runner);
  self.server_->SetServing("", false);
  self.server_->SetServing(kServiceName, false);

  if (snapshot_mode) {
    SnapshotFollowerOptions follower_options;
    follower_options.snapshot_dir = options.snapshot_dir;
    follower_options.restore_dir = self.own_dir_;
    follower_options.poll_interval_ms = options.snapshot_poll_ms;
    absl::StatusOr<std::unique_ptr<SnapshotFollower>> created = SnapshotFollower::Create(
        follower_options,
        [&self](std::shared_ptr<Replica> replica, uint32_t) { self.Serve(std::move(replica)); });
    if (!created.ok()) return created.status();
    self.follower_ = std::move(*created);
    self.follower_for_metrics_ = self.follower_.get();
    spdlog::info("snapshot mode: following {} (restoring into {}); NOT_SERVING until one is "
                 "restored",
                 options.snapshot_dir, self.own_dir_);
    self.follower_->Start();
  } else {
    ReplicaOptions replica_options;
    replica_options.data_dir = options.data_dir;
    replica_options.secondary_dir = self.own_dir_;
    replica_options.catch_up_interval_ms = options.catch_up_interval_ms;
    const int reopen_s = options.secondary_reopen_s;
    self.opener_ = std::thread([&self, replica_options, reopen_s] {
      self.OpenWhenReady(replica_options, reopen_s);
    });
  }
  self.options_ = std::move(options);
  return server;
}

void QueryServer::Serve(std::shared_ptr<Replica> replica) {
  service_.SetReplica(std::move(replica));
  server_->SetServing("", true);
  server_->SetServing(kServiceName, true);
}

namespace {

// A secondary in its own subdirectory `generation` of `dir`, removed when
// the last request using it lets go.
absl::StatusOr<std::shared_ptr<Replica>> OpenGeneration(ReplicaOptions options,
                                                        const std::string& dir,
                                                        uint64_t generation) {
  options.secondary_dir = (std::filesystem::path(dir) / std::to_string(generation)).string();
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(options);
  if (!replica.ok()) return replica.status();
  return ShareRemovingDirectory(std::move(*replica), options.secondary_dir);
}

}  // namespace

void QueryServer::OpenWhenReady(ReplicaOptions options, int reopen_s) {
  bool warned = false;
  uint64_t generation = 0;
  while (!stopping_.load()) {
    absl::StatusOr<std::shared_ptr<Replica>> replica =
        OpenGeneration(options, own_dir_, generation);
    if (replica.ok()) {
      absl::StatusOr<uint64_t> count = (*replica)->reader().DocumentCount();
      spdlog::info("opened {} as a secondary (secondary dir {}, {} documents)", options.data_dir,
                   own_dir_, count.ok() ? *count : 0);
      Serve(std::move(*replica));
      break;
    }
    if (!warned) {
      spdlog::warn("{}; NOT_SERVING until it can be opened", replica.status().ToString());
      warned = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options.catch_up_interval_ms));
  }
  if (reopen_s <= 0) return;
  // Then anew every reopen_s: caught up before it is swapped in, so that no
  // commit token the previous one honoured is refused.
  auto next = std::chrono::steady_clock::now() + std::chrono::seconds(reopen_s);
  while (!stopping_.load()) {
    if (std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    next = std::chrono::steady_clock::now() + std::chrono::seconds(reopen_s);
    absl::StatusOr<std::shared_ptr<Replica>> replica =
        OpenGeneration(options, own_dir_, ++generation);
    absl::Status caught_up = replica.ok() ? (*replica)->CatchUp() : replica.status();
    if (!caught_up.ok()) {
      spdlog::warn("reopening the secondary: {}; serving the open one", caught_up.ToString());
      continue;
    }
    service_.SetReplica(std::move(*replica));
    ++reopened_;
  }
}

QueryServer::~QueryServer() { Stop(); }

void QueryServer::WaitForShutdown() {
  server_->WaitForShutdownSignal();
  Stop();
}

void QueryServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr) server_->Shutdown();
  stopping_ = true;
  if (opener_.joinable()) opener_.join();
  follower_for_metrics_ = nullptr;
  follower_.reset();
  service_.SetReplica(nullptr);
  if (remove_own_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(own_dir_, ignored);
  }
  spdlog::info("closed {}", options_.mode == "snapshot" ? options_.snapshot_dir : options_.data_dir);
}

}  // namespace biocorpus
