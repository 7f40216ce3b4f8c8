// Chapter 00 practice: reference solutions.
#include "tasks.hpp"

namespace ch00 {

int64_t offset_2d(int64_t i, int64_t j, int64_t cols) { return i * cols + j; }

int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C) { return (b * T + t) * C + c; }

void transpose(const float* in, float* out, int64_t rows, int64_t cols) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out[offset_2d(j, i, rows)] = in[offset_2d(i, j, cols)];
}

void matmul(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float sum = 0.0f;
      for (int64_t p = 0; p < k; ++p) sum += a[i * k + p] * b[p * n + j];
      out[i * n + j] = sum;
    }
  }
}

void matmul_backward(const float* a, const float* b, const float* dout, float* da, float* db, int64_t m,
                     int64_t k, int64_t n) {
  // da[m, k] += dout[m, n] · b[k, n]ᵀ: row i of dout dotted with row p of b.
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t p = 0; p < k; ++p) {
      float sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) sum += dout[i * n + j] * b[p * n + j];
      da[i * k + p] += sum;
    }
  }
  // db[k, n] += a[m, k]ᵀ · dout[m, n]: each row i contributes a(i, p) times row i of dout.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < n; ++j) db[p * n + j] += a[i * k + p] * dout[i * n + j];
}

}  // namespace ch00
