#pragma once
// AdamW (Loshchilov & Hutter), exactly as torch.optim.AdamW computes it, over a whole TensorArena:
//   p -= lr * wd * p                                  decoupled weight decay (2D tensors only, see below)
//   m  = beta1 * m + (1 - beta1) * g                  running mean of the gradient
//   v  = beta2 * v + (1 - beta2) * g^2                running mean of its square
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)    bias-corrected step
// Weight decay goes to the 2D tensors (wte, wpe and the linear weights) and not to biases or LayerNorm
// parameters: GPT-2 / nanoGPT's convention. Pulling a LayerNorm gain towards 0 has no regularising meaning.
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "io/config_fields.hpp"

namespace minillm {

// One row per setting (io/config_fields.hpp): type, name (= JSON key), default, flag, range, help.
#define MINILLM_ADAMW_CONFIG(X)                                                                       \
  X(float, beta1, 0.9f, "", between(0, 1), "AdamW's decay of the running mean of the gradient")      \
  X(float, beta2, 0.95f, "", between(0, 1), "AdamW's decay of the running mean of its square")       \
  X(float, eps, 1e-8f, "", greater_than(0), "AdamW's epsilon, added to the root of v")               \
  X(float, weight_decay, 0.1f, "", at_least(0), "decoupled weight decay of the 2D tensors")

struct AdamWConfig {
  using Self = AdamWConfig;
  MINILLM_ADAMW_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_ADAMW_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

class AdamW {
 public:
  AdamW(const TensorArena& params, AdamWConfig config);
  // ZeRO-1's optimizer: it owns the floats [begin, end) of the parameters only, and its m and v are that
  // long; step() updates that shard and leaves the other parameters to the ranks that own them.
  AdamW(const TensorArena& params, AdamWConfig config, int64_t begin, int64_t end);

  // One update of every parameter it owns from its gradient, at learning rate lr. Increments step().
  void step(TensorArena& params, const TensorArena& grads, float lr);

  int64_t steps_taken() const { return t_; }
  void set_steps_taken(int64_t t) { t_ = t; }
  std::vector<float>& m() { return m_; }
  std::vector<float>& v() { return v_; }
  const std::vector<float>& m() const { return m_; }
  const std::vector<float>& v() const { return v_; }
  const AdamWConfig& config() const { return config_; }
  int64_t begin() const { return begin_; }  // the owned floats [begin, end): all of them unless sharded
  int64_t end() const { return begin_ + static_cast<int64_t>(m_.size()); }

 private:
  AdamWConfig config_;
  int64_t begin_ = 0;
  std::vector<float> m_, v_;
  // The weight decay of each parameter tensor's floats [begin, end): config.weight_decay for 2D tensors,
  // 0 for the rest, counted from begin. One row per tensor, not a float per parameter (that would be a fifth
  // model-sized buffer).
  struct DecayRange {
    int64_t begin, end;
    float decay;
  };
  std::vector<DecayRange> ranges_;
  int64_t t_ = 0;
};

// Scales all gradients so their global L2 norm is at most max_norm (torch.nn.utils.clip_grad_norm_:
// factor max_norm / (norm + 1e-6) when norm exceeds max_norm). Returns the norm before clipping; a
// non-finite norm is returned as is and nothing is scaled (the trainer stops on it).
float clip_grad_norm(TensorArena& grads, float max_norm);
// What clip_grad_norm multiplies the gradients by for a norm of `norm`: 1 when it is within max_norm (or not
// finite), else max_norm / (norm + 1e-6). (ZeRO-1 clips each rank's shard by it, from the global norm.)
float clip_factor(float norm, float max_norm);

}  // namespace minillm
