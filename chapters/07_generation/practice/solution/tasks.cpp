// Chapter 07 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"

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

std::vector<float> min_p_filter(const std::vector<float>& probs, float min_p) {
  const float threshold = min_p * *std::max_element(probs.begin(), probs.end());
  double kept = 0;
  for (float p : probs)
    if (p >= threshold) kept += p;
  std::vector<float> out(probs.size(), 0.0f);
  for (size_t i = 0; i < probs.size(); ++i)
    if (probs[i] >= threshold) out[i] = static_cast<float>(probs[i] / kept);
  return out;
}

int sample_token(const std::vector<float>& logits, float temperature, int top_k, float u) {
  const int V = static_cast<int>(logits.size());
  std::vector<bool> kept(static_cast<size_t>(V), true);
  if (top_k > 0 && top_k < V) {
    std::vector<float> sorted = logits;
    std::nth_element(sorted.begin(), sorted.begin() + (top_k - 1), sorted.end(), std::greater<float>());
    const float threshold = sorted[static_cast<size_t>(top_k - 1)];  // the k-th largest logit
    int left = top_k;  // ties at the threshold: keep the smallest ids
    for (int i = 0; i < V; ++i) kept[i] = logits[i] > threshold;
    for (int i = 0; i < V; ++i) left -= kept[i] ? 1 : 0;
    for (int i = 0; i < V && left > 0; ++i)
      if (logits[i] == threshold) kept[i] = true, --left;
  }
  float max = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < V; ++i)
    if (kept[i]) max = std::max(max, logits[i] / temperature);
  std::vector<double> p(static_cast<size_t>(V), 0.0);
  double sum = 0.0;
  for (int i = 0; i < V; ++i)
    if (kept[i]) sum += (p[i] = std::exp(double(logits[i] / temperature - max)));
  double running = 0.0;
  int last = 0;
  for (int i = 0; i < V; ++i) {
    if (!kept[i]) continue;
    last = i;
    running += p[i] / sum;
    if (running > u) return i;
  }
  return last;  // u within rounding of 1
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

namespace {

// x[C] += branch[C]: the residual add on one row.
void add_into(std::vector<float>& x, const std::vector<float>& branch) {
  for (size_t i = 0; i < x.size(); ++i) x[i] += branch[i];
}

// Multi-head attention of one query row over the t + 1 cached positions of one layer: each head gathers its
// hs columns of the cache and calls attend_one_query.
std::vector<float> attend_all_heads(const float* q, const LayerCache& cache, int positions, int C, int NH) {
  const int hs = C / NH;
  std::vector<float> out(static_cast<size_t>(C));
  for (int h = 0; h < NH; ++h) {
    std::vector<float> q_h(q + h * hs, q + (h + 1) * hs), k_h, v_h;
    for (int s = 0; s < positions; ++s) {
      const size_t at = static_cast<size_t>(s) * C + static_cast<size_t>(h) * hs;
      k_h.insert(k_h.end(), cache.keys.begin() + at, cache.keys.begin() + at + hs);
      v_h.insert(v_h.end(), cache.values.begin() + at, cache.values.begin() + at + hs);
    }
    const std::vector<float> o = attend_one_query(q_h, k_h, v_h, positions, hs);
    std::copy(o.begin(), o.end(), out.begin() + h * hs);
  }
  return out;
}

}  // namespace

std::vector<float> kv_decode_step(const minillm::Gpt& model, std::vector<LayerCache>& cache, int token, int t) {
  const minillm::GptConfig& config = model.config();
  const minillm::GptWeights& w = model.weights();
  const int C = config.n_embd, V = config.vocab_size;
  const size_t row = static_cast<size_t>(C);
  std::vector<float> x(row), ln(row), qkv(3 * row), proj(row), fch(4 * row), gelu(4 * row);
  float mean = 0, rstd = 0;
  for (size_t i = 0; i < row; ++i) x[i] = w.wte[static_cast<size_t>(token) * row + i] + w.wpe[static_cast<size_t>(t) * row + i];
  for (int l = 0; l < config.n_layer; ++l) {
    const minillm::BlockParams& p = w.blocks[static_cast<size_t>(l)];
    LayerCache& c = cache[static_cast<size_t>(l)];
    minillm::layernorm_forward(ln.data(), &mean, &rstd, x.data(), p.ln_1_weight, p.ln_1_bias, 1, C);
    minillm::linear_forward(qkv.data(), ln.data(), p.attn_c_attn_weight, p.attn_c_attn_bias, 1, C, 3 * C);
    std::copy(qkv.begin() + C, qkv.begin() + 2 * C, c.keys.begin() + static_cast<std::ptrdiff_t>(t * row));
    std::copy(qkv.begin() + 2 * C, qkv.end(), c.values.begin() + static_cast<std::ptrdiff_t>(t * row));
    const std::vector<float> atty = attend_all_heads(qkv.data(), c, t + 1, C, config.n_head);
    minillm::linear_forward(proj.data(), atty.data(), p.attn_c_proj_weight, p.attn_c_proj_bias, 1, C, C);
    add_into(x, proj);
    minillm::layernorm_forward(ln.data(), &mean, &rstd, x.data(), p.ln_2_weight, p.ln_2_bias, 1, C);
    minillm::linear_forward(fch.data(), ln.data(), p.mlp_c_fc_weight, p.mlp_c_fc_bias, 1, C, 4 * C);
    minillm::gelu_forward(gelu.data(), fch.data(), 4 * C);
    minillm::linear_forward(proj.data(), gelu.data(), p.mlp_c_proj_weight, p.mlp_c_proj_bias, 1, 4 * C, C);
    add_into(x, proj);
  }
  minillm::layernorm_forward(ln.data(), &mean, &rstd, x.data(), w.ln_f_weight, w.ln_f_bias, 1, C);
  std::vector<float> logits(static_cast<size_t>(V));
  minillm::linear_forward(logits.data(), ln.data(), w.wte, nullptr, 1, C, V);
  return logits;
}

}  // namespace ch07
