#ifndef BIOCORPUS_CORPUS_RPC_METRICS_H_
#define BIOCORPUS_CORPUS_RPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/rpc/prometheus_text.h"

namespace biocorpus {

// The metrics a server exposes in Prometheus' text format: calls per method
// and status code with latency histograms (recorded by the interceptor of
// MetricsInterceptorFactory), counters the services add, and gauges that
// collectors compute at scrape time. Thread-safe.
class Metrics {
 public:
  // Upper bounds of the latency histogram buckets, in seconds.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // One finished call of `method` ("/pkg.Service/Method").
  void RecordCall(const std::string& method, int code, double seconds);

  // Adds `delta` to the counter `name` with `labels` (Prometheus label text,
  // `format="CITATION_RECORD"`, or ""). `help` describes the counter.
  void AddCounter(const std::string& name, const std::string& help, const std::string& labels,
                  double delta);

  // Appends gauge text at each scrape (values read from the database).
  using Collector = std::function<void(std::string* out)>;
  void AddCollector(Collector collect);

  // The exposition text.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Counter {
    std::string help;
    std::map<std::string, double> values;  // by labels
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> calls_;  // (method, code)
  std::map<std::string, Histogram> latency_;               // by method
  std::map<std::string, Counter> counters_;
  std::vector<Collector> collectors_;
};

// Records every call the server finishes in `metrics`, and logs one line per
// failed call (method, code, reason). `metrics` must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MetricsInterceptorFactory(Metrics* metrics);

// Serves GET /metrics over HTTP on its own port.
class MetricsServer {
 public:
  // Listens on HOST:PORT (port 0 picks a free one). `metrics` must outlive
  // the server.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& listen,
                                                              const Metrics* metrics);
  ~MetricsServer();  // stops serving

  // HOST:PORT with the real port.
  const std::string& address() const { return address_; }

 private:
  MetricsServer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::string address_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_METRICS_H_
