#include "corpus/rpc/metrics.h"

#include <httplib.h>

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

std::string FormatValue(double value) { return absl::StrFormat("%.17g", value); }

std::string CodeName(int code) {
  static const char* const kNames[] = {
      "OK",        "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",    "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",        "UNAVAILABLE",       "DATA_LOSS",
      "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(sizeof(kNames) / sizeof(kNames[0]))) {
    return kNames[code];
  }
  return absl::StrCat(code);
}

// Records the call's duration and status when the server sends its status.
class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(Metrics* metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->RecordCall(method_, status.error_code(), seconds);
      if (!status.ok()) {
        spdlog::warn("request failed method={} code={} reason=\"{}\" ms={:.2f}", method_,
                     CodeName(status.error_code()), status.error_message(), seconds * 1000);
      }
    }
    methods->Proceed();
  }

 private:
  Metrics* metrics_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactoryImpl
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactoryImpl(Metrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_, info->method());
  }

 private:
  Metrics* metrics_;
};

}  // namespace

void Metrics::RecordCall(const std::string& method, int code, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_[{method, code}];
  Histogram& histogram = latency_[method];
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::AddCounter(const std::string& name, const std::string& help,
                         const std::string& labels, double delta) {
  std::lock_guard<std::mutex> lock(mu_);
  Counter& counter = counters_[name];
  if (counter.help.empty()) counter.help = help;
  counter.values[labels] += delta;
}

void Metrics::AddCollector(Collector collect) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out +=
        "# HELP biocorpus_grpc_requests_total gRPC calls finished, by method and status code.\n"
        "# TYPE biocorpus_grpc_requests_total counter\n";
    for (const auto& [key, count] : calls_) {
      absl::StrAppend(&out, "biocorpus_grpc_requests_total{method=\"", key.first, "\",code=\"",
                      CodeName(key.second), "\"} ", count, "\n");
    }
    out +=
        "# HELP biocorpus_grpc_errors_total gRPC calls finished with a status other than OK.\n"
        "# TYPE biocorpus_grpc_errors_total counter\n";
    for (const auto& [key, count] : calls_) {
      if (key.second == 0) continue;
      absl::StrAppend(&out, "biocorpus_grpc_errors_total{method=\"", key.first, "\",code=\"",
                      CodeName(key.second), "\"} ", count, "\n");
    }
    out +=
        "# HELP biocorpus_grpc_request_duration_seconds Time from a call's arrival to its "
        "status, by method.\n"
        "# TYPE biocorpus_grpc_request_duration_seconds histogram\n";
    for (const auto& [method, histogram] : latency_) {
      for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        absl::StrAppend(&out, "biocorpus_grpc_request_duration_seconds_bucket{method=\"", method,
                        "\",le=\"", FormatValue(kLatencyBuckets[i]), "\"} ",
                        histogram.buckets[i], "\n");
      }
      absl::StrAppend(&out, "biocorpus_grpc_request_duration_seconds_bucket{method=\"", method,
                      "\",le=\"+Inf\"} ", histogram.count, "\n");
      absl::StrAppend(&out, "biocorpus_grpc_request_duration_seconds_sum{method=\"", method,
                      "\"} ", FormatValue(histogram.sum), "\n");
      absl::StrAppend(&out, "biocorpus_grpc_request_duration_seconds_count{method=\"", method,
                      "\"} ", histogram.count, "\n");
    }
    for (const auto& [name, counter] : counters_) {
      absl::StrAppend(&out, "# HELP ", name, " ", counter.help, "\n# TYPE ", name, " counter\n");
      for (const auto& [labels, value] : counter.values) {
        absl::StrAppend(&out, name, labels.empty() ? "" : "{", labels, labels.empty() ? "" : "}",
                        " ", FormatValue(value), "\n");
      }
    }
    collectors = collectors_;
  }
  for (const Collector& collect : collectors) collect(&out);
  return out;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MetricsInterceptorFactory(Metrics* metrics) {
  return std::make_unique<MetricsInterceptorFactoryImpl>(metrics);
}

struct MetricsServer::Impl {
  httplib::Server http;
};

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& listen,
                                                                    const Metrics* metrics) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address '", listen, "' is not HOST:PORT"));
  }
  const std::string host = listen.substr(0, colon);
  auto server = std::unique_ptr<MetricsServer>(new MetricsServer());
  server->impl_ = std::make_unique<Impl>();
  httplib::Server& http = server->impl_->http;
  http.Get("/metrics", [metrics](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  http.set_keep_alive_max_count(100);
  const int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  }
  server->address_ = absl::StrCat(host, ":", bound);
  server->thread_ = std::thread([server = server.get()] { server->impl_->http.listen_after_bind(); });
  return server;
}

MetricsServer::~MetricsServer() {
  if (impl_ != nullptr) impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace biocorpus
