#include "nn/attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "core/threads.hpp"
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

// lesson: attention_forward
// Causal row blocks. Query rows r0..r1-1 only look at keys 0..r1-1, so a score gemm over the block
// needs r1 columns, not T: with blocks of 32 rows and T = 128 the gemms do 10/16 of the full T×T work.
// Inside the diagonal block the masked entries (s > t) are still computed, then overwritten by the mask.
constexpr int kCausalBlock = 32;

// One head's forward: scores, masked softmax, att·V. Runs inside the parallel loop over heads, so its
// gemms run on the calling thread (see BlasOnCallingThread).
void head_forward(float* out_h, float* scores, float* probs, const HeadViews& head, int T, int C, int hs,
                  float scale) {
  // 1. scores = Q·Kᵀ / sqrt(hs), row block by row block. The scale keeps the scores' spread ~1 whatever
  //    hs is, so the softmax does not saturate into a one-hot at initialisation.
  for (int r0 = 0; r0 < T; r0 += kCausalBlock) {
    const int r1 = std::min(T, r0 + kCausalBlock);
    gemm(false, true, r1 - r0, r1, hs, scale, head.q + size_t(r0) * 3 * C, 3 * C, head.k, 3 * C, 0.0f,
         scores + size_t(r0) * T, T);
  }
  // 2. Causal mask + stable softmax on every row: row t sees keys 0..t. Masked scores become -inf
  //    (exp(-inf) = 0), so their probability is exactly 0.
  for (int t = 0; t < T; ++t) {
    float* row = scores + size_t(t) * T;
    float* p = probs + size_t(t) * T;
    const float max = row_max(row, t + 1);
    const float inv = static_cast<float>(1.0 / exp_shifted_sum(p, row, max, t + 1));
    for (int s = 0; s <= t; ++s) p[s] *= inv;
    for (int s = t + 1; s < T; ++s) {
      row[s] = -std::numeric_limits<float>::infinity();
      p[s] = 0.0f;
    }
  }
  // 3. out_h = att · V  [T,T]·[T,hs], written into columns h*hs.. of out[B,T,C] (leading dimension C);
  //    rows r0..r1-1 of att are 0 beyond column r1.
  for (int r0 = 0; r0 < T; r0 += kCausalBlock) {
    const int r1 = std::min(T, r0 + kCausalBlock);
    gemm(false, false, r1 - r0, hs, r1, 1.0f, probs + size_t(r0) * T, T, head.v, 3 * C, 0.0f,
         out_h + size_t(r0) * C, C);
  }
}
// end lesson: attention_forward

// lesson: attention_backward
// ACCUMULATES into one head's dq, dk, dv (columns of dqkv). Going backwards through the forward pass:
//   out = att·V          datt = dout·Vᵀ,            dV += attᵀ·dout
//   att = softmax(pre)   dpre = att ⊙ (datt - rowsum(datt ⊙ att))    (masked entries have att = 0 -> 0)
//   pre = s·Q·Kᵀ         dQ += s·dpre·K,            dK += s·dpreᵀ·Q
// The causal blocks again: row block r0..r1-1 of datt, dpre·K needs columns 0..r1-1 only, and key block
// s0..s1-1 of dV and dK gets contributions from query rows s0..T-1 only (att[t][s] = 0 for t < s).
void head_backward(float* dq, float* dk, float* dv, float* dscores, float* dprobs, const float* dout_h,
                   const float* probs, const HeadViews& head, int T, int C, int hs, float scale) {
  for (int r0 = 0; r0 < T; r0 += kCausalBlock) {
    const int r1 = std::min(T, r0 + kCausalBlock);
    gemm(false, true, r1 - r0, r1, hs, 1.0f, dout_h + size_t(r0) * C, C, head.v, 3 * C, 0.0f,
         dprobs + size_t(r0) * T, T);                                                      // datt = dout·Vᵀ
    gemm(true, false, r1 - r0, hs, T - r0, 1.0f, probs + size_t(r0) * T + r0, T, dout_h + size_t(r0) * C, C,
         1.0f, dv + size_t(r0) * 3 * C, 3 * C);                                            // dV += attᵀ·dout
  }
  for (int t = 0; t < T; ++t) {
    const float* p = probs + size_t(t) * T;
    const float* dp = dprobs + size_t(t) * T;
    float* dz = dscores + size_t(t) * T;
    float dot = 0.0f;
    for (int s = 0; s <= t; ++s) dot += dp[s] * p[s];
    for (int s = 0; s <= t; ++s) dz[s] = p[s] * (dp[s] - dot);
    for (int s = t + 1; s < T; ++s) dz[s] = 0.0f;  // the mask: no gradient reaches future keys
  }
  for (int r0 = 0; r0 < T; r0 += kCausalBlock) {
    const int r1 = std::min(T, r0 + kCausalBlock);
    gemm(false, false, r1 - r0, hs, r1, scale, dscores + size_t(r0) * T, T, head.k, 3 * C, 1.0f,
         dq + size_t(r0) * 3 * C, 3 * C);                                                  // dQ += s·dpre·K
    gemm(true, false, r1 - r0, hs, T - r0, scale, dscores + size_t(r0) * T + r0, T, head.q + size_t(r0) * 3 * C,
         3 * C, 1.0f, dk + size_t(r0) * 3 * C, 3 * C);                                     // dK += s·dpreᵀ·Q
  }
}
// end lesson: attention_backward

}  // namespace

// lesson: attention_heads
// One parallel loop over the B*NH heads, each head done whole by one thread (its gemms single-threaded):
// the scores stay in cache between the gemm and the softmax, and the cores are never handed between
// OpenMP and OpenBLAS inside attention. (Alternating a multi-threaded BLAS call with an OpenMP loop per
// head would make the two thread pools trade the cores 2*B*NH times per pass: docs/benchmarks.md measures
// what that costs.)
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t TT = static_cast<size_t>(T) * T;
  const BlasOnCallingThread one_blas_thread;
#pragma omp parallel for schedule(static)
  for (int bh = 0; bh < B * NH; ++bh) {
    const int b = bh / NH, h = bh % NH;
    float* out_h = out + static_cast<size_t>(b) * T * C + static_cast<size_t>(h) * hs;
    head_forward(out_h, preatt + bh * TT, att + bh * TT, head_views(qkv, b, h, T, C, hs), T, C, hs, scale);
  }
}

// ACCUMULATES into dqkv: head_backward for every head, in parallel (heads write disjoint columns).
void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH) {
  check_shapes(B, T, C, NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const size_t TT = static_cast<size_t>(T) * T;
  const BlasOnCallingThread one_blas_thread;
#pragma omp parallel for schedule(static)
  for (int bh = 0; bh < B * NH; ++bh) {
    const int b = bh / NH, h = bh % NH;
    const size_t col = static_cast<size_t>(b) * T * 3 * C + static_cast<size_t>(h) * hs;
    const float* dout_h = dout + static_cast<size_t>(b) * T * C + static_cast<size_t>(h) * hs;
    head_backward(dqkv + col, dqkv + col + C, dqkv + col + 2 * C, dpreatt + bh * TT, datt + bh * TT, dout_h,
                  att + bh * TT, head_views(qkv, b, h, T, C, hs), T, C, hs, scale);
  }
}
// end lesson: attention_heads

}  // namespace minillm
