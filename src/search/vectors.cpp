#include "search/vectors.hpp"

#include <cmath>

namespace minillm::search {

double l2_norm(std::span<const float> v) {
  double sum = 0;
  for (float x : v) sum += double(x) * x;
  return std::sqrt(sum);
}

int64_t normalise_rows(float* data, int64_t n, int dim) {
  int64_t zero_rows = 0;
  for (int64_t i = 0; i < n; ++i) {
    float* row = data + i * dim;
    const double length = l2_norm({row, static_cast<size_t>(dim)});
    if (length == 0) { ++zero_rows; continue; }
    const double scale = 1.0 / length;
    for (int j = 0; j < dim; ++j) row[j] = static_cast<float>(row[j] * scale);
  }
  return zero_rows;
}

}  // namespace minillm::search
