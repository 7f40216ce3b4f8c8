#pragma once
// PCA: the directions along which a cloud of points spreads most. Projecting 100-dimensional word vectors
// onto the top two gives a 2D map that keeps as much of their spread as any flat picture can.
#include <vector>

#include "core/rng.hpp"

namespace minillm::embed {

struct PcaResult {
  std::vector<float> projected;   // [n, k]: each point's coordinates along the components
  std::vector<float> components;  // [k, d]: unit directions, largest variance first
  std::vector<double> variance;   // [k]: the variance along each component (eigenvalues of the covariance)
  double total_variance = 0;      // the sum over all d directions, so variance[i] / total is "explained"
};

// data is [n, d]. Centres the points, builds the d x d covariance, and finds its top k eigenvectors by
// power iteration with deflation (repeat v <- Cv/|Cv|; then remove the found direction and repeat).
PcaResult pca(const float* data, int n, int d, int k, Rng& rng);

}  // namespace minillm::embed
