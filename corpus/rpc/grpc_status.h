#ifndef BIOCORPUS_CORPUS_RPC_GRPC_STATUS_H_
#define BIOCORPUS_CORPUS_RPC_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace biocorpus {

// The one conversion from absl::Status to grpc::Status at the service
// boundary: same code (the numbering is shared), same message (cut to
// kMaxErrorMessageBytes).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_GRPC_STATUS_H_
