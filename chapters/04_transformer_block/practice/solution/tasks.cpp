// Chapter 04 practice: reference solutions.
#include "tasks.hpp"

#include <cmath>

namespace ch04 {

void layernorm_forward(const float* inp, const float* weight, const float* bias, float* out, float* mean,
                       float* rstd, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    float m = 0.0f;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= static_cast<float>(C);
    float var = 0.0f;
    for (int c = 0; c < C; ++c) var += (x[c] - m) * (x[c] - m);
    var /= static_cast<float>(C);
    const float s = 1.0f / std::sqrt(var + 1e-5f);
    for (int c = 0; c < C; ++c) out[n * C + c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

void layernorm_backward(const float* dout, const float* inp, const float* weight, const float* mean,
                        const float* rstd, float* dinp, float* dweight, float* dbias, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    const float* dy = dout + n * C;
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
      dbias[c] += dy[c];
      dweight[c] += dy[c] * xhat;
      dinp[n * C + c] += rstd[n] * (dy[c] * weight[c] - g_mean - xhat * gx_mean);
    }
  }
}

void gelu_backward(const float* inp, const float* dout, float* dinp, int n) {
  const float k = std::sqrt(2.0f / 3.14159265358979f);
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float th = std::tanh(k * (x + 0.044715f * x * x * x));
    const float grad = 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * k * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += grad * dout[i];
  }
}

}  // namespace ch04
