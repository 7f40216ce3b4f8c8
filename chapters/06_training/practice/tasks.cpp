// Chapter 06 practice: fill in each TODO, then run `./run practice 06`.
#include "tasks.hpp"

#include <cmath>

#include "gpt/gpt.hpp"
#include "practice/todo.hpp"
#include "train/adamw.hpp"

namespace ch06 {

void cross_entropy_forward(float* losses, float* probs, const float* logits,
                           std::span<const minillm::TokenId> targets, int N, int V) {
  // TODO(cross_entropy_forward): row by row, the softmax of the logits into probs and minus the log of the
  // target's probability into losses. Never take exp of a large logit (exp(1000) overflows): the softmax
  // does not change when you shift every logit of a row by the same amount, and log and exp cancel where
  // you let them.
  throw minillm::practice::NotImplemented("cross_entropy_forward");
}

void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const minillm::TokenId> targets, int N, int V) {
  // TODO(cross_entropy_backward): the derivative of each row's loss with respect to each of its logits,
  // times that row's dlosses, ADDED to dlogits. Derive it: the loss is -log(p[target]); chapter 03's
  // softmax backward tells how p depends on the logits. Combined, the result is much simpler than either
  // part, and the forward already left you everything it needs.
  throw minillm::practice::NotImplemented("cross_entropy_backward");
}

void sgd_momentum_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                       float lr, float momentum) {
  // TODO(sgd_momentum_step): two updates per parameter, in the order the lesson gives: the running direction
  // first, then the parameter's step along it.
  (void)params, (void)grads, (void)velocity, (void)lr, (void)momentum;
  throw minillm::practice::NotImplemented("sgd_momentum_step");
}

void adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay) {
  // TODO(adamw_step): one AdamW step for every i, as the lesson describes it: the decoupled weight decay of
  // the parameter, the two running averages (of the gradient and of its square), their bias correction for
  // step t (which starts at 1), and the parameter's step. Update params, m and v in place.
  (void)params, (void)grads, (void)m, (void)v, (void)t, (void)lr, (void)beta1, (void)beta2, (void)eps;
  (void)weight_decay;
  throw minillm::practice::NotImplemented("adamw_step");
}

void adam_l2_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                  std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay) {
  // TODO(adam_l2_step): the same step as adamw_step except where the weight decay enters: here it is added
  // to what Adam treats as the gradient, so it also goes into m and v. Update params, m and v in place.
  (void)params, (void)grads, (void)m, (void)v, (void)t, (void)lr, (void)beta1, (void)beta2, (void)eps;
  (void)weight_decay;
  throw minillm::practice::NotImplemented("adam_l2_step");
}

float lr_at(int64_t step, float max_lr, float min_lr, int64_t warmup, int64_t total_steps) {
  // TODO(lr_at): three phases: a linear warmup over the first `warmup` steps (so that step 0 already has a
  // small non-zero rate and step warmup - 1 reaches max_lr), then half a cosine period from max_lr down to
  // min_lr at total_steps, then min_lr.
  (void)step, (void)max_lr, (void)min_lr, (void)warmup, (void)total_steps;
  throw minillm::practice::NotImplemented("lr_at");
}

double bits_per_byte(const std::vector<float>& losses, const std::vector<std::string>& texts) {
  // TODO(bits_per_byte): add up the information of all the tokens and convert it from nats to bits; count
  // the bytes of all their texts; divide.
  throw minillm::practice::NotImplemented("bits_per_byte");
}

float clip_grad_norm(std::vector<float>& grads, float max_norm) {
  // TODO(clip_grad_norm): the length of the whole gradient vector first (sum in double: there may be
  // millions of squares). Then, only if it is too long, shrink every entry by the same factor so that the
  // length becomes max_norm (tasks.hpp gives the exact factor). Return the length you measured.
  throw minillm::practice::NotImplemented("clip_grad_norm");
}

std::vector<float> overfit_batch(const std::vector<int>& inputs, const std::vector<int>& targets, int steps) {
  // TODO(overfit_batch): the model tasks.hpp describes (the config and the seed make the run reproducible),
  // an AdamW over its parameters, and the training step of the lesson's Code Example repeated on the same
  // batch. Return every step's loss.
  (void)inputs, (void)targets, (void)steps;
  throw minillm::practice::NotImplemented("overfit_batch");
}

}  // namespace ch06
