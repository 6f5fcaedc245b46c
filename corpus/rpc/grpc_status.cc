#include "corpus/rpc/grpc_status.h"

#include <string>

#include "corpus/text/quoted.h"

namespace biocorpus {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      CapMessage(status.message()));
}

}  // namespace biocorpus
