#include "nn/attention.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "nn/vector_exp.hpp"

namespace minillm {

namespace {

// Where head h of batch b starts inside the fused qkv[B,T,3C] buffer. Rows are 3C apart, so each head's
// Q, K and V are [T,hs] matrices with leading dimension 3C that BLAS reads in place, without copies.
struct HeadViews {
  const float* q;
  const float* k;
  const float* v;
};

HeadViews head_views(const float* qkv, int b, int h, int T, int C, int hs) {
  const float* base = qkv + static_cast<size_t>(b) * T * 3 * C + static_cast<size_t>(h) * hs;
  return {base, base + C, base + 2 * C};
}

void check_shapes(int B, int T, int C, int NH) {
  require(B >= 1 && T >= 1 && C >= 1 && NH >= 1, "attention: B={}, T={}, C={}, NH={} must all be >= 1", B, T, C,
          NH);
  require(C % NH == 0, "attention: C = {} is not divisible by the number of heads NH = {}", C, NH);
}

}  // namespace

// Three phases, each over all B*NH heads: the score gemms, one parallel loop of masked softmaxes, the
// value gemms. Alternating a BLAS call and an OpenMP loop per head instead makes the two thread pools
// hand the cores back and forth 2*B*NH times per pass, and with busy-waiting threads that was 15x slower
// on 2 cores (tests/bench/bench_block.cpp, docs/benchmarks.md).

// lesson: attention_forward
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t TT = static_cast<size_t>(T) * T;
  // 1. scores = Q·Kᵀ / sqrt(hs), one BLAS call per head. The scale keeps the scores' spread ~1 whatever
  //    hs is, so the softmax does not saturate into a one-hot at initialisation.
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h) {
      const HeadViews head = head_views(qkv, b, h, T, C, hs);
      float* scores = preatt + (static_cast<size_t>(b) * NH + h) * TT;  // [T,T]
      gemm(false, true, T, T, hs, scale, head.q, 3 * C, head.k, 3 * C, 0.0f, scores, T);
    }
  // 2. Causal mask + stable softmax on every row of every head: row t sees keys 0..t. Masked scores
  //    become -inf (exp(-inf) = 0), so their probability is exactly 0.
  const int rows = B * NH * T;
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    const int t = r % T;
    float* row = preatt + static_cast<size_t>(r) * T;
    float* p = att + static_cast<size_t>(r) * T;
    const float max = row_max(row, t + 1);
    const float inv = static_cast<float>(1.0 / exp_shifted_sum(p, row, max, t + 1));
    for (int s = 0; s <= t; ++s) p[s] *= inv;
    for (int s = t + 1; s < T; ++s) {
      row[s] = -std::numeric_limits<float>::infinity();
      p[s] = 0.0f;
    }
  }
  // 3. out_h = att · V  [T,T]·[T,hs], written into columns h*hs.. of out[B,T,C] (leading dimension C).
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h) {
      const HeadViews head = head_views(qkv, b, h, T, C, hs);
      const float* probs = att + (static_cast<size_t>(b) * NH + h) * TT;
      float* out_h = out + static_cast<size_t>(b) * T * C + static_cast<size_t>(h) * hs;
      gemm(false, false, T, hs, T, 1.0f, probs, T, head.v, 3 * C, 0.0f, out_h, C);
    }
}
// end lesson: attention_forward

// lesson: attention_backward
// ACCUMULATES into dqkv. Going backwards through the three steps of the forward pass, per head:
//   out = att·V          datt = dout·Vᵀ,            dV += attᵀ·dout
//   att = softmax(pre)   dpre = att ⊙ (datt - rowsum(datt ⊙ att))    (masked entries have att = 0 -> 0)
//   pre = s·Q·Kᵀ         dQ += s·dpre·K,            dK += s·dpreᵀ·Q
void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t TT = static_cast<size_t>(T) * T;
  auto dhead = [&](int b, int h) { return dqkv + static_cast<size_t>(b) * T * 3 * C + static_cast<size_t>(h) * hs; };
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h) {
      const HeadViews head = head_views(qkv, b, h, T, C, hs);
      const float* dout_h = dout + static_cast<size_t>(b) * T * C + static_cast<size_t>(h) * hs;
      const float* probs = att + (static_cast<size_t>(b) * NH + h) * TT;
      float* dprobs = datt + (static_cast<size_t>(b) * NH + h) * TT;
      gemm(false, true, T, T, hs, 1.0f, dout_h, C, head.v, 3 * C, 0.0f, dprobs, T);          // datt = dout·Vᵀ
      gemm(true, false, T, hs, T, 1.0f, probs, T, dout_h, C, 1.0f, dhead(b, h) + 2 * C, 3 * C);  // dV += attᵀ·dout
    }
  const int rows = B * NH * T;
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    const int t = r % T;
    const float* p = att + static_cast<size_t>(r) * T;
    const float* dp = datt + static_cast<size_t>(r) * T;
    float* dz = dpreatt + static_cast<size_t>(r) * T;
    float dot = 0.0f;
    for (int s = 0; s <= t; ++s) dot += dp[s] * p[s];
    for (int s = 0; s <= t; ++s) dz[s] = p[s] * (dp[s] - dot);
    for (int s = t + 1; s < T; ++s) dz[s] = 0.0f;  // the mask: no gradient reaches future keys
  }
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h) {
      const HeadViews head = head_views(qkv, b, h, T, C, hs);
      const float* dscores = dpreatt + (static_cast<size_t>(b) * NH + h) * TT;
      gemm(false, false, T, hs, T, scale, dscores, T, head.k, 3 * C, 1.0f, dhead(b, h), 3 * C);     // dQ += s·dpre·K
      gemm(true, false, T, hs, T, scale, dscores, T, head.q, 3 * C, 1.0f, dhead(b, h) + C, 3 * C);  // dK += s·dpreᵀ·Q
    }
}
// end lesson: attention_backward

}  // namespace minillm
