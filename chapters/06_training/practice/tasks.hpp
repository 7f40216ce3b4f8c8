#pragma once
// Chapter 06 practice: the pieces of a training step, written by hand.
#include <cstdint>
#include <string>
#include <vector>

namespace ch06 {

// The cross-entropy of one row of logits[V] against the target id: -log(softmax(logits)[target]).
// Must be stable for large logits (subtract the maximum first).
float cross_entropy_row(const std::vector<float>& logits, int target);

// Its gradient with respect to the logits: softmax(logits) - onehot(target).
std::vector<float> cross_entropy_row_grad(const std::vector<float>& logits, int target);

// One AdamW step on flat arrays, like torch.optim.AdamW. t is the step number, starting at 1.
// Updates params, m and v in place.
void adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay);

// Warmup + cosine learning rate: max_lr*(step+1)/warmup during warmup, then cosine from max_lr down to
// min_lr at total_steps, then min_lr.
float lr_at(int64_t step, float max_lr, float min_lr, int64_t warmup, int64_t total_steps);

// Task bits_per_byte: how many bits the model needs per byte of text. losses[i] is the cross-entropy (in
// nats, natural log) of the i-th predicted token and texts[i] that token's text (its UTF-8 bytes). The
// total information in bits divided by the total number of bytes.
double bits_per_byte(const std::vector<float>& losses, const std::vector<std::string>& texts);

// Task clip_grad_norm: gradient clipping, as torch.nn.utils.clip_grad_norm_. The norm is the L2 norm of all
// gradients together (as one long vector). When it exceeds max_norm, scale every gradient by
// max_norm / (norm + 1e-6); otherwise leave them. Returns the norm before clipping.
float clip_grad_norm(std::vector<float>& grads, float max_norm);

// Task sample_token: draw the next token from logits[V]. temperature > 0 divides the logits before the
// softmax; top_k > 0 keeps only the k largest logits (0 keeps all) and renormalises. u in [0, 1) is the
// uniform random number of the draw: return the first token id (in increasing id order, among the kept
// ones) at which the running sum of the probabilities exceeds u.
int sample_token(const std::vector<float>& logits, float temperature, int top_k, float u);

// Overfit one batch: build a tiny GPT (vocab 32, context 8, 1 layer, 2 heads, width 16, Rng seed 1),
// train it with AdamW (lr 1e-2) on the SAME inputs/targets for `steps` steps and return every step's loss.
// A model that cannot drive one batch's loss towards 0 has a bug: the classic first debugging check.
std::vector<float> overfit_batch(const std::vector<int>& inputs, const std::vector<int>& targets, int steps);

}  // namespace ch06
