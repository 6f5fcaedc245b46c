#include "corpus/rpc/server_flags.h"

#include "absl/flags/flag.h"
#include "corpus/rpc/logging.h"
#include "corpus/rpc/tls.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, log_level, "info", "log verbosity: trace, debug, info, warn, error, off");
ABSL_FLAG(int, drain_ms, 0,
          "on SIGTERM, keep serving this long after health checks turn "
          "NOT_SERVING (set it to the load balancer's check interval)");
ABSL_FLAG(int, max_connection_age_ms, 0,
          "close each client connection (gracefully) after this long, so "
          "clients re-resolve and spread over new replicas; 0: never");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on (GET /metrics); port 0 "
          "picks one; default: no endpoint");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate (chain) to serve TLS with");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");

namespace biocorpus {

void InitLoggingFromFlags(const std::string& program) {
  InitLogging(program, absl::GetFlag(FLAGS_log_level));
}

absl::Status ApplyServerFlags(const std::string& program, const std::string& client_ca_file,
                              ServerRunnerOptions* options) {
  options->program = program;
  options->drain_ms = absl::GetFlag(FLAGS_drain_ms);
  options->max_connection_age_ms = absl::GetFlag(FLAGS_max_connection_age_ms);
  options->metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (options->drain_ms < 0 || options->max_connection_age_ms < 0) {
    return absl::InvalidArgumentError("--drain_ms and --max_connection_age_ms must not be negative");
  }
  const std::string cert = absl::GetFlag(FLAGS_tls_cert_file);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFiles(cert, absl::GetFlag(FLAGS_tls_key_file), client_ca_file);
  if (!credentials.ok()) return credentials.status();
  options->credentials = *credentials;
  spdlog::info("serving {}", cert.empty()                ? "plaintext"
                             : client_ca_file.empty() ? "TLS"
                                                      : "mutual TLS");
  return absl::OkStatus();
}

}  // namespace biocorpus
