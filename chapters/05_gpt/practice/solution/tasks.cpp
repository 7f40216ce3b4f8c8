// Chapter 05 practice: reference solutions.
#include "tasks.hpp"

#include <cstddef>

namespace ch05 {

int64_t parameter_count(int64_t V, int64_t maxT, int64_t L, int64_t C) {
  return V * C + maxT * C + L * (12 * C * C + 13 * C) + 2 * C;
}

double training_flops_per_token(int64_t V, int64_t maxT, int64_t L, int64_t C, int64_t T) {
  return 6.0 * double(parameter_count(V, maxT, L, C)) + 12.0 * double(L * C * T);
}

std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V) {
  std::vector<float> logits(static_cast<size_t>(N) * V, 0.0f);
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      float dot = 0.0f;
      for (int c = 0; c < C; ++c) dot += x[static_cast<size_t>(n) * C + c] * wte[static_cast<size_t>(v) * C + c];
      logits[static_cast<size_t>(n) * V + v] = dot;
    }
  return logits;
}

}  // namespace ch05
