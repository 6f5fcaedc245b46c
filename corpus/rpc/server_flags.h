#ifndef BIOCORPUS_CORPUS_RPC_SERVER_FLAGS_H_
#define BIOCORPUS_CORPUS_RPC_SERVER_FLAGS_H_

#include <string>

#include "absl/status/status.h"
#include "corpus/rpc/server_runner.h"

namespace biocorpus {

// The flags both servers share are defined here: --log_level, --drain_ms,
// --max_connection_age_ms, --metrics_listen, --tls_cert_file and
// --tls_key_file.

// Starts logging for `program` at --log_level.
void InitLoggingFromFlags(const std::string& program);

// Sets `options`' program, drain, connection age, metrics endpoint and
// credentials from the shared flags (with mutual TLS when `client_ca_file`
// is not empty), and logs which transport it serves. An error names the
// flag at fault.
absl::Status ApplyServerFlags(const std::string& program, const std::string& client_ca_file,
                              ServerRunnerOptions* options);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_SERVER_FLAGS_H_
