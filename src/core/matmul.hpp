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
// Backend::Blas goes through OpenBLAS's cblas_sgemm; Backend::Naive is the triple loop the tests trust as
// the reference; Backend::Blocked is the cache-blocked loop nest chapter 00 uses to show why BLAS wins.
#include <cstdint>

namespace minillm {

enum class Accumulate { Overwrite, Add };
enum class Backend { Blas, Naive, Blocked };

// General row-major gemm. Throws Error if any of M, N, K is < 1 or a leading dimension is too small.
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc,
          Backend backend = Backend::Blas);

// c[m,n] (+)= a[m,k] · b[k,n]
void matmul_ab(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
               Accumulate acc = Accumulate::Overwrite, Backend backend = Backend::Blas);
// c[m,n] (+)= a[m,k] · b[n,k]ᵀ
void matmul_abt(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
                Accumulate acc = Accumulate::Overwrite, Backend backend = Backend::Blas);
// c[m,n] (+)= a[k,m]ᵀ · b[k,n]
void matmul_atb(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n,
                Accumulate acc = Accumulate::Overwrite, Backend backend = Backend::Blas);

// FLOPs of one [m,k]·[k,n] product: each of the m*n outputs needs k multiplies and k adds.
inline double matmul_flops(int64_t m, int64_t k, int64_t n) { return 2.0 * double(m) * double(n) * double(k); }

}  // namespace minillm
