// Chapter 06 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

#include "core/rng.hpp"
#include "gpt/gpt.hpp"
#include "train/adamw.hpp"

namespace ch06 {

void cross_entropy_forward(float* losses, float* probs, const float* logits,
                           std::span<const minillm::TokenId> targets, int N, int V) {
  for (int n = 0; n < N; ++n) {
    const float* x = logits + static_cast<size_t>(n) * V;
    float* p = probs + static_cast<size_t>(n) * V;
    const float m = *std::max_element(x, x + V);
    double sum = 0;
    for (int j = 0; j < V; ++j) sum += p[j] = std::exp(x[j] - m);
    for (int j = 0; j < V; ++j) p[j] = static_cast<float>(p[j] / sum);
    losses[n] = static_cast<float>(std::log(sum)) - (x[minillm::to_int(targets[n])] - m);
  }
}

void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const minillm::TokenId> targets, int N, int V) {
  for (int n = 0; n < N; ++n) {
    const float* p = probs + static_cast<size_t>(n) * V;
    float* d = dlogits + static_cast<size_t>(n) * V;
    const int target = minillm::to_int(targets[n]);
    for (int j = 0; j < V; ++j) d[j] += dlosses[n] * (p[j] - (j == target ? 1.0f : 0.0f));
  }
}

void sgd_momentum_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                       float lr, float momentum) {
  for (size_t i = 0; i < params.size(); ++i) {
    velocity[i] = momentum * velocity[i] + grads[i];  // torch's buffer: the first step's is the gradient itself
    params[i] -= lr * velocity[i];
  }
}

void adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay) {
  const float bias1 = 1.0f - std::pow(beta1, static_cast<float>(t));
  const float bias2 = 1.0f - std::pow(beta2, static_cast<float>(t));
  for (size_t i = 0; i < params.size(); ++i) {
    params[i] *= 1.0f - lr * weight_decay;
    m[i] = beta1 * m[i] + (1.0f - beta1) * grads[i];
    v[i] = beta2 * v[i] + (1.0f - beta2) * grads[i] * grads[i];
    params[i] -= lr / bias1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bias2) + eps);
  }
}

void adam_l2_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                  std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps, float weight_decay) {
  const float bias1 = 1.0f - std::pow(beta1, static_cast<float>(t));
  const float bias2 = 1.0f - std::pow(beta2, static_cast<float>(t));
  for (size_t i = 0; i < params.size(); ++i) {
    const float g = grads[i] + weight_decay * params[i];  // L2: the decay's gradient joins the loss's
    m[i] = beta1 * m[i] + (1.0f - beta1) * g;
    v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
    params[i] -= lr / bias1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bias2) + eps);
  }
}

float lr_at(int64_t step, float max_lr, float min_lr, int64_t warmup, int64_t total_steps) {
  if (step < warmup) return max_lr * static_cast<float>(step + 1) / static_cast<float>(warmup);
  if (step >= total_steps) return min_lr;
  const double progress = double(step - warmup) / double(std::max<int64_t>(1, total_steps - warmup));
  return static_cast<float>(min_lr + 0.5 * (1.0 + std::cos(std::numbers::pi * progress)) * (max_lr - min_lr));
}

double bits_per_byte(const std::vector<float>& losses, const std::vector<std::string>& texts) {
  double nats = 0.0, bytes = 0.0;
  for (float loss : losses) nats += loss;
  for (const std::string& text : texts) bytes += static_cast<double>(text.size());
  return nats / std::numbers::ln2 / bytes;  // nats / ln 2 = bits
}

float clip_grad_norm(std::vector<float>& grads, float max_norm) {
  double sum = 0.0;
  for (float g : grads) sum += double(g) * double(g);
  const float norm = static_cast<float>(std::sqrt(sum));
  if (norm > max_norm) {
    const float scale = max_norm / (norm + 1e-6f);
    for (float& g : grads) g *= scale;
  }
  return norm;
}

std::vector<float> overfit_batch(const std::vector<int>& inputs, const std::vector<int>& targets, int steps) {
  minillm::Gpt model(minillm::GptConfig{32, 8, 1, 2, 16});
  minillm::Rng rng(1);
  model.init_weights(rng);
  minillm::AdamW optimizer(model.params(), minillm::AdamWConfig{});
  minillm::TokenIds in, tg;
  for (int id : inputs) in.push_back(minillm::token_id(id));
  for (int id : targets) tg.push_back(minillm::token_id(id));
  const int T = 8, B = static_cast<int>(in.size()) / T;
  std::vector<float> losses;
  for (int s = 0; s < steps; ++s) {
    model.zero_grad();
    losses.push_back(model.forward(in, tg, B, T));
    model.backward();
    optimizer.step(model.params(), model.grads(), 1e-2f);
  }
  return losses;
}

}  // namespace ch06
