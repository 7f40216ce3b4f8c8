#include "nn/linear.hpp"

#include <cstddef>

#include "core/matmul.hpp"

namespace minillm {

// out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias[OC]
// One BLAS gemm over all N = B*T rows at once: never a small gemm per token.
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC) {
  matmul_abt(inp, weight, out, N, C, OC, Accumulate::Overwrite);
  if (bias == nullptr) return;
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    float* row = out + static_cast<size_t>(n) * OC;
    for (int o = 0; o < OC; ++o) row[o] += bias[o];
  }
}

// ACCUMULATES (+=) into dinp[N,C], dweight[OC,C], dbias[OC]. From out = inp · Wᵀ + b:
//   dinp += dout · W        [N,OC]·[OC,C]
//   dW   += doutᵀ · inp     [OC,N]·[N,C]
//   db   += sum over rows of dout
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  matmul_ab(dout, weight, dinp, N, OC, C, Accumulate::Add);
  matmul_atb(dout, inp, dweight, OC, N, C, Accumulate::Add);
  if (dbias == nullptr) return;
  // Parallel over output columns so each thread owns its dbias entries (no races, no atomics).
#pragma omp parallel for schedule(static)
  for (int o = 0; o < OC; ++o) {
    float sum = 0.0f;
    for (int n = 0; n < N; ++n) sum += dout[static_cast<size_t>(n) * OC + o];
    dbias[o] += sum;
  }
}

}  // namespace minillm
