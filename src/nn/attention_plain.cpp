#include "nn/attention_plain.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

#include "core/error.hpp"

namespace minillm {

namespace {

void check_shapes(int B, int T, int C, int NH) {
  require(B >= 1 && T >= 1 && C >= 1 && NH >= 1, "attention: B={}, T={}, C={}, NH={} must all be >= 1", B, T, C,
          NH);
  require(C % NH == 0, "attention: C = {} is not divisible by the number of heads NH = {}", C, NH);
}

}  // namespace

// lesson: attention_forward_plain
void attention_forward_plain(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C,
                             int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;  // channels per head
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t C3 = 3 * static_cast<size_t>(C);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < NH; ++h) {
        const float* q = qkv + (size_t(b) * T + t) * C3 + size_t(h) * hs;  // query: first third of the row
        float* pre = preatt + ((size_t(b) * NH + h) * T + t) * T;         // row t of this head's [T,T]
        float* p = att + ((size_t(b) * NH + h) * T + t) * T;
        // 1. scores against keys 0..t (the key is the row's second third), and their maximum
        float max = -std::numeric_limits<float>::infinity();
        for (int s = 0; s <= t; ++s) {
          const float* k = qkv + (size_t(b) * T + s) * C3 + C + size_t(h) * hs;
          float dot = 0.0f;
          for (int i = 0; i < hs; ++i) dot += q[i] * k[i];
          pre[s] = dot * scale;
          if (pre[s] > max) max = pre[s];
        }
        // 2. softmax over 0..t (minus the maximum, so exp never overflows); the future gets exactly 0
        float sum = 0.0f;
        for (int s = 0; s <= t; ++s) {
          p[s] = std::exp(pre[s] - max);
          sum += p[s];
        }
        for (int s = 0; s <= t; ++s) p[s] /= sum;
        for (int s = t + 1; s < T; ++s) {
          pre[s] = -std::numeric_limits<float>::infinity();
          p[s] = 0.0f;
        }
        // 3. out_t = the attention-weighted sum of the values (the row's last third)
        float* o = out + (size_t(b) * T + t) * C + size_t(h) * hs;
        for (int i = 0; i < hs; ++i) o[i] = 0.0f;
        for (int s = 0; s <= t; ++s) {
          const float* v = qkv + (size_t(b) * T + s) * C3 + 2 * size_t(C) + size_t(h) * hs;
          for (int i = 0; i < hs; ++i) o[i] += p[s] * v[i];
        }
      }
}
// end lesson: attention_forward_plain

// lesson: attention_backward_plain
// The three steps of the forward, in reverse, for every (b, t, h):
//   3. out_t = Σ_s att[s] v_s      datt[s] = dout_t · v_s,   dv_s += att[s] · dout_t
//   2. att = softmax(pre)          dpre[s] = att[s] (datt[s] - Σ_r att[r] datt[r])
//   1. pre[s] = scale · q_t · k_s   dq_t += scale · dpre[s] · k_s,   dk_s += scale · dpre[s] · q_t
void attention_backward_plain(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                              const float* att, int B, int T, int C, int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t C3 = 3 * static_cast<size_t>(C);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < NH; ++h) {
        const size_t row = ((size_t(b) * NH + h) * T + t) * T;
        const float* p = att + row;
        float* dp = datt + row;
        float* dpre = dpreatt + row;
        const float* d = dout + (size_t(b) * T + t) * C + size_t(h) * hs;
        // 3. through out_t = Σ_s att[s] v_s
        for (int s = 0; s < T; ++s) dp[s] = 0.0f;
        for (int s = 0; s <= t; ++s) {
          const float* v = qkv + (size_t(b) * T + s) * C3 + 2 * size_t(C) + size_t(h) * hs;
          float* dv = dqkv + (size_t(b) * T + s) * C3 + 2 * size_t(C) + size_t(h) * hs;
          for (int i = 0; i < hs; ++i) {
            dp[s] += v[i] * d[i];
            dv[i] += p[s] * d[i];
          }
        }
        // 2. through the softmax (masked entries have att = 0, so they get 0)
        float dot = 0.0f;
        for (int s = 0; s <= t; ++s) dot += p[s] * dp[s];
        for (int s = 0; s < T; ++s) dpre[s] = s <= t ? p[s] * (dp[s] - dot) : 0.0f;
        // 1. through the scaled dot products
        const float* q = qkv + (size_t(b) * T + t) * C3 + size_t(h) * hs;
        float* dq = dqkv + (size_t(b) * T + t) * C3 + size_t(h) * hs;
        for (int s = 0; s <= t; ++s) {
          const float* k = qkv + (size_t(b) * T + s) * C3 + C + size_t(h) * hs;
          float* dk = dqkv + (size_t(b) * T + s) * C3 + C + size_t(h) * hs;
          for (int i = 0; i < hs; ++i) {
            dq[i] += scale * dpre[s] * k[i];
            dk[i] += scale * dpre[s] * q[i];
          }
        }
      }
}
// end lesson: attention_backward_plain

}  // namespace minillm
