// Chapter 03 practice: reference solutions.
#include "tasks.hpp"

#include <cmath>
#include <limits>

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

}  // namespace ch03
