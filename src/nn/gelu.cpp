#include "nn/gelu.hpp"

#include <cmath>

namespace minillm {

namespace {
const float kSqrt2OverPi = std::sqrt(2.0f / 3.14159265358979323846f);
constexpr float kCubic = 0.044715f;
}  // namespace

// out[i] = 0.5 x (1 + tanh(u)),  u = sqrt(2/pi) (x + 0.044715 x^3)
void gelu_forward(float* out, const float* inp, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float u = kSqrt2OverPi * (x + kCubic * x * x * x);
    out[i] = 0.5f * x * (1.0f + std::tanh(u));
  }
}

// ACCUMULATES into dinp. Product rule on 0.5 x (1 + tanh u):
//   d/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) du/dx,   du/dx = sqrt(2/pi) (1 + 3·0.044715 x²)
void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float u = kSqrt2OverPi * (x + kCubic * x * x * x);
    const float th = std::tanh(u);
    const float du_dx = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x * x);
    const float local = 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * du_dx;
    dinp[i] += local * dout[i];
  }
}

}  // namespace minillm
