#include "nn/residual.hpp"

namespace minillm {

// Below this many floats the threads cost more to wake than the adds take (a decoding step's rows: 768).
constexpr int kThreadedFrom = 1 << 14;

// out[n] = a[n] + b[n]
void residual_forward(float* out, const float* a, const float* b, int n) {
#pragma omp parallel for schedule(static) if (n >= kThreadedFrom)
  for (int i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

// ACCUMULATES: d(a+b)/da = d(a+b)/db = 1, so both branches receive dout unchanged. This is why deep
// networks with residual connections train: the gradient has a direct path back to the input.
void residual_backward(float* da, float* db, const float* dout, int n) {
#pragma omp parallel for schedule(static) if (n >= kThreadedFrom)
  for (int i = 0; i < n; ++i) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}

}  // namespace minillm
