#include "train/adamw.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.hpp"

namespace minillm {

AdamW::AdamW(const TensorArena& params, AdamWConfig config)
    : config_(config), m_(params.size(), 0.0f), v_(params.size(), 0.0f) {
  require(params.allocated(), "AdamW: the parameters must be allocated first");
  require(config.beta1 >= 0 && config.beta1 < 1 && config.beta2 >= 0 && config.beta2 < 1,
          "AdamW: betas must be in [0, 1), got {} and {}", config.beta1, config.beta2);
  for (const auto& e : params.entries()) {
    const int64_t begin = static_cast<int64_t>(e.offset);
    ranges_.push_back({begin, begin + e.shape.numel(), e.shape.rank() == 2 ? config.weight_decay : 0.0f});
  }
}

// lesson: adamw_step
void AdamW::step(TensorArena& params, const TensorArena& grads, float lr) {
  require(params.size() == m_.size() && grads.size() == m_.size(),
          "AdamW: {} parameters and {} gradients for an optimizer built for {}", params.size(), grads.size(),
          m_.size());
  ++t_;
  const float bias1 = 1.0f - std::pow(config_.beta1, static_cast<float>(t_));
  const float bias2 = 1.0f - std::pow(config_.beta2, static_cast<float>(t_));
  const float step_size = lr / bias1;
  const float bias2_sqrt = std::sqrt(bias2);
  float* p = params.data();
  const float* g = grads.data();
#pragma omp parallel
  for (const DecayRange& r : ranges_) {  // tensor by tensor; the threads split each one
    const float keep = 1.0f - lr * r.decay;  // decoupled weight decay: not part of the gradient
#pragma omp for schedule(static) nowait
    for (int64_t i = r.begin; i < r.end; ++i) {
      p[i] *= keep;
      m_[i] = config_.beta1 * m_[i] + (1.0f - config_.beta1) * g[i];
      v_[i] = config_.beta2 * v_[i] + (1.0f - config_.beta2) * g[i] * g[i];
      const float denom = std::sqrt(v_[i]) / bias2_sqrt + config_.eps;
      p[i] -= step_size * m_[i] / denom;
    }
  }
}
// end lesson: adamw_step

float clip_grad_norm(TensorArena& grads, float max_norm) {
  require(max_norm > 0, "clip_grad_norm: max_norm must be positive, got {}", max_norm);
  float* g = grads.data();
  const int64_t n = static_cast<int64_t>(grads.size());
  double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (int64_t i = 0; i < n; ++i) sum += double(g[i]) * double(g[i]);
  const float norm = static_cast<float>(std::sqrt(sum));
  if (!std::isfinite(norm) || norm <= max_norm) return norm;
  const float scale = max_norm / (norm + 1e-6f);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) g[i] *= scale;
  return norm;
}

}  // namespace minillm
