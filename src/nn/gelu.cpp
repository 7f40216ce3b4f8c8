#include "nn/gelu.hpp"

#include <algorithm>
#include <cmath>

#include "nn/vector_exp.hpp"

namespace minillm {

namespace {

const float kSqrt2OverPi = std::sqrt(2.0f / 3.14159265358979323846f);
constexpr float kCubic = 0.044715f;

}  // namespace

// lesson: gelu_plain
void gelu_forward_plain(float* out, const float* inp, int n) {
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float u = kSqrt2OverPi * (x + kCubic * x * x * x);
    out[i] = 0.5f * x * (1.0f + std::tanh(u));
  }
}

// ACCUMULATES into dinp. The product rule on 0.5 x (1 + tanh u), with tanh' = 1 - tanh²:
//   d/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) du/dx,   du/dx = sqrt(2/pi) (1 + 3·0.044715 x²)
void gelu_backward_plain(float* dinp, const float* inp, const float* dout, int n) {
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float th = std::tanh(kSqrt2OverPi * (x + kCubic * x * x * x));
    const float du_dx = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x * x);
    dinp[i] += (0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * du_dx) * dout[i];
  }
}
// end lesson: gelu_plain

namespace {

// The fast form. Both passes work through the array in chunks that stay in L1, each chunk in short loops that vectorise:
//   e = exp(-2u) for the chunk, then the formula.
// Why exp(-2u) and not tanh(u): 0.5 (1 + tanh u) = 1 / (1 + exp(-2u)) = sigmoid(2u), so GELU needs one
// exp, no tanhf (a scalar library call, which keeps the loop from vectorising), and no cancellation in 1 + tanh(u)
// where tanh(u) is close to -1.
constexpr int kChunk = 256;

// e[j] = exp(-2u(x[j])) for j < n. Inlined into each clone below, so it is compiled for each target.
inline __attribute__((always_inline)) void exp_minus_2u(float* e, const float* x, int n) {
  for (int j = 0; j < n; ++j) e[j] = -2.0f * kSqrt2OverPi * (x[j] + kCubic * x[j] * x[j] * x[j]);
  exp_in_place(e, n);
}

// The chunk kernels are compiled for AVX2 and for the baseline (MINILLM_AVX2_CLONE, core/target_clones.hpp),
// with bit-identical results; docs/benchmarks.md has what that gains.

// out[j] = 0.5 x (1 + tanh(u)) = x · sigmoid(2u),  u = sqrt(2/pi) (x + 0.044715 x^3)
MINILLM_AVX2_CLONE void gelu_forward_chunk(float* out, const float* x, int len) {
  float e[kChunk];
  exp_minus_2u(e, x, len);
  for (int j = 0; j < len; ++j) out[j] = x[j] / (1.0f + e[j]);
}

// ACCUMULATES into dinp. Product rule on x · s with s = sigmoid(2u), ds/du = 2 s (1 - s):
//   d/dx = s + 2 x s (1 - s) du/dx,   du/dx = sqrt(2/pi) (1 + 3·0.044715 x²)
// with 1 - s = e·s (e = exp(-2u)), exact also where s is tiny.
MINILLM_AVX2_CLONE void gelu_backward_chunk(float* dinp, const float* x, const float* dout, int len) {
  float e[kChunk];
  exp_minus_2u(e, x, len);
  for (int j = 0; j < len; ++j) {
    const float s = 1.0f / (1.0f + e[j]);
    const float du_dx = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x[j] * x[j]);
    dinp[j] += (s + 2.0f * x[j] * s * (e[j] * s) * du_dx) * dout[j];
  }
}

}  // namespace

void gelu_forward(float* out, const float* inp, int n) {
  const int chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static)
  for (int c = 0; c < chunks; ++c) {
    const int begin = c * kChunk;
    gelu_forward_chunk(out + begin, inp + begin, std::min(kChunk, n - begin));
  }
}

void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
  const int chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static)
  for (int c = 0; c < chunks; ++c) {
    const int begin = c * kChunk;
    gelu_backward_chunk(dinp + begin, inp + begin, dout + begin, std::min(kChunk, n - begin));
  }
}

}  // namespace minillm
