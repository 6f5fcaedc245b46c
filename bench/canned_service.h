#ifndef BIOCORPUS_BENCH_CANNED_SERVICE_H_
#define BIOCORPUS_BENCH_CANNED_SERVICE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "biocorpus/canned/v1/canned_service.grpc.pb.h"
#include "corpus/rpc/completion_queue_serving.h"

namespace biocorpus::bench {

// The canned-response floor: answers GetCanned with a payload of the asked
// size, built on the first call for that size and copied thereafter, so
// that a call costs what the transport costs for as many bytes. Sizes
// above 4 MiB are INVALID_ARGUMENT; at most 64 sizes are kept.
// Thread-safe.
class CannedService final
    : public canned::v1::CannedService::WithAsyncMethod_GetCanned<
          canned::v1::CannedService::Service> {
 public:
  // Adds GetCanned to `queues`, served as the query service's page methods
  // are. Once, before the server starts.
  void ServeFrom(CompletionQueueServing* queues);

  grpc::Status GetCanned(grpc::ServerContext* context, const canned::v1::GetCannedRequest* request,
                         canned::v1::GetCannedResponse* response) override;

 private:
  std::mutex mu_;
  std::map<uint32_t, std::shared_ptr<const std::string>> payloads_;
};

}  // namespace biocorpus::bench

#endif  // BIOCORPUS_BENCH_CANNED_SERVICE_H_
