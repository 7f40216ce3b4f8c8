// Chapter 03 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace ch03 {

void stable_softmax(float* probs, const float* logits, int n) {
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

void single_head_attention(float* out, float* att, const float* q, const float* k, const float* v, int T, int hs) {
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

void softmax_backward(float* dlogits, const float* probs, const float* dprobs, int n) {
  // dprobs_i/dlogits_j = p_i (δ_ij - p_j), so dlogits_j = p_j (dprobs_j - sum_i dprobs_i p_i).
  float dot = 0.0f;
  for (int i = 0; i < n; ++i) dot += dprobs[i] * probs[i];
  for (int j = 0; j < n; ++j) dlogits[j] += probs[j] * (dprobs[j] - dot);
}

void split_heads(float* q, float* k, float* v, const float* qkv, int T, int C, int NH) {
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

void merge_heads(float* out, const float* heads, int T, int C, int NH) {
  const int hs = C / NH;
  for (int h = 0; h < NH; ++h)
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < hs; ++i) out[t * C + h * hs + i] = heads[(h * T + t) * hs + i];
}

void single_head_attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* q,
                                    const float* k, const float* v, const float* att, int T, int hs) {
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
  for (int t = 0; t < T; ++t) softmax_backward(dscores.data() + t * T, att + t * T, datt.data() + t * T, T);
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

void multi_head_attention(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  const int hs = C / NH;
  const size_t part = static_cast<size_t>(T) * C;  // NH * T * hs: one sequence's q (or k, v, heads)
  const size_t square = static_cast<size_t>(T) * T;
  std::vector<float> q(part), k(part), v(part), heads(part);
  for (int b = 0; b < B; ++b) {
    split_heads(q.data(), k.data(), v.data(), qkv + b * 3 * part, T, C, NH);
    for (int h = 0; h < NH; ++h) {
      const size_t at = static_cast<size_t>(h) * T * hs;
      float* pre = preatt + (static_cast<size_t>(b) * NH + h) * square;
      float* probs = att + (static_cast<size_t>(b) * NH + h) * square;
      single_head_attention(heads.data() + at, probs, q.data() + at, k.data() + at, v.data() + at, T, hs);
      // The scores before the softmax, kept as the library keeps them (its backward reads only att).
      const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
      for (int t = 0; t < T; ++t)
        for (int s = 0; s < T; ++s) {
          float dot = 0.0f;
          for (int i = 0; i < hs; ++i) dot += q[at + t * hs + i] * k[at + s * hs + i];
          pre[t * T + s] = s <= t ? dot * scale : -std::numeric_limits<float>::infinity();
        }
    }
    merge_heads(out + b * part, heads.data(), T, C, NH);
  }
}

void multi_head_attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                                   const float* att, int B, int T, int C, int NH) {
  (void)dpreatt;  // scratch the library uses; the local buffers below do the same job
  (void)datt;
  const int hs = C / NH;
  const size_t part = static_cast<size_t>(T) * C;  // NH * T * hs: one sequence's q (or k, v, heads)
  std::vector<float> q(part), k(part), v(part), dheads(part), dq(part), dk(part), dv(part), zero(part, 0.0f);
  for (int b = 0; b < B; ++b) {
    split_heads(q.data(), k.data(), v.data(), qkv + b * 3 * part, T, C, NH);
    // dout's rows hold the heads side by side, as out did: cut them like the query third of a qkv row.
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < NH; ++h)
        for (int i = 0; i < hs; ++i) dheads[(h * T + t) * hs + i] = dout[b * part + t * C + h * hs + i];
    std::fill(dq.begin(), dq.end(), 0.0f);
    std::fill(dk.begin(), dk.end(), 0.0f);
    std::fill(dv.begin(), dv.end(), 0.0f);
    for (int h = 0; h < NH; ++h) {
      const size_t at = static_cast<size_t>(h) * T * hs;
      single_head_attention_backward(dq.data() + at, dk.data() + at, dv.data() + at, dheads.data() + at,
                                     q.data() + at, k.data() + at, v.data() + at,
                                     att + (static_cast<size_t>(b) * NH + h) * T * T, T, hs);
    }
    // The backward of split_heads: every gradient goes back to the place of qkv it was cut from.
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < NH; ++h)
        for (int i = 0; i < hs; ++i) {
          float* row = dqkv + (b * T + t) * 3 * static_cast<size_t>(C) + h * hs + i;
          row[0] += dq[(h * T + t) * hs + i];
          row[C] += dk[(h * T + t) * hs + i];
          row[2 * C] += dv[(h * T + t) * hs + i];
        }
  }
}

}  // namespace ch03
