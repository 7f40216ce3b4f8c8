#include "nn/lora.hpp"

#include <cstddef>

#include "core/matmul.hpp"

namespace minillm {

// lesson: lora_forward
// The adapter's path: down to R numbers per row (h = inp · Aᵀ), back up to OC (h · Bᵀ), scaled, and added
// onto what the frozen layer computed. Two thin products, R·(C + OC) multiplies per row instead of C·OC.
void lora_forward_plain(float* out, float* h, const float* inp, const float* A, const float* B, float scale, int N,
                        int C, int OC, int R) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;  // row n of inp [C]
    float* hn = h + static_cast<size_t>(n) * R;         // row n of h [R]
    for (int r = 0; r < R; ++r) {
      const float* a = A + static_cast<size_t>(r) * C;  // row r of A [C]
      float sum = 0.0f;
      for (int c = 0; c < C; ++c) sum += x[c] * a[c];
      hn[r] = sum;
    }
    float* y = out + static_cast<size_t>(n) * OC;
    for (int o = 0; o < OC; ++o) {
      const float* b = B + static_cast<size_t>(o) * R;  // row o of B [R]
      float sum = 0.0f;
      for (int r = 0; r < R; ++r) sum += hn[r] * b[r];
      y[o] += scale * sum;
    }
  }
}
// end lesson: lora_forward

// lesson: lora_backward
// ACCUMULATES. The forward is two linear layers without bias, inp -> h -> out (times scale), so the backward
// is linear_backward twice, outer layer first:
//   dB[o][r]  += scale · Σn dout[n][o] · h[n][r]        dh[n][r] = scale · Σo dout[n][o] · B[o][r]
//   dA[r][c]  += Σn dh[n][r] · inp[n][c]                dinp[n][c] += Σr dh[n][r] · A[r][c]
// The frozen W's share of dinp (dout · W) is linear_backward's, called with no dweight.
void lora_backward_plain(float* dinp, float* dA, float* dB, float* dh, const float* dout, const float* inp,
                         const float* h, const float* A, const float* B, float scale, int N, int C, int OC, int R) {
  for (int n = 0; n < N; ++n) {
    const float* dy = dout + static_cast<size_t>(n) * OC;
    const float* hn = h + static_cast<size_t>(n) * R;
    float* dhn = dh + static_cast<size_t>(n) * R;
    for (int r = 0; r < R; ++r) dhn[r] = 0.0f;
    for (int o = 0; o < OC; ++o) {
      const float d = scale * dy[o];
      const float* b = B + static_cast<size_t>(o) * R;
      float* db = dB + static_cast<size_t>(o) * R;
      for (int r = 0; r < R; ++r) {
        db[r] += d * hn[r];
        dhn[r] += d * b[r];
      }
    }
    const float* x = inp + static_cast<size_t>(n) * C;
    float* dx = dinp + static_cast<size_t>(n) * C;
    for (int r = 0; r < R; ++r) {
      const float* a = A + static_cast<size_t>(r) * C;
      float* da = dA + static_cast<size_t>(r) * C;
      for (int c = 0; c < C; ++c) {
        da[c] += dhn[r] * x[c];
        dx[c] += dhn[r] * a[c];
      }
    }
  }
}
// end lesson: lora_backward

// The fast forms: the same four products as gemms over all N rows (h and dh are [N,R], thin and cheap).
void lora_forward(float* out, float* h, const float* inp, const float* A, const float* B, float scale, int N, int C,
                  int OC, int R) {
  matmul_abt(h, inp, A, N, C, R, Accumulate::Overwrite);                     // h[N,R] = inp · Aᵀ
  gemm(false, true, N, OC, R, scale, h, R, B, R, 1.0f, out, OC);             // out += scale · h · Bᵀ
}

void lora_backward(float* dinp, float* dA, float* dB, float* dh, const float* dout, const float* inp, const float* h,
                   const float* A, const float* B, float scale, int N, int C, int OC, int R) {
  gemm(true, false, OC, R, N, scale, dout, OC, h, R, 1.0f, dB, R);           // dB += scale · doutᵀ · h
  gemm(false, false, N, R, OC, scale, dout, OC, B, R, 0.0f, dh, R);          // dh = scale · dout · B
  matmul_atb(dA, dh, inp, R, N, C, Accumulate::Add);                         // dA += dhᵀ · inp
  matmul_ab(dinp, dh, A, N, R, C, Accumulate::Add);                          // dinp += dh · A
}

// lesson: lora_merge
void lora_merge(float* weight, const float* A, const float* B, float scale, int C, int OC, int R) {
  for (int o = 0; o < OC; ++o)
    for (int r = 0; r < R; ++r) {
      const float b = scale * B[static_cast<size_t>(o) * R + r];
      const float* a = A + static_cast<size_t>(r) * C;
      float* w = weight + static_cast<size_t>(o) * C;  // row o of W gains scale · B[o][r] · (row r of A)
      for (int c = 0; c < C; ++c) w[c] += b * a[c];
    }
}
// end lesson: lora_merge

}  // namespace minillm
