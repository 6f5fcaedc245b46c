#include "bench/canned_service.h"

namespace biocorpus::bench {

constexpr uint32_t kMaxSize = 4u << 20;
constexpr size_t kMaxSizesKept = 64;

void CannedService::ServeFrom(CompletionQueueServing* queues) {
  using Self = CannedService;
  queues->AddMethod<Self, canned::v1::GetCannedRequest, canned::v1::GetCannedResponse>(
      this, &Self::RequestGetCanned, &Self::GetCanned, nullptr);
}

grpc::Status CannedService::GetCanned(grpc::ServerContext* /*context*/,
                                      const canned::v1::GetCannedRequest* request,
                                      canned::v1::GetCannedResponse* response) {
  if (request->size() > kMaxSize) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "size is above 4 MiB");
  }
  std::shared_ptr<const std::string> payload;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = payloads_.find(request->size());
    if (found == payloads_.end()) {
      if (payloads_.size() >= kMaxSizesKept) payloads_.clear();
      std::string bytes(request->size(), '\0');
      // Varied bytes, like a page's text, not a run of one byte.
      for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + i % 23);
      found = payloads_.emplace(request->size(),
                                std::make_shared<const std::string>(std::move(bytes)))
                  .first;
    }
    payload = found->second;
  }
  response->set_payload(*payload);
  return grpc::Status::OK;
}

}  // namespace biocorpus::bench
