#include "embed/kmeans.hpp"

#include <limits>

#include "core/error.hpp"

namespace minillm::embed {

namespace {

double squared_distance(const float* a, const float* b, int d) {
  double s = 0;
  for (int j = 0; j < d; ++j) s += (double(a[j]) - b[j]) * (double(a[j]) - b[j]);
  return s;
}

const float* point(const float* data, int i, int d) { return data + size_t(i) * size_t(d); }

std::vector<float> kmeans_plus_plus(const float* data, int n, int d, int k, Rng& rng) {
  std::vector<float> centroids;
  const int first = static_cast<int>(rng.below(uint64_t(n)));
  centroids.insert(centroids.end(), point(data, first, d), point(data, first, d) + d);
  std::vector<double> nearest(static_cast<size_t>(n), std::numeric_limits<double>::infinity());
  for (int c = 1; c < k; ++c) {
    double total = 0;
    for (int i = 0; i < n; ++i) {
      nearest[size_t(i)] = std::min(nearest[size_t(i)], squared_distance(point(data, i, d), &centroids[size_t(c - 1) * size_t(d)], d));
      total += nearest[size_t(i)];
    }
    int chosen = static_cast<int>(rng.below(uint64_t(n)));  // all points coincide with seeds: any will do
    if (total > 0) {
      double target = rng.uniform_double() * total;
      for (int i = 0; i < n; ++i) {
        target -= nearest[size_t(i)];
        if (target < 0 && nearest[size_t(i)] > 0) { chosen = i; break; }
      }
    }
    centroids.insert(centroids.end(), point(data, chosen, d), point(data, chosen, d) + d);
  }
  return centroids;
}

}  // namespace

// lesson: kmeans
KMeansResult kmeans(const float* data, int n, int d, int k, Rng& rng, int max_iterations) {
  require(d >= 1, "k-means: the dimension must be at least 1 (got {})", d);
  require(k >= 1 && k <= n, "k-means: k = {} clusters need between 1 and n = {} points", k, n);
  KMeansResult r;
  r.centroids = kmeans_plus_plus(data, n, d, k, rng);
  r.assignment.assign(size_t(n), -1);
  for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
    bool changed = false;
    r.inertia = 0;
    for (int i = 0; i < n; ++i) {
      int best = 0;
      double best_distance = std::numeric_limits<double>::infinity();
      for (int c = 0; c < k; ++c) {
        const double dist = squared_distance(point(data, i, d), &r.centroids[size_t(c) * size_t(d)], d);
        if (dist < best_distance) { best_distance = dist; best = c; }
      }
      changed |= r.assignment[size_t(i)] != best;
      r.assignment[size_t(i)] = best;
      r.inertia += best_distance;
    }
    if (!changed) break;
    std::vector<double> sums(static_cast<size_t>(k) * static_cast<size_t>(d), 0.0);
    std::vector<int> counts(static_cast<size_t>(k), 0);
    for (int i = 0; i < n; ++i) {
      const int c = r.assignment[size_t(i)];
      ++counts[size_t(c)];
      for (int j = 0; j < d; ++j) sums[size_t(c) * size_t(d) + size_t(j)] += point(data, i, d)[j];
    }
    for (int c = 0; c < k; ++c)
      if (counts[size_t(c)] > 0)  // an empty cluster keeps its centroid
        for (int j = 0; j < d; ++j)
          r.centroids[size_t(c) * size_t(d) + size_t(j)] = static_cast<float>(sums[size_t(c) * size_t(d) + size_t(j)] / counts[size_t(c)]);
  }
  r.iterations = std::min(r.iterations, max_iterations);
  return r;
}
// end lesson: kmeans

}  // namespace minillm::embed
