#include "nn/linear.hpp"

#include <algorithm>
#include <cstddef>

#include "core/matmul.hpp"

namespace minillm {

// lesson: linear_plain
void linear_forward_plain(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                          int OC) {
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      const float* x = inp + static_cast<size_t>(n) * C;
      const float* w = weight + static_cast<size_t>(o) * C;  // row o of W: the weights into output o
      float sum = bias != nullptr ? bias[o] : 0.0f;
      for (int c = 0; c < C; ++c) sum += x[c] * w[c];
      out[static_cast<size_t>(n) * OC + o] = sum;
    }
}

// ACCUMULATES. Output o of row n used inp[n][c] with weight w[o][c], so its gradient flows back to both:
//   dinp[n][c] += dout[n][o] · w[o][c],   dweight[o][c] += dout[n][o] · inp[n][c],   dbias[o] += dout[n][o]
void linear_backward_plain(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                           const float* weight, int N, int C, int OC) {
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      const float d = dout[static_cast<size_t>(n) * OC + o];
      const float* x = inp + static_cast<size_t>(n) * C;
      const float* w = weight + static_cast<size_t>(o) * C;
      float* dx = dinp + static_cast<size_t>(n) * C;
      float* dw = dweight != nullptr ? dweight + static_cast<size_t>(o) * C : nullptr;  // nullptr: W is frozen
      for (int c = 0; c < C; ++c) {
        dx[c] += d * w[c];
        if (dw != nullptr) dw[c] += d * x[c];
      }
      if (dbias != nullptr) dbias[o] += d;
    }
}
// end lesson: linear_plain

// lesson: linear_layer
// out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias[OC]
// One BLAS gemm over all N = B*T rows at once: never a small gemm per token.
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC) {
  if (bias == nullptr) {
    matmul_abt(out, inp, weight, N, C, OC, Accumulate::Overwrite);
    return;
  }
  // Every row starts as the bias and the gemm adds inp·Wᵀ onto it (beta = 1): one write pass over out,
  // instead of BLAS zeroing it (beta = 0) and a second pass adding the bias.
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) std::copy(bias, bias + OC, out + static_cast<size_t>(n) * OC);
  matmul_abt(out, inp, weight, N, C, OC, Accumulate::Add);
}

// ACCUMULATES (+=) into dinp[N,C], dweight[OC,C], dbias[OC]. From out = inp · Wᵀ + b:
//   dinp += dout · W        [N,OC]·[OC,C]
//   dW   += doutᵀ · inp     [OC,N]·[N,C]
//   db   += sum over rows of dout
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  matmul_ab(dinp, dout, weight, N, OC, C, Accumulate::Add);
  if (dweight != nullptr) matmul_atb(dweight, dout, inp, OC, N, C, Accumulate::Add);  // nullptr: W is frozen
  if (dbias == nullptr) return;
  // Column sums, parallel over blocks of columns so each thread owns its dbias entries (no races, no
  // atomics); inside a block the rows are read left to right, so memory is walked contiguously.
  constexpr int kBlock = 64;
  const int blocks = (OC + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static)
  for (int blk = 0; blk < blocks; ++blk) {
    const int o0 = blk * kBlock, o1 = o0 + kBlock < OC ? o0 + kBlock : OC;
    float sum[kBlock] = {};
    for (int n = 0; n < N; ++n) {
      const float* row = dout + static_cast<size_t>(n) * OC;
      for (int o = o0; o < o1; ++o) sum[o - o0] += row[o];
    }
    for (int o = o0; o < o1; ++o) dbias[o] += sum[o - o0];
  }
}
// end lesson: linear_layer

}  // namespace minillm
