#pragma once
// t-SNE (van der Maaten & Hinton, 2008): a 2D map that keeps each point's NEIGHBOURS rather than the
// global spread PCA keeps. Exact version, O(n²) per step: fine up to about 2,000 points.
//
// 1. In the original space, each point i spreads probability over the others with a Gaussian whose width
//    is tuned so the "effective number of neighbours" (2^entropy) equals `perplexity`: p_j|i.
//    Symmetrise: P_ij = (p_j|i + p_i|j) / 2n.
// 2. In 2D, similarities use a heavy-tailed Student-t: Q_ij ∝ 1 / (1 + |y_i - y_j|²).
// 3. Move the 2D points by gradient descent on KL(P || Q):  dC/dy_i = 4 Σ_j (P_ij - Q_ij)(y_i - y_j) / (1 + |y_i - y_j|²)
#include <vector>

#include "core/rng.hpp"

namespace minillm::embed {

struct TsneOptions {
  double perplexity = 10;  // must be below the number of points
  int iterations = 750;
  double learning_rate = 100;
  uint64_t seed = 1;
};

// data [n, d] -> [n, 2].
std::vector<float> tsne(const float* data, int n, int d, const TsneOptions& options = {});

}  // namespace minillm::embed
