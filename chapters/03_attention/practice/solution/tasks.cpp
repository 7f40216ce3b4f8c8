// Chapter 03 practice: reference solutions.
#include "tasks.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace ch03 {

void stable_softmax(const float* logits, float* probs, int n) {
  float max = logits[0];
  for (int i = 1; i < n; ++i) max = logits[i] > max ? logits[i] : max;
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) {
    probs[i] = std::exp(logits[i] - max);
    sum += probs[i];
  }
  for (int i = 0; i < n; ++i) probs[i] /= sum;
}

void causal_mask(float* scores, int T) {
  for (int t = 0; t < T; ++t)
    for (int s = t + 1; s < T; ++s) scores[t * T + s] = -std::numeric_limits<float>::infinity();
}

void single_head_attention(const float* q, const float* k, const float* v, float* att, float* out, int T,
                           int hs) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < T; ++s) {
      float dot = 0.0f;
      for (int i = 0; i < hs; ++i) dot += q[t * hs + i] * k[s * hs + i];
      att[t * T + s] = dot * scale;
    }
  causal_mask(att, T);
  for (int t = 0; t < T; ++t) stable_softmax(att + t * T, att + t * T, T);
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < hs; ++i) {
      float sum = 0.0f;
      for (int s = 0; s < T; ++s) sum += att[t * T + s] * v[s * hs + i];
      out[t * hs + i] = sum;
    }
}

void sliding_window_mask(float* scores, int T, int window) {
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < T; ++s)
      if (s > t || s <= t - window) scores[t * T + s] = -std::numeric_limits<float>::infinity();
}

void alibi_scores(float* scores, int T, float slope) {
  causal_mask(scores, T);
  for (int t = 0; t < T; ++t)
    for (int s = 0; s <= t; ++s) scores[t * T + s] -= slope * static_cast<float>(t - s);
}

void softmax_backward(const float* probs, const float* dprobs, float* dlogits, int n) {
  // dprobs_i/dlogits_j = p_i (δ_ij - p_j), so dlogits_j = p_j (dprobs_j - sum_i dprobs_i p_i).
  float dot = 0.0f;
  for (int i = 0; i < n; ++i) dot += dprobs[i] * probs[i];
  for (int j = 0; j < n; ++j) dlogits[j] += probs[j] * (dprobs[j] - dot);
}

void split_heads(const float* qkv, float* q, float* k, float* v, int T, int C, int NH) {
  const int hs = C / NH;
  for (int h = 0; h < NH; ++h)
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < hs; ++i) {
        const float* row = qkv + t * 3 * C + h * hs + i;
        const int at = (h * T + t) * hs + i;
        q[at] = row[0];
        k[at] = row[C];
        v[at] = row[2 * C];
      }
}

void merge_heads(const float* heads, float* out, int T, int C, int NH) {
  const int hs = C / NH;
  for (int h = 0; h < NH; ++h)
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < hs; ++i) out[t * C + h * hs + i] = heads[(h * T + t) * hs + i];
}

void single_head_attention_backward(const float* q, const float* k, const float* v, const float* att,
                                    const float* dout, float* dq, float* dk, float* dv, int T, int hs) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  std::vector<float> datt(static_cast<size_t>(T) * T, 0.0f), dscores(static_cast<size_t>(T) * T, 0.0f);
  // out = att · v: datt = dout · vᵀ, dv += attᵀ · dout.
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < T; ++s)
      for (int i = 0; i < hs; ++i) {
        datt[t * T + s] += dout[t * hs + i] * v[s * hs + i];
        dv[s * hs + i] += att[t * T + s] * dout[t * hs + i];
      }
  // att = softmax(scores) row by row.
  for (int t = 0; t < T; ++t) softmax_backward(att + t * T, datt.data() + t * T, dscores.data() + t * T, T);
  // scores = scale * q · kᵀ: dq += scale * dscores · k, dk += scale * dscoresᵀ · q.
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < T; ++s) {
      const float g = dscores[t * T + s] * scale;
      for (int i = 0; i < hs; ++i) {
        dq[t * hs + i] += g * k[s * hs + i];
        dk[s * hs + i] += g * q[t * hs + i];
      }
    }
}

void multi_head_attention(const float* qkv, float* att, float* out, int T, int C, int NH) {
  const int hs = C / NH;
  const size_t part = static_cast<size_t>(T) * C;  // NH * T * hs
  std::vector<float> q(part), k(part), v(part), heads(part);
  split_heads(qkv, q.data(), k.data(), v.data(), T, C, NH);
  for (int h = 0; h < NH; ++h) {
    const size_t at = static_cast<size_t>(h) * T * hs;
    single_head_attention(q.data() + at, k.data() + at, v.data() + at, att + static_cast<size_t>(h) * T * T,
                          heads.data() + at, T, hs);
  }
  merge_heads(heads.data(), out, T, C, NH);
}

}  // namespace ch03
