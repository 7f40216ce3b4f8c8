#include "nn/layernorm.hpp"

#include <cmath>
#include <cstddef>

namespace minillm {

// out[N,C], mean[N], rstd[N] from inp[N,C]. Each row is normalised on its own, so rows run in parallel.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;
    float* y = out + static_cast<size_t>(n) * C;
    float sum = 0.0f;
    for (int c = 0; c < C; ++c) sum += x[c];
    const float m = sum / static_cast<float>(C);
    // Two passes (mean first, then squared deviations): E[x²] - E[x]² would cancel badly in float32.
    float sq = 0.0f;
    for (int c = 0; c < C; ++c) sq += (x[c] - m) * (x[c] - m);
    const float s = 1.0f / std::sqrt(sq / static_cast<float>(C) + kLayerNormEps);
    for (int c = 0; c < C; ++c) y[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

// lesson: layernorm_backward_plain
// ACCUMULATES into dinp[N,C], dweight[C], dbias[C]. With xhat = (x - mean) * rstd and g = dout * weight:
//   dbias   += sum_n dout
//   dweight += sum_n dout * xhat
//   dinp    += rstd * (g - mean_c(g) - xhat * mean_c(g * xhat))
// (the two subtracted means are the gradient flowing through mean and rstd, which depend on every x[c]).
void layernorm_backward_plain(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                              const float* weight, const float* mean, const float* rstd, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;
    const float* dy = dout + static_cast<size_t>(n) * C;
    float* dx = dinp + static_cast<size_t>(n) * C;
    float g_mean = 0.0f, gx_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      g_mean += dy[c] * weight[c];
      gx_mean += dy[c] * weight[c] * xhat;
    }
    g_mean /= static_cast<float>(C);
    gx_mean /= static_cast<float>(C);
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      dx[c] += rstd[n] * (dy[c] * weight[c] - g_mean - xhat * gx_mean);
      if (dweight == nullptr) continue;  // a frozen LayerNorm (LoRA): only the input gets a gradient
      dbias[c] += dy[c];
      dweight[c] += dy[c] * xhat;
    }
  }
}
// end lesson: layernorm_backward_plain

// The fast form of the same sums.
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  // dinp: rows are independent, parallel over rows.
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;
    const float* dy = dout + static_cast<size_t>(n) * C;
    float* dx = dinp + static_cast<size_t>(n) * C;
    const float m = mean[n], s = rstd[n];
    float g_mean = 0.0f, gx_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float g = dy[c] * weight[c];
      g_mean += g;
      gx_mean += g * (x[c] - m) * s;
    }
    g_mean /= static_cast<float>(C);
    gx_mean /= static_cast<float>(C);
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - m) * s;
      dx[c] += s * (dy[c] * weight[c] - g_mean - xhat * gx_mean);
    }
  }
  if (dweight == nullptr) return;  // frozen (LoRA): no gradient for the LayerNorm's parameters
  // dweight, dbias: sums over rows, parallel over blocks of columns so every thread owns its entries;
  // inside a block the rows are read left to right (contiguous memory).
  constexpr int kBlock = 64;
  const int blocks = (C + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static)
  for (int blk = 0; blk < blocks; ++blk) {
    const int c0 = blk * kBlock, c1 = c0 + kBlock < C ? c0 + kBlock : C;
    float dw[kBlock] = {}, db[kBlock] = {};
    for (int n = 0; n < N; ++n) {
      const float* x = inp + static_cast<size_t>(n) * C;
      const float* dy = dout + static_cast<size_t>(n) * C;
      for (int c = c0; c < c1; ++c) {
        dw[c - c0] += dy[c] * (x[c] - mean[n]) * rstd[n];
        db[c - c0] += dy[c];
      }
    }
    for (int c = c0; c < c1; ++c) {
      dweight[c] += dw[c - c0];
      dbias[c] += db[c - c0];
    }
  }
}

}  // namespace minillm
