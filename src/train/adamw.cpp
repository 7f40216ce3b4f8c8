#include "train/adamw.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.hpp"

namespace minillm {

AdamW::AdamW(const TensorArena& params, AdamWConfig config)
    : AdamW(params, config, 0, static_cast<int64_t>(params.size())) {}

AdamW::AdamW(const TensorArena& params, AdamWConfig config, int64_t begin, int64_t end)
    : config_(config), begin_(begin) {
  require(params.allocated(), "AdamW: the parameters must be allocated first");
  require(config.beta1 >= 0 && config.beta1 < 1 && config.beta2 >= 0 && config.beta2 < 1,
          "AdamW: betas must be in [0, 1), got {} and {}", config.beta1, config.beta2);
  require(0 <= begin && begin <= end && end <= static_cast<int64_t>(params.size()),
          "AdamW: floats [{}, {}) are not a part of {} parameters", begin, end, params.size());
  m_.assign(static_cast<size_t>(end - begin), 0.0f);
  v_.assign(static_cast<size_t>(end - begin), 0.0f);
  for (const auto& e : params.entries()) {  // each tensor's part of [begin, end), counted from begin
    const int64_t first = std::max(begin, static_cast<int64_t>(e.offset));
    const int64_t last = std::min(end, static_cast<int64_t>(e.offset) + e.shape.numel());
    if (first < last) ranges_.push_back({first - begin, last - begin, e.shape.rank() == 2 ? config.weight_decay : 0.0f});
  }
}

// lesson: adamw_step
void AdamW::step(TensorArena& params, const TensorArena& grads, float lr) {
  require(params.size() == grads.size() && end() <= static_cast<int64_t>(params.size()),
          "AdamW: {} parameters and {} gradients for an optimizer of floats [{}, {})", params.size(), grads.size(),
          begin(), end());
  ++t_;
  const float bias1 = 1.0f - std::pow(config_.beta1, static_cast<float>(t_));
  const float bias2 = 1.0f - std::pow(config_.beta2, static_cast<float>(t_));
  const float step_size = lr / bias1;
  const float bias2_sqrt = std::sqrt(bias2);
  float* p = params.data() + begin_;  // the floats it owns (all of them, unless ZeRO-1 sharded them)
  const float* g = grads.data() + begin_;
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
  const float scale = clip_factor(norm, max_norm);
  if (scale == 1.0f) return norm;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) g[i] *= scale;
  return norm;
}

float clip_factor(float norm, float max_norm) {
  return !std::isfinite(norm) || norm <= max_norm ? 1.0f : max_norm / (norm + 1e-6f);
}

}  // namespace minillm
