#pragma once
// Chapter 00 practice: flat row-major buffers and the matrix multiply, forward and backward.
// All matrices are float buffers in row-major order; shapes are in the comments.
#include <cstdint>

namespace ch00 {

// Offset of element (i, j) in a row-major [rows, cols] matrix.
int64_t offset_2d(int64_t i, int64_t j, int64_t cols);

// Offset of element (b, t, c) in a row-major [B, T, C] tensor (B does not appear: it only bounds b).
int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C);

// out[cols, rows] = in[rows, cols] transposed.
void transpose(const float* in, float* out, int64_t rows, int64_t cols);

// out[m, n] = a[m, k] · b[k, n]  (overwrites out)
void matmul(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n);

// Backward of out[m, n] = a[m, k] · b[k, n], given dout[m, n] = dLoss/dout. ACCUMULATES:
//   da[m, k] += dout · bᵀ
//   db[k, n] += aᵀ · dout
void matmul_backward(const float* a, const float* b, const float* dout, float* da, float* db, int64_t m,
                     int64_t k, int64_t n);

}  // namespace ch00
