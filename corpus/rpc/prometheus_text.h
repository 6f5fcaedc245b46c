#ifndef BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_
#define BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace biocorpus {

// Appends one metric of `type` ("gauge", "counter"), with its HELP and TYPE
// lines, in Prometheus' text exposition format.
inline void AppendMetric(const char* type, const std::string& name, const std::string& help,
                         double value, std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n", name, " ",
                  absl::StrFormat("%.17g", value), "\n");
}

// A gauge, and a counter (a value that only grows).
inline void AppendGauge(const std::string& name, const std::string& help, double value,
                        std::string* out) {
  AppendMetric("gauge", name, help, value, out);
}
inline void AppendCounter(const std::string& name, const std::string& help, double value,
                          std::string* out) {
  AppendMetric("counter", name, help, value, out);
}

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_
