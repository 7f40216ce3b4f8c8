// Chapter 07 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ch07 {

std::vector<float> temperature_softmax(const std::vector<float>& logits, float temperature) {
  std::vector<float> probs(logits.size());
  float m = -std::numeric_limits<float>::infinity();
  for (float x : logits) m = std::max(m, x / temperature);
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) sum += probs[i] = std::exp(logits[i] / temperature - m);
  for (float& p : probs) p = static_cast<float>(p / sum);
  return probs;
}

std::vector<float> top_k_filter(const std::vector<float>& logits, int k) {
  std::vector<float> sorted = logits;
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  const float kth = sorted[static_cast<size_t>(k - 1)];
  std::vector<float> out = logits;
  for (float& x : out)
    if (x < kth) x = -std::numeric_limits<float>::infinity();
  return out;
}

std::vector<float> top_p_filter(const std::vector<float>& probs, float p) {
  std::vector<size_t> order(probs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return probs[a] > probs[b]; });
  std::vector<float> out(probs.size(), 0.0f);
  double kept = 0;
  size_t n = 0;
  while (n < order.size() && (n == 0 || kept < p)) kept += probs[order[n++]];
  for (size_t i = 0; i < n; ++i) out[order[i]] = static_cast<float>(probs[order[i]] / kept);
  return out;
}

std::vector<float> attend_one_query(const std::vector<float>& q, const std::vector<float>& k_cache,
                                    const std::vector<float>& v_cache, int T, int hs) {
  std::vector<float> att(static_cast<size_t>(T));
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for (int s = 0; s < T; ++s) {
    float dot = 0;
    for (int i = 0; i < hs; ++i) dot += q[static_cast<size_t>(i)] * k_cache[static_cast<size_t>(s * hs + i)];
    att[static_cast<size_t>(s)] = dot * scale;
  }
  att = temperature_softmax(att, 1.0f);
  std::vector<float> out(static_cast<size_t>(hs), 0.0f);
  for (int s = 0; s < T; ++s)
    for (int i = 0; i < hs; ++i)
      out[static_cast<size_t>(i)] += att[static_cast<size_t>(s)] * v_cache[static_cast<size_t>(s * hs + i)];
  return out;
}

std::vector<int> greedy_generate(const NextLogits& model, const std::vector<int>& prompt, int max_new_tokens,
                                 int end_of_text) {
  std::vector<int> tokens = prompt, generated;
  for (int i = 0; i < max_new_tokens; ++i) {
    const std::vector<float> logits = model(tokens);
    const int next = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    if (next == end_of_text) break;
    tokens.push_back(next);
    generated.push_back(next);
  }
  return generated;
}

}  // namespace ch07
