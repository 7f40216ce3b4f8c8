#include "nn/softmax.hpp"

#include <cmath>
#include <cstddef>

#include "core/error.hpp"

namespace minillm {

// probs[N,V] from logits[N,V], row by row; columns >= valid get probability 0.
void softmax_forward(float* probs, const float* logits, int N, int V, int valid) {
  require(valid >= 1 && valid <= V, "softmax: valid = {} must be in [1, V = {}]", valid, V);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* z = logits + static_cast<size_t>(n) * V;
    float* p = probs + static_cast<size_t>(n) * V;
    // Subtracting the maximum makes every exponent <= 0: exp never overflows, and the largest term is 1,
    // so the sum is >= 1 and the division is safe.
    float max = z[0];
    for (int v = 1; v < valid; ++v) max = z[v] > max ? z[v] : max;
    float sum = 0.0f;
    for (int v = 0; v < valid; ++v) {
      p[v] = std::exp(z[v] - max);
      sum += p[v];
    }
    const float inv = 1.0f / sum;
    for (int v = 0; v < valid; ++v) p[v] *= inv;
    for (int v = valid; v < V; ++v) p[v] = 0.0f;
  }
}

// ACCUMULATES into dlogits[N,V]. The Jacobian dp_i/dz_j = p_i (δij - p_j) contracted with dprobs gives
//   dz_j = p_j (dp_j - sum_i dp_i p_i)
// Columns with probability 0 receive 0, as they should.
void softmax_backward(float* dlogits, const float* probs, const float* dprobs, int N, int V) {
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* p = probs + static_cast<size_t>(n) * V;
    const float* dp = dprobs + static_cast<size_t>(n) * V;
    float* dz = dlogits + static_cast<size_t>(n) * V;
    float dot = 0.0f;
    for (int v = 0; v < V; ++v) dot += dp[v] * p[v];
    for (int v = 0; v < V; ++v) dz[v] += p[v] * (dp[v] - dot);
  }
}

}  // namespace minillm
