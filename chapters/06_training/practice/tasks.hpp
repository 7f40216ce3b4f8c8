#pragma once
// Chapter 06 practice: the pieces of a training step, written by hand.
#include <cstdint>
#include <string>
#include <span>
#include <vector>

#include "core/token_id.hpp"

namespace ch06 {

// Task cross_entropy_forward: the loss of every row of logits[N, V] against its target, with exactly the
// library's signature (nn/cross_entropy.hpp), so `./run practice --plug` can run yours inside the model
// (How It Works step 4). probs[N, V] receives each row's softmax probabilities, losses[N] each row's
// cross-entropy, -log of the target's probability. Must stay finite for logits in the thousands.
// targets[n] is a minillm::TokenId: minillm::to_int(targets[n]) is its index in [0, V).
void cross_entropy_forward(float* losses, float* probs, const float* logits,
                           std::span<const minillm::TokenId> targets, int N, int V);

// Task cross_entropy_backward: the backward of cross_entropy_forward, with the library's signature. Given
// dlosses[N] = dLoss/dlosses and the probs[N, V] the forward wrote, ACCUMULATES (+=) dLoss/dlogits into
// dlogits[N, V] (the lesson's "Cross-entropy's gradient, derived").
void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const minillm::TokenId> targets, int N, int V);

// Task sgd_momentum_step: one step of SGD with momentum, exactly as torch.optim.SGD(lr, momentum) (no
// dampening, no Nesterov, no weight decay; the lesson's "Momentum, the idea inside Adam's m"). velocity is
// the running direction, 0 before the first step. Updates params and velocity in place.
void sgd_momentum_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                       float lr, float momentum);

// Task adamw_step: one AdamW step on flat arrays, exactly as torch.optim.AdamW (the lesson's How It Works
// step 7, and "Why decoupled"). t is the step number, starting at 1. m and v are the running moments (0
// before step 1). Updates params, m and v in place.
void adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay);

// Task adam_l2_step: one step of Adam with L2 regularisation instead, exactly as torch.optim.Adam with its
// weight_decay argument: the decay is part of the gradient that Adam sees (the lesson's "Why decoupled").
// Same arguments and contract as adamw_step.
void adam_l2_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                  std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay);

// Task lr_at: the learning rate at step (counted from 0): a linear warmup over the first `warmup` steps that
// reaches max_lr at step warmup - 1 (and is not 0 at step 0), then half a cosine period from max_lr down to
// min_lr at total_steps, then min_lr (How It Works step 8).
float lr_at(int64_t step, float max_lr, float min_lr, int64_t warmup, int64_t total_steps);

// Task bits_per_byte: how many bits the model needs per byte of text. losses[i] is the cross-entropy (in
// nats, natural log) of the i-th predicted token and texts[i] that token's text (its UTF-8 bytes). The
// total information in bits divided by the total number of bytes.
double bits_per_byte(const std::vector<float>& losses, const std::vector<std::string>& texts);

// Task clip_grad_norm: gradient clipping, as torch.nn.utils.clip_grad_norm_. The norm is the L2 norm of all
// gradients together (as one long vector). When it exceeds max_norm, scale every gradient by
// max_norm / (norm + 1e-6); otherwise leave them. Returns the norm before clipping.
float clip_grad_norm(std::vector<float>& grads, float max_norm);

// Overfit one batch: build a tiny GPT (vocab 32, context 8, 1 layer, 2 heads, width 16, Rng seed 1),
// train it with AdamW (lr 1e-2) on the SAME inputs/targets for `steps` steps and return every step's loss.
// A model that cannot drive one batch's loss towards 0 has a bug: the classic first debugging check.
std::vector<float> overfit_batch(const std::vector<int>& inputs, const std::vector<int>& targets, int steps);

}  // namespace ch06
