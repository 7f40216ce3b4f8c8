#include "core/matmul.hpp"

#include <algorithm>
#include <vector>

#include <cblas.h>

#include "core/error.hpp"

namespace minillm {

namespace {

void check_gemm_args(bool ta, bool tb, int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc) {
  require(m >= 1 && n >= 1 && k >= 1,
          "matmul of a [{}, {}] by a [{}, {}] matrix: every dimension must be at least 1 (an empty matrix "
          "usually means a batch or sequence length of 0 upstream)",
          m, k, k, n);
  // Row-major: a stored row of op(A) has K columns (or M if transposed), and so on.
  require(lda >= (ta ? m : k), "gemm: lda = {} is smaller than a row of A ({})", lda, ta ? m : k);
  require(ldb >= (tb ? k : n), "gemm: ldb = {} is smaller than a row of B ({})", ldb, tb ? k : n);
  require(ldc >= n, "gemm: ldc = {} is smaller than a row of C ({})", ldc, n);
}

// Element (i, p) of op(A) and (p, j) of op(B), for the reference loops.
inline float elem(const float* x, int64_t ld, bool transposed, int64_t row, int64_t col) {
  return transposed ? x[col * ld + row] : x[row * ld + col];
}

void scale_c(float beta, float* c, int64_t m, int64_t n, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f) {
      std::fill_n(row, n, 0.0f);  // beta == 0 ignores what C held, even NaN, as BLAS does
    } else if (beta != 1.0f) {
      for (int64_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
}

}  // namespace

// The reference: one output at a time, a dot product over k in double so it is a trustworthy baseline.
void gemm_naive(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  check_gemm_args(ta, tb, m, n, k, lda, ldb, ldc);
  // lesson: naive_loop
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int64_t p = 0; p < k; ++p) sum += double(elem(a, lda, ta, i, p)) * double(elem(b, ldb, tb, p, j));
      float prior = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
      c[i * ldc + j] = prior + alpha * static_cast<float>(sum);
    }
  }
  // end lesson: naive_loop
}

// Cache blocking: work on tiles small enough to stay in L1/L2 while they are reused. The operands are first
// copied into contiguous non-transposed form so the inner loop streams through memory with stride 1.
void gemm_blocked(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                  const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  check_gemm_args(ta, tb, m, n, k, lda, ldb, ldc);
  std::vector<float> a_rows(static_cast<size_t>(m * k)), b_rows(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) a_rows[i * k + p] = alpha * elem(a, lda, ta, i, p);
  for (int64_t p = 0; p < k; ++p)
    for (int64_t j = 0; j < n; ++j) b_rows[p * n + j] = elem(b, ldb, tb, p, j);
  scale_c(beta, c, m, n, ldc);

  // lesson: blocked_loop
  constexpr int64_t kTileM = 64, kTileN = 256, kTileK = 128;
  for (int64_t i0 = 0; i0 < m; i0 += kTileM) {
    for (int64_t p0 = 0; p0 < k; p0 += kTileK) {
      for (int64_t j0 = 0; j0 < n; j0 += kTileN) {
        const int64_t i1 = std::min(i0 + kTileM, m), p1 = std::min(p0 + kTileK, k), j1 = std::min(j0 + kTileN, n);
        for (int64_t i = i0; i < i1; ++i) {
          float* c_row = c + i * ldc;
          for (int64_t p = p0; p < p1; ++p) {
            const float a_ip = a_rows[i * k + p];
            const float* b_row = &b_rows[p * n];
            for (int64_t j = j0; j < j1; ++j) c_row[j] += a_ip * b_row[j];  // vectorises: stride 1
          }
        }
      }
    }
  }
  // end lesson: blocked_loop
}

void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  check_gemm_args(ta, tb, m, n, k, lda, ldb, ldc);
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

namespace {
float beta_for(Accumulate acc) { return acc == Accumulate::Add ? 1.0f : 0.0f; }
}  // namespace

void matmul_ab(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, Accumulate acc) {
  gemm(false, false, m, n, k, 1.0f, a, k, b, n, beta_for(acc), c, n);
}

void matmul_abt(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, Accumulate acc) {
  gemm(false, true, m, n, k, 1.0f, a, k, b, k, beta_for(acc), c, n);
}

void matmul_atb(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, Accumulate acc) {
  gemm(true, false, m, n, k, 1.0f, a, m, b, n, beta_for(acc), c, n);
}

}  // namespace minillm
