#ifndef BIOCORPUS_CORPUS_RPC_TLS_H_
#define BIOCORPUS_CORPUS_RPC_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace biocorpus {

// Server credentials from PEM files: plaintext when `cert_file` and
// `key_file` are both empty; TLS with them; and, with `client_ca_file`, mutual
// TLS that requires and verifies a client certificate signed by that CA.
// InvalidArgument naming the file that cannot be read, or when only one of
// certificate and key is given.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const std::string& cert_file, const std::string& key_file,
    const std::string& client_ca_file);

// Channel credentials: plaintext when `ca_file` is empty; otherwise TLS
// trusting that CA, presenting the client certificate and key when given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFiles(
    const std::string& ca_file, const std::string& cert_file, const std::string& key_file);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_TLS_H_
