#include "query_service/analytics/association.h"

#include <cmath>

namespace biocorpus {

double ExpectedCount(const Contingency& t) {
  if (t.total <= 0) return 0;
  return static_cast<double>(t.first) * static_cast<double>(t.second) /
         static_cast<double>(t.total);
}

double NormalizedPmi(const Contingency& t) {
  if (t.total <= 0 || t.first <= 0 || t.second <= 0) return 0;
  if (t.both <= 0) return -1;
  const double n = static_cast<double>(t.total);
  const double p_ab = t.both / n;
  if (p_ab >= 1) return 1;
  const double pmi = std::log(p_ab / ((t.first / n) * (t.second / n)));
  return pmi / -std::log(p_ab);
}

double LogLikelihoodRatio(const Contingency& t) {
  if (t.total <= 0) return 0;
  const double n = static_cast<double>(t.total);
  const double k11 = static_cast<double>(t.both);
  const double k12 = static_cast<double>(t.first - t.both);
  const double k21 = static_cast<double>(t.second - t.both);
  const double k22 = n - k11 - k12 - k21;
  const double row1 = k11 + k12, row2 = k21 + k22, col1 = k11 + k21, col2 = k12 + k22;
  auto term = [&](double observed, double row, double col) {
    if (observed <= 0) return 0.0;
    const double expected = row * col / n;
    return observed * std::log(observed / expected);
  };
  const double g2 = 2 * (term(k11, row1, col1) + term(k12, row1, col2) + term(k21, row2, col1) +
                         term(k22, row2, col2));
  return g2 < 0 ? 0 : g2;
}

}  // namespace biocorpus
