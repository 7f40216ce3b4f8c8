#pragma once
// Matrix multiplication, the operation that dominates an LLM's running time.
//
// Everything is row-major. gemm() is the general form BLAS offers:
//     C[M,N] = alpha * op(A)[M,K] · op(B)[K,N] + beta * C
// where op(X) is X or its transpose, and lda/ldb/ldc are row strides (>= the row length), so a gemm can
// work on a block inside a bigger matrix (one attention head inside a [T, 3C] buffer, say).
//
// The three friendly forms are the ones a layer's forward and backward passes need:
//     forward   out = inp · Wᵀ        matmul_abt   (W stored [out_features, in_features], like PyTorch)
//     backward dinp += dout · W       matmul_ab
//     backward dW  += doutᵀ · inp     matmul_atb
// Each takes Accumulate::Add to add into C (backward passes accumulate) or Accumulate::Overwrite, and puts
// its output first, as every function over flat buffers here does (docs/course.md, "Argument order");
// gemm() alone keeps BLAS's order, being BLAS's interface.
//
// gemm comes in three forms with one signature (GemmForm): gemm_naive, the triple loop over the definition
// that the tests trust; gemm_blocked, the cache-blocked loop nest chapter 00 uses to show why BLAS wins; and
// gemm, OpenBLAS's cblas_sgemm, which the friendly forms and every fast kernel call. There is no switch
// between them here: which form of an operation the model runs is the kernel table's choice alone
// (nn/kernels.hpp), whose plain forms are loops and whose fast forms call gemm.
#include <cstdint>

namespace minillm {

enum class Accumulate { Overwrite, Add };

// General row-major gemm. Each form throws Error if any of M, N, K is < 1 or a leading dimension is too small.
using GemmForm = void (*)(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                          const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                          int64_t ldc);
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
void gemm_naive(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
void gemm_blocked(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The friendly forms (OpenBLAS).
// c[m,n] (+)= a[m,k] · b[k,n]
void matmul_ab(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
               Accumulate acc = Accumulate::Overwrite);
// c[m,n] (+)= a[m,k] · b[n,k]ᵀ
void matmul_abt(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
                Accumulate acc = Accumulate::Overwrite);
// c[m,n] (+)= a[k,m]ᵀ · b[k,n]
void matmul_atb(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
                Accumulate acc = Accumulate::Overwrite);

// FLOPs of one [m,k]·[k,n] product: each of the m*n outputs needs k multiplies and k adds.
inline double matmul_flops(int64_t m, int64_t k, int64_t n) { return 2.0 * double(m) * double(n) * double(k); }

}  // namespace minillm
