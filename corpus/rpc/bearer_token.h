#ifndef BIOCORPUS_CORPUS_RPC_BEARER_TOKEN_H_
#define BIOCORPUS_CORPUS_RPC_BEARER_TOKEN_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace biocorpus {

// The environment variable that may hold the ingest token.
inline constexpr char kIngestTokenEnv[] = "BIOCORPUS_INGEST_TOKEN";

// The ingest token: the first line of `path` when given, else
// $BIOCORPUS_INGEST_TOKEN, else "". InvalidArgument for an unreadable or
// empty file.
absl::StatusOr<std::string> LoadIngestToken(const std::string& path);

// Checks a call's "authorization: Bearer <token>" metadata against
// `expected` in constant time: Unauthenticated when the metadata is missing
// or not a bearer token, PermissionDenied when the token is wrong. The token
// never appears in a message.
absl::Status CheckBearerToken(const grpc::ServerContext& context,
                              const std::string& expected);

// A channel to `target` whose every call carries "authorization: Bearer
// <token>" (none when `token` is empty).
std::shared_ptr<grpc::Channel> CreateChannelWithToken(
    const std::string& target, const std::string& token,
    std::shared_ptr<grpc::ChannelCredentials> credentials,
    const grpc::ChannelArguments& arguments = grpc::ChannelArguments());

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_BEARER_TOKEN_H_
