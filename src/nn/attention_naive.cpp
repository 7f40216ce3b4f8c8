#include "nn/attention_naive.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

#include "core/error.hpp"

namespace minillm {

namespace {

void check_head_shape(int T, int hs) {
  require(T >= 1 && hs >= 1, "attention head: T = {} and hs = {} must both be >= 1", T, hs);
}

// Row t of a [T, n] buffer.
inline float* row(float* buffer, int t, int n) { return buffer + static_cast<size_t>(t) * n; }
inline const float* row(const float* buffer, int t, int n) { return buffer + static_cast<size_t>(t) * n; }

}  // namespace

// lesson: attention_head_naive_forward
void attention_head_naive_forward(float* out, float* preatt, float* att, const float* q, const float* k,
                                  const float* v, int T, int hs) {
  check_head_shape(T, hs);
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));  // keeps the scores' spread ~1 for any hs
  for (int t = 0; t < T; ++t) {
    const float* q_t = row(q, t, hs);
    float* pre_t = row(preatt, t, T);
    float* att_t = row(att, t, T);
    // 1. scores: how well the query of position t matches the key of every position s <= t
    float max = -std::numeric_limits<float>::infinity();
    for (int s = 0; s <= t; ++s) {
      const float* k_s = row(k, s, hs);
      float dot = 0.0f;
      for (int i = 0; i < hs; ++i) dot += q_t[i] * k_s[i];
      pre_t[s] = dot * scale;
      if (pre_t[s] > max) max = pre_t[s];
    }
    // 2. softmax over s <= t (subtracting the max keeps exp from overflowing); the future gets exactly 0
    double sum = 0.0;
    for (int s = 0; s <= t; ++s) {
      att_t[s] = std::exp(pre_t[s] - max);
      sum += att_t[s];
    }
    for (int s = 0; s <= t; ++s) att_t[s] = static_cast<float>(att_t[s] / sum);
    for (int s = t + 1; s < T; ++s) {
      pre_t[s] = -std::numeric_limits<float>::infinity();
      att_t[s] = 0.0f;
    }
    // 3. the output of position t: the values, weighted by attention
    float* out_t = row(out, t, hs);
    for (int i = 0; i < hs; ++i) out_t[i] = 0.0f;
    for (int s = 0; s <= t; ++s) {
      const float* v_s = row(v, s, hs);
      for (int i = 0; i < hs; ++i) out_t[i] += att_t[s] * v_s[i];
    }
  }
}
// end lesson: attention_head_naive_forward

// lesson: attention_head_naive_backward
// The forward pass's three steps, undone in reverse order for every position t:
//   out_t = Σ_s att[t][s] v_s        datt[t][s] = dout_t · v_s          dv_s += att[t][s] dout_t
//   att[t] = softmax(preatt[t])      dpreatt[t][s] = att[t][s] (datt[t][s] - Σ_r att[t][r] datt[t][r])
//   preatt[t][s] = scale q_t · k_s   dq_t += scale dpreatt[t][s] k_s    dk_s += scale dpreatt[t][s] q_t
// Masked entries (s > t) have att = 0, so no gradient flows to the future.
void attention_head_naive_backward(float* dq, float* dk, float* dv, float* datt, float* dpreatt,
                                   const float* dout, const float* q, const float* k, const float* v,
                                   const float* att, int T, int hs) {
  check_head_shape(T, hs);
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for (int t = 0; t < T; ++t) {
    const float* att_t = row(att, t, T);
    const float* dout_t = row(dout, t, hs);
    float* datt_t = row(datt, t, T);
    float* dpre_t = row(dpreatt, t, T);
    // 3. back through the weighted average of values
    for (int s = 0; s <= t; ++s) {
      const float* v_s = row(v, s, hs);
      float* dv_s = row(dv, s, hs);
      float dot = 0.0f;
      for (int i = 0; i < hs; ++i) {
        dot += dout_t[i] * v_s[i];
        dv_s[i] += att_t[s] * dout_t[i];
      }
      datt_t[s] = dot;
    }
    // 2. back through the softmax
    float weighted = 0.0f;
    for (int s = 0; s <= t; ++s) weighted += att_t[s] * datt_t[s];
    for (int s = 0; s <= t; ++s) dpre_t[s] = att_t[s] * (datt_t[s] - weighted);
    for (int s = t + 1; s < T; ++s) datt_t[s] = dpre_t[s] = 0.0f;
    // 1. back through the scaled dot products
    const float* q_t = row(q, t, hs);
    float* dq_t = row(dq, t, hs);
    for (int s = 0; s <= t; ++s) {
      const float* k_s = row(k, s, hs);
      float* dk_s = row(dk, s, hs);
      for (int i = 0; i < hs; ++i) {
        dq_t[i] += scale * dpre_t[s] * k_s[i];
        dk_s[i] += scale * dpre_t[s] * q_t[i];
      }
    }
  }
}
// end lesson: attention_head_naive_backward

}  // namespace minillm
