#include "embed/tsne.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace minillm::embed {

namespace {

// p_j|i for one row, given squared distances; binary search on the Gaussian's precision beta until the
// row's entropy is log(perplexity).
void conditional_row(const std::vector<double>& distances, int i, int n, double perplexity, double* p) {
  double beta = 1, low = 0, high = INFINITY;
  const double target = std::log(perplexity);
  for (int step = 0; step < 100; ++step) {
    // Subtracting the smallest distance keeps exp() from underflowing to all zeros for far-away points.
    double nearest = INFINITY;
    for (int j = 0; j < n; ++j)
      if (j != i) nearest = std::min(nearest, distances[size_t(i) * size_t(n) + size_t(j)]);
    double sum = 0, weighted = 0;
    for (int j = 0; j < n; ++j) {
      const double dij = distances[size_t(i) * size_t(n) + size_t(j)] - nearest;
      p[j] = j == i ? 0 : std::exp(-beta * dij);
      sum += p[j];
      weighted += p[j] * dij;
    }
    const double entropy = std::log(sum) + beta * weighted / sum;
    for (int j = 0; j < n; ++j) p[j] /= sum;
    if (std::abs(entropy - target) < 1e-5) break;
    if (entropy > target) {  // too spread out: sharpen
      low = beta;
      beta = std::isinf(high) ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = (beta + low) / 2;
    }
  }
}

}  // namespace

std::vector<float> tsne(const float* data, int n, int d, const TsneOptions& o) {
  require(n >= 3, "t-SNE needs at least 3 points (got {})", n);
  require(n <= 5000, "t-SNE here is the exact O(n²) version: {} points is too many (at most 5,000)", n);
  require(o.perplexity >= 1 && o.perplexity < n, "t-SNE: perplexity {} must be at least 1 and below the {} points",
          o.perplexity, n);
  const size_t N = size_t(n);
  std::vector<double> distances(N * N);
  for (size_t i = 0; i < N; ++i)
    for (size_t j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < d; ++k) {
        const double diff = double(data[i * size_t(d) + size_t(k)]) - data[j * size_t(d) + size_t(k)];
        s += diff * diff;
      }
      distances[i * N + j] = s;
    }
  std::vector<double> P(N * N);
  for (int i = 0; i < n; ++i) conditional_row(distances, i, n, o.perplexity, &P[size_t(i) * N]);
  for (size_t i = 0; i < N; ++i)
    for (size_t j = 0; j < i; ++j) P[i * N + j] = P[j * N + i] = std::max((P[i * N + j] + P[j * N + i]) / (2.0 * n), 1e-12);

  Rng rng(o.seed);
  std::vector<double> y(N * 2), velocity(N * 2, 0.0), gradient(N * 2), q(N * N);
  for (double& v : y) v = rng.normal(0, 1e-4f);
  for (int iteration = 0; iteration < o.iterations; ++iteration) {
    // Early exaggeration: P x 4 for the first 100 steps lets clusters form before they settle.
    const double exaggeration = iteration < 100 ? 4.0 : 1.0;
    const double momentum = iteration < 250 ? 0.5 : 0.8;
    double q_sum = 0;
    for (size_t i = 0; i < N; ++i)
      for (size_t j = 0; j < N; ++j) {
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        q[i * N + j] = i == j ? 0 : 1 / (1 + dx * dx + dy * dy);
        q_sum += q[i * N + j];
      }
    std::fill(gradient.begin(), gradient.end(), 0.0);
    for (size_t i = 0; i < N; ++i)
      for (size_t j = 0; j < N; ++j) {
        if (i == j) continue;
        const double w = 4 * (exaggeration * P[i * N + j] - q[i * N + j] / q_sum) * q[i * N + j];
        gradient[2 * i] += w * (y[2 * i] - y[2 * j]);
        gradient[2 * i + 1] += w * (y[2 * i + 1] - y[2 * j + 1]);
      }
    for (size_t k = 0; k < 2 * N; ++k) {
      velocity[k] = momentum * velocity[k] - o.learning_rate * gradient[k];
      y[k] += velocity[k];
    }
  }
  return std::vector<float>(y.begin(), y.end());
}

}  // namespace minillm::embed
