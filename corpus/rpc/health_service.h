#ifndef BIOCORPUS_CORPUS_RPC_HEALTH_SERVICE_H_
#define BIOCORPUS_CORPUS_RPC_HEALTH_SERVICE_H_

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "corpus/rpc/completion_queue_serving.h"

namespace biocorpus {

// grpc.health.v1.Health, as the health checking protocol describes: Check
// answers the status of a service name ("" is the whole server) or NOT_FOUND
// for a name never set; Watch streams the status now and at every change.
//
// It replaces gRPC's built-in service because the built-in one's messages
// are not in the descriptor pool that reflection serves, so grpcurl could
// not call or describe it without proto files. Shutdown() sets every status
// to NOT_SERVING and ends every Watch, so a draining server tells its load
// balancers and its watches do not hold up the shutdown. Thread-safe.
class HealthService final
    : public grpc::health::v1::Health::WithAsyncMethod_Check<grpc::health::v1::Health::Service> {
 public:
  // Adds Check to `queues` (Watch stays with the sync server). Once, before
  // the server starts; until then no Check call is answered.
  void ServeFrom(CompletionQueueServing* queues);

  void SetServing(const std::string& service, bool serving);
  // Sets every status to NOT_SERVING, lets each Watch send it and end (for up
  // to a second), and ignores later SetServing calls.
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(
      grpc::ServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, ServingStatus> statuses_;
  bool shutting_down_ = false;
  uint64_t generation_ = 0;
  int watchers_ = 0;  // Watch calls in progress.
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_HEALTH_SERVICE_H_
