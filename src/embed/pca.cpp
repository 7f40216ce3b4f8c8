#include "embed/pca.hpp"

#include <algorithm>
#include <cmath>

#include <cblas.h>

#include "core/error.hpp"

namespace minillm::embed {

namespace {

// cov[d, d] = (X - mean)ᵀ (X - mean) / (n - 1), in double: it is d² numbers summed over n points. One BLAS
// call (dsyrk: a matrix times its own transpose) computes the upper triangle; the lower is its mirror.
std::vector<double> covariance(const float* data, int n, int d, std::vector<double>& mean) {
  mean.assign(static_cast<size_t>(d), 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) mean[size_t(j)] += data[size_t(i) * size_t(d) + size_t(j)];
  for (double& m : mean) m /= n;
  std::vector<double> centred(static_cast<size_t>(n) * static_cast<size_t>(d));  // X - mean, [n, d]
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      centred[size_t(i) * size_t(d) + size_t(j)] = data[size_t(i) * size_t(d) + size_t(j)] - mean[size_t(j)];
  std::vector<double> cov(static_cast<size_t>(d) * static_cast<size_t>(d), 0.0);
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, d, n, 1.0 / std::max(1, n - 1), centred.data(), d, 0.0,
              cov.data(), d);
  for (int a = 0; a < d; ++a)
    for (int b = a + 1; b < d; ++b) cov[size_t(b) * size_t(d) + size_t(a)] = cov[size_t(a) * size_t(d) + size_t(b)];
  return cov;
}

// lesson: power_iteration
// The dominant eigenvector of the symmetric matrix m, and its eigenvalue.
double power_iteration(const std::vector<double>& m, int d, std::vector<double>& v, Rng& rng) {
  for (double& x : v) x = rng.normal();
  std::vector<double> next(static_cast<size_t>(d));
  double eigenvalue = 0;
  for (int iteration = 0; iteration < 1000; ++iteration) {
    double length = 0;
    for (int a = 0; a < d; ++a) {
      double s = 0;
      for (int b = 0; b < d; ++b) s += m[size_t(a) * size_t(d) + size_t(b)] * v[size_t(b)];
      next[size_t(a)] = s;
      length += s * s;
    }
    length = std::sqrt(length);
    if (length == 0) return 0;  // nothing left to find: all remaining variance is zero
    double change = 0;
    for (int a = 0; a < d; ++a) {
      const double x = next[size_t(a)] / length;
      change = std::max(change, std::abs(x - v[size_t(a)]));
      v[size_t(a)] = x;
    }
    eigenvalue = length;
    if (change < 1e-10) break;
  }
  return eigenvalue;
}
// end lesson: power_iteration

}  // namespace

PcaResult pca(const float* data, int n, int d, int k, Rng& rng) {
  require(n >= 2, "PCA needs at least 2 points (got {})", n);
  require(d >= 1 && k >= 1 && k <= d, "PCA: k = {} components must be between 1 and the dimension d = {}", k, d);
  std::vector<double> mean;
  std::vector<double> cov = covariance(data, n, d, mean);
  PcaResult result;
  for (int a = 0; a < d; ++a) result.total_variance += cov[size_t(a) * size_t(d) + size_t(a)];
  std::vector<double> v(static_cast<size_t>(d));
  for (int c = 0; c < k; ++c) {
    const double eigenvalue = power_iteration(cov, d, v, rng);
    result.variance.push_back(eigenvalue);
    // A sign convention, so results do not flip between runs: the largest entry is positive.
    size_t largest = 0;
    for (size_t a = 0; a < v.size(); ++a)
      if (std::abs(v[a]) > std::abs(v[largest])) largest = a;
    const double sign = v[largest] < 0 ? -1.0 : 1.0;
    for (double x : v) result.components.push_back(static_cast<float>(sign * x));
    // Deflation: cov -= λ v vᵀ removes this direction, so the next power iteration finds the next one.
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b) cov[size_t(a) * size_t(d) + size_t(b)] -= eigenvalue * v[size_t(a)] * v[size_t(b)];
  }
  result.projected.resize(size_t(n) * size_t(k));
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < k; ++c) {
      double s = 0;
      for (int j = 0; j < d; ++j)
        s += (data[size_t(i) * size_t(d) + size_t(j)] - mean[size_t(j)]) * result.components[size_t(c) * size_t(d) + size_t(j)];
      result.projected[size_t(i) * size_t(k) + size_t(c)] = static_cast<float>(s);
    }
  return result;
}

}  // namespace minillm::embed
