#ifndef BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_
#define BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace biocorpus {

// Appends one gauge, with its HELP and TYPE lines, in Prometheus' text
// exposition format.
inline void AppendGauge(const std::string& name, const std::string& help, double value,
                        std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " gauge\n", name, " ",
                  absl::StrFormat("%.17g", value), "\n");
}

// Appends one counter (a value that only grows), the same way.
inline void AppendCounter(const std::string& name, const std::string& help, double value,
                          std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " counter\n", name, " ",
                  absl::StrFormat("%.17g", value), "\n");
}

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_PROMETHEUS_TEXT_H_
