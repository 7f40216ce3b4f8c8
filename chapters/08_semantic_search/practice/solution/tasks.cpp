// Chapter 08 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ch08 {

void normalise_rows(std::vector<float>& data, int n, int dim) {
  for (int i = 0; i < n; ++i) {
    float* row = &data[size_t(i) * size_t(dim)];
    double squares = 0;
    for (int j = 0; j < dim; ++j) squares += double(row[j]) * row[j];
    if (squares == 0) continue;
    const double length = std::sqrt(squares);
    for (int j = 0; j < dim; ++j) row[j] = static_cast<float>(row[j] / length);
  }
}

std::vector<float> cosine_scores(const std::vector<float>& matrix, int n, int dim, const std::vector<float>& query) {
  double qq = 0;
  for (int j = 0; j < dim; ++j) qq += double(query[size_t(j)]) * query[size_t(j)];
  std::vector<float> scores(size_t(n), 0.0f);
  for (int i = 0; i < n; ++i) {
    double dot = 0, rr = 0;
    for (int j = 0; j < dim; ++j) {
      const double x = matrix[size_t(i) * size_t(dim) + size_t(j)];
      dot += x * query[size_t(j)];
      rr += x * x;
    }
    if (rr > 0 && qq > 0) scores[size_t(i)] = static_cast<float>(dot / std::sqrt(rr * qq));
  }
  return scores;
}

std::vector<int> top_k(const std::vector<float>& scores, int k) {
  std::vector<int> ids(scores.size());
  std::iota(ids.begin(), ids.end(), 0);
  const size_t keep = std::min(ids.size(), size_t(std::max(k, 0)));
  std::partial_sort(ids.begin(), ids.begin() + long(keep), ids.end(), [&](int a, int b) {
    return scores[size_t(a)] > scores[size_t(b)] || (scores[size_t(a)] == scores[size_t(b)] && a < b);
  });
  ids.resize(keep);
  return ids;
}

double recall_at_k(const std::vector<std::vector<int>>& exact, const std::vector<std::vector<int>>& approximate,
                   int k) {
  long found = 0, wanted = 0;
  for (size_t q = 0; q < exact.size(); ++q) {
    const auto& truth = exact[q];
    const auto& got = approximate[q];
    const auto got_end = got.begin() + long(std::min(got.size(), size_t(k)));
    for (size_t i = 0; i < truth.size() && i < size_t(k); ++i) {
      ++wanted;
      found += std::find(got.begin(), got_end, truth[i]) != got_end;
    }
  }
  return wanted == 0 ? 1.0 : double(found) / double(wanted);
}

std::vector<int> nearest_centroid(const std::vector<float>& points, int n, int dim,
                                  const std::vector<float>& centroids, int lists) {
  std::vector<int> nearest(size_t(n), 0);
  for (int i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < lists; ++c) {
      double d = 0;
      for (int j = 0; j < dim; ++j) {
        const double diff = double(points[size_t(i) * size_t(dim) + size_t(j)]) - centroids[size_t(c) * size_t(dim) + size_t(j)];
        d += diff * diff;
      }
      if (d < best) { best = d; nearest[size_t(i)] = c; }
    }
  }
  return nearest;
}

}  // namespace ch08
