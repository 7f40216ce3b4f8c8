#include "nn/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "nn/vector_exp.hpp"

namespace minillm {

namespace {

int checked_target(std::span<const TokenId> targets, int n, int V) {
  const int target = to_int(targets[static_cast<size_t>(n)]);
  require(target >= 0 && target < V, "cross_entropy: target {} at row {} is outside the vocabulary [0, {})",
          target, n, V);
  return target;
}

}  // namespace

// lesson: cross_entropy_plain
void cross_entropy_forward_plain(float* losses, float* probs, const float* logits, std::span<const TokenId> targets,
                                 int N, int V) {
  require(static_cast<int>(targets.size()) == N, "cross_entropy: {} targets for {} rows of logits",
          targets.size(), N);
  for (int n = 0; n < N; ++n) checked_target(targets, n, V);  // validate before any work
  for (int n = 0; n < N; ++n) {
    const float* z = logits + static_cast<size_t>(n) * V;
    float* p = probs + static_cast<size_t>(n) * V;
    float max = z[0];  // softmax(z) = softmax(z - max), and exp(z - max) <= 1 never overflows
    for (int i = 1; i < V; ++i) max = z[i] > max ? z[i] : max;
    float sum = 0.0f;
    for (int i = 0; i < V; ++i) {
      p[i] = std::exp(z[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < V; ++i) p[i] /= sum;
    // -log p[target] = log(sum) - (z[target] - max): finite even where p[target] underflows to 0
    losses[n] = std::log(sum) - (z[to_int(targets[static_cast<size_t>(n)])] - max);
  }
}

void cross_entropy_backward_plain(float* dlogits, const float* dlosses, const float* probs,
                                  std::span<const TokenId> targets, int N, int V) {
  for (int n = 0; n < N; ++n) {
    const int target = checked_target(targets, n, V);
    for (int i = 0; i < V; ++i)
      dlogits[static_cast<size_t>(n) * V + i] += dlosses[n] * (probs[static_cast<size_t>(n) * V + i] - (i == target ? 1.0f : 0.0f));
  }
}
// end lesson: cross_entropy_plain

namespace {

// One row: prob[0..V) = softmax of row[0..V); returns -log prob[target].
MINILLM_AVX2_CLONE float softmax_row_loss(float* prob, const float* row, int target, int V) {
  // Subtract the row maximum so exp never overflows; softmax does not change.
  const float max_logit = row_max(row, V);
  const double sum = exp_shifted_sum(prob, row, max_logit, V);  // double: summing thousands of terms
  const float inv_sum = static_cast<float>(1.0 / sum);
  for (int i = 0; i < V; ++i) prob[i] *= inv_sum;
  // -log p[target] computed as log(sum) - (logit - max): exact even when p underflows to 0.
  return static_cast<float>(std::log(sum)) - (row[target] - max_logit);
}

}  // namespace

void cross_entropy_forward(float* losses, float* probs, const float* logits, std::span<const TokenId> targets,
                           int N, int V) {
  require(static_cast<int>(targets.size()) == N, "cross_entropy: {} targets for {} rows of logits",
          targets.size(), N);
  require(V >= 1, "cross_entropy: need a vocabulary of at least 1, got V = {}", V);
  for (int n = 0; n < N; ++n) checked_target(targets, n, V);  // validate before any work (no half-written output)

#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const size_t offset = static_cast<size_t>(n) * V;
    losses[n] = softmax_row_loss(probs + offset, logits + offset, to_int(targets[static_cast<size_t>(n)]), V);
  }
}

void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const TokenId> targets, int N, int V) {
  require(static_cast<int>(targets.size()) == N, "cross_entropy: {} targets for {} rows of logits",
          targets.size(), N);
  for (int n = 0; n < N; ++n) checked_target(targets, n, V);

#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    float* drow = dlogits + static_cast<size_t>(n) * V;
    const float* prob = probs + static_cast<size_t>(n) * V;
    const float dloss = dlosses[n];
    for (int i = 0; i < V; ++i) drow[i] += dloss * prob[i];
    drow[to_int(targets[static_cast<size_t>(n)])] -= dloss;  // the "- onehot(target)" part
  }
}

}  // namespace minillm
