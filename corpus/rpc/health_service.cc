#include "corpus/rpc/health_service.h"

#include <chrono>

#include "corpus/text/quoted.h"

namespace biocorpus {

using grpc::health::v1::HealthCheckResponse;

void HealthService::SetServing(const std::string& service, bool serving) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutting_down_) return;
  statuses_[service] =
      serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  ++generation_;
  changed_.notify_all();
}

void HealthService::Shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutting_down_ = true;
  for (auto& [service, status] : statuses_) {
    status = HealthCheckResponse::NOT_SERVING;
  }
  ++generation_;
  changed_.notify_all();
  // Let every watch send NOT_SERVING and end before the server stops, so the
  // drain is reported rather than cut off.
  changed_.wait_for(lock, std::chrono::seconds(1), [this] { return watchers_ == 0; });
}

void HealthService::ServeFrom(CompletionQueueServing* queues) {
  using Self = HealthService;
  queues->AddMethod<Self, grpc::health::v1::HealthCheckRequest, HealthCheckResponse>(
      this, &Self::RequestCheck, &Self::Check, nullptr);
}

grpc::Status HealthService::Check(grpc::ServerContext* /*context*/,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = statuses_.find(request->service());
  if (it == statuses_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service " + Quoted(request->service()));
  }
  response->set_status(it->second);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(
    grpc::ServerContext* context,
    const grpc::health::v1::HealthCheckRequest* request,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock<std::mutex> lock(mu_);
  ++watchers_;
  uint64_t seen = generation_ - 1;  // Send the status now.
  ServingStatus last = HealthCheckResponse::UNKNOWN;
  bool sent = false;
  while (!context->IsCancelled()) {
    if (generation_ != seen) {
      seen = generation_;
      const auto it = statuses_.find(request->service());
      const ServingStatus status = it == statuses_.end()
                                       ? HealthCheckResponse::SERVICE_UNKNOWN
                                       : it->second;
      if (!sent || status != last) {
        HealthCheckResponse response;
        response.set_status(status);
        lock.unlock();
        const bool ok = writer->Write(response);
        lock.lock();
        if (!ok) break;
        sent = true;
        last = status;
      }
      // The status may have changed while the lock was released for the
      // write (a shutdown among them): look again before waiting.
      continue;
    }
    // Ends the watch once the status sent is the latest, shutdown included.
    if (shutting_down_) break;
    // Wake on a change, or now and then to notice a cancelled call.
    changed_.wait_for(lock, std::chrono::milliseconds(500));
  }
  --watchers_;
  changed_.notify_all();
  return grpc::Status::OK;
}

}  // namespace biocorpus
