#ifndef BIOCORPUS_CORPUS_RPC_REFLECTION_V1_H_
#define BIOCORPUS_CORPUS_RPC_REFLECTION_V1_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace biocorpus {

// grpc.reflection.v1.ServerReflection over the generated descriptor pool:
// the same answers grpc++_reflection gives on v1alpha, for clients that ask
// for v1 only. Each file answer carries the file and every file it imports.
class ReflectionV1Service final
    : public grpc::reflection::v1::ServerReflection::Service {
 public:
  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>* stream) override;

  // The names of the services the server serves (set before it starts
  // taking calls; it outlives them).
  void set_services(const std::vector<std::string>* services) { services_ = services; }

 private:
  grpc::reflection::v1::ServerReflectionResponse Answer(
      const grpc::reflection::v1::ServerReflectionRequest& request) const;

  const std::vector<std::string>* services_ = nullptr;
};

// Adds a ReflectionV1Service to `builder` (with the server's service list).
void AddReflectionV1(grpc::ServerBuilder* builder);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_REFLECTION_V1_H_
