#pragma once
// Shared helpers for the nn tests: seeded normal values, element-wise comparison with a stated tolerance,
// and a float32 central-difference gradient check.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"

namespace minillm::testing {

// n values drawn from N(0, stddev) by rng.
inline std::vector<float> randn(Rng& rng, size_t n, float stddev = 1.0f) {
  std::vector<float> v(n);
  rng.fill_normal(v, 0.0f, stddev);
  return v;
}

// Every element must satisfy |got - want| <= atol + rtol * |want|. On failure, names the worst element.
inline ::testing::AssertionResult all_close(const std::string& what, const float* got, const float* want, size_t n,
                                            double atol, double rtol) {
  size_t worst = 0;
  double worst_excess = -1e300;
  for (size_t i = 0; i < n; ++i) {
    const double excess = std::abs(double(got[i]) - double(want[i])) - (atol + rtol * std::abs(double(want[i])));
    if (!(excess <= worst_excess) || std::isnan(excess)) {
      worst_excess = std::isnan(excess) ? 1e300 : excess;
      worst = i;
    }
  }
  if (n > 0 && worst_excess > 0)
    return ::testing::AssertionFailure() << what << ": element " << worst << " is " << got[worst] << ", expected "
                                         << want[worst] << " (tolerance " << atol << " + " << rtol << " * |expected|)";
  return ::testing::AssertionSuccess();
}

// L = sum_i out[i] * weights[i] (in double). The gradient of L with respect to out is `weights`, so feeding
// `weights` as dout to a backward function must give dL/d(input), which central differences estimate:
//   dL/dx ≈ (L(x + h) - L(x - h)) / 2h
// In float32 the estimate carries two errors: rounding, about 6e-8 * |L| / h, and truncation, about
// h² |L'''| / 6. With h = 1e-2 and |L| ~ 10 both are ~1e-4, hence the default tolerance 1e-3 + 1e-2 * |g|.
struct GradCheck {
  std::function<void()> forward;  // recomputes `out` from the current inputs
  const float* out;
  size_t out_size;
  std::vector<float> weights;  // the dout given to backward

  double loss() const {
    double sum = 0;
    for (size_t i = 0; i < out_size; ++i) sum += double(out[i]) * weights[i];
    return sum;
  }

  // Compares analytic[0..n) (from backward) with central differences of L over x[0..n).
  ::testing::AssertionResult check(const std::string& what, float* x, const float* analytic, size_t n,
                                   float h = 1e-2f, double atol = 1e-3, double rtol = 1e-2) const {
    std::vector<float> numeric(n);
    for (size_t i = 0; i < n; ++i) {
      const float saved = x[i];
      x[i] = saved + h;
      forward();
      const double plus = loss();
      x[i] = saved - h;
      forward();
      const double minus = loss();
      x[i] = saved;
      numeric[i] = static_cast<float>((plus - minus) / (double(x[i] + h) - double(x[i] - h)));
    }
    forward();
    return all_close(what + " (analytic vs central difference)", analytic, numeric.data(), n, atol, rtol);
  }
};

}  // namespace minillm::testing
