#pragma once
// Softmax + cross-entropy, fused: the loss of predicting targets[n] from logits[n, :].
//   loss[n] = -log(softmax(logits[n])[targets[n]])
// Fused because the gradient of the pair is simply probs - onehot(target): cheaper and more accurate than
// going through the softmax's Jacobian.
#include <span>

#include "core/token_id.hpp"

namespace minillm {

// The plain form: per row, the maximum, the exps and their sum, the probabilities, -log p[target].
// probs[N,V] and losses[N] from logits[N,V]. A target outside [0, V) is an Error.
void cross_entropy_forward_plain(float* losses, float* probs, const float* logits, std::span<const TokenId> targets,
                                 int N, int V);
// ACCUMULATES into dlogits[N,V]: dlogits[n] += dlosses[n] * (probs[n] - onehot(targets[n])).
void cross_entropy_backward_plain(float* dlogits, const float* dlosses, const float* probs,
                                  std::span<const TokenId> targets, int N, int V);

// The fast form (nn/kernels.hpp): rows in parallel, a vectorised exp, the sum in double.
void cross_entropy_forward(float* losses, float* probs, const float* logits, std::span<const TokenId> targets,
                           int N, int V);

// ACCUMULATES into dlogits[N,V]: dlogits[n] += dlosses[n] * (probs[n] - onehot(targets[n])).
void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const TokenId> targets, int N, int V);

}  // namespace minillm
