#include "corpus/rpc/server_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "corpus/rpc/reflection_v1.h"
#include "spdlog/spdlog.h"

namespace biocorpus {

void ServerRunner::BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

absl::StatusOr<std::unique_ptr<ServerRunner>> ServerRunner::Start(
    const ServerRunnerOptions& options,
    const std::vector<grpc::Service*>& services) {
  // Health checking is our own HealthService (see health_service.h), not
  // gRPC's built-in one.
  grpc::EnableDefaultHealthCheckService(false);
  // Without this call the linker drops the reflection library and reflection
  // silently answers UNIMPLEMENTED.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  // grpc.reflection.v1 next to v1alpha (the plugin above).
  AddReflectionV1(&builder);
  int port = 0;
  builder.AddListeningPort(options.listen,
                           options.credentials != nullptr ? options.credentials
                                                          : grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  if (options.max_connection_age_ms > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               options.max_connection_age_ms);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               options.max_connection_age_ms);
  }
  grpc::ResourceQuota quota(options.program);
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  auto runner = std::unique_ptr<ServerRunner>(new ServerRunner());
  if (options.metrics != nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(MetricsInterceptorFactory(options.metrics));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    if (!options.metrics_listen.empty()) {
      absl::StatusOr<std::unique_ptr<MetricsServer>> metrics_server =
          MetricsServer::Start(options.metrics_listen, options.metrics);
      if (!metrics_server.ok()) return metrics_server.status();
      runner->metrics_server_ = std::move(*metrics_server);
      spdlog::info("{} metrics on http://{}/metrics", options.program,
                   runner->metrics_server_->address());
      std::printf("%s metrics on %s\n", options.program.c_str(),
                  runner->metrics_server_->address().c_str());
    }
  }
  builder.RegisterService(&runner->health_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  CompletionQueueServing* queues = options.completion_queues;
  if (queues == nullptr) {
    runner->own_queues_ = std::make_unique<CompletionQueueServing>(1);
    queues = runner->own_queues_.get();
  }
  runner->health_.ServeFrom(queues);
  queues->AddTo(&builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  runner->server_ = std::move(server);
  runner->completion_queues_ = queues;
  queues->Start();
  runner->program_ = options.program;
  runner->drain_ms_ = options.drain_ms;
  const size_t colon = options.listen.rfind(':');
  runner->address_ =
      absl::StrCat(options.listen.substr(0, colon), ":", port);
  spdlog::info("{} listening on {}", options.program, runner->address_);
  std::printf("%s listening on %s\n", options.program.c_str(),
              runner->address_.c_str());
  std::fflush(stdout);
  return runner;
}

void ServerRunner::SetServing(const std::string& service, bool serving) {
  health_.SetServing(service, serving);
}

void ServerRunner::WaitForShutdownSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("{} received {}, shutting down", program_,
               received == SIGINT ? "SIGINT" : "SIGTERM");
  Shutdown();
}

std::shared_ptr<grpc::Channel> ServerRunner::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

ServerRunner::~ServerRunner() { Shutdown(); }

void ServerRunner::Shutdown() {
  if (server_ == nullptr) return;
  health_.Shutdown();
  if (drain_ms_ > 0) {
    spdlog::info("{} draining for {} ms", program_, drain_ms_);
    std::this_thread::sleep_for(std::chrono::milliseconds(drain_ms_));
  }
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  // The queues go down after the server and before it is destroyed.
  if (completion_queues_ != nullptr) completion_queues_->Stop();
  server_.reset();
  metrics_server_.reset();
  spdlog::info("{} stopped", program_);
}

}  // namespace biocorpus
