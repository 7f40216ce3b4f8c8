// Chapter 06 practice: fill in each TODO, then run `./run practice 06`.
#include "tasks.hpp"

#include <cmath>

#include "gpt/gpt.hpp"
#include "practice/todo.hpp"
#include "train/adamw.hpp"

namespace ch06 {

float cross_entropy_row(const std::vector<float>& logits, int target) {
  // TODO(cross_entropy_row): find the maximum logit m; sum exp(logit - m) over the row; the loss is
  // log(sum) - (logits[target] - m). (Never compute exp(logit) directly: exp(1000) overflows.)
  (void)logits;
  (void)target;
  throw minillm::practice::NotImplemented("cross_entropy_row");
}

std::vector<float> cross_entropy_row_grad(const std::vector<float>& logits, int target) {
  // TODO(cross_entropy_row_grad): compute the softmax probabilities (stable, as above), then subtract 1 at
  // the target: that is the whole gradient of the fused softmax + cross-entropy.
  (void)logits;
  (void)target;
  throw minillm::practice::NotImplemented("cross_entropy_row_grad");
}

void adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay) {
  // TODO(adamw_step): for every i: params[i] *= 1 - lr * weight_decay (decoupled decay);
  // m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
  // params[i] -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
  (void)params, (void)grads, (void)m, (void)v, (void)t, (void)lr, (void)beta1, (void)beta2, (void)eps;
  (void)weight_decay;
  throw minillm::practice::NotImplemented("adamw_step");
}

float lr_at(int64_t step, float max_lr, float min_lr, int64_t warmup, int64_t total_steps) {
  // TODO(lr_at): step < warmup: max_lr * (step + 1) / warmup. step >= total_steps: min_lr. Otherwise
  // progress = (step - warmup) / (total_steps - warmup) and
  // lr = min_lr + 0.5 * (1 + cos(pi * progress)) * (max_lr - min_lr).
  (void)step, (void)max_lr, (void)min_lr, (void)warmup, (void)total_steps;
  throw minillm::practice::NotImplemented("lr_at");
}

std::vector<float> overfit_batch(const std::vector<int>& inputs, const std::vector<int>& targets, int steps) {
  // TODO(overfit_batch): minillm::Gpt model(minillm::GptConfig{32, 8, 1, 2, 16}); init its weights with
  // minillm::Rng rng(1); make a minillm::AdamW over model.params(); the batch is B = inputs.size() / 8
  // rows of T = 8 (convert ids with minillm::token_id). Each step: zero_grad, forward (keep the loss),
  // backward, optimizer step with lr 1e-2. Return the losses.
  (void)inputs, (void)targets, (void)steps;
  throw minillm::practice::NotImplemented("overfit_batch");
}

}  // namespace ch06
