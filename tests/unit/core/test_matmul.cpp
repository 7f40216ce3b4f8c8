// gemm's three forms and the three matmul forms against a reference written here in double precision.
//
// Tolerance: a float32 dot product of K terms, summed in any order, is within gamma_K * sum_p |a_ip b_pj|
// of the exact value, where gamma_K ~= K * u and u = 2^-24 is float32's unit roundoff (Higham, "Accuracy and
// Stability of Numerical Algorithms", 3.1). We allow (K + 4) * 2u times the sum of magnitudes (alpha, beta
// and the final add cost a few more roundings; the factor 2 leaves room for FMA-vs-separate rounding). That
// bound is tight enough to catch a wrong index (an error of the size of the values themselves) and loose
// enough for any legitimate summation order (BLAS kernels, tiles).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "core/rng.hpp"

namespace {

using minillm::Accumulate;
using minillm::Error;
using minillm::GemmForm;

// gemm's three forms, each held to the double-precision reference below.
struct NamedForm {
  const char* name;
  GemmForm form;
};
const NamedForm kForms[] = {{"naive", minillm::gemm_naive}, {"blocked", minillm::gemm_blocked}, {"blas", minillm::gemm}};

std::vector<float> random_values(size_t n, uint64_t seed) {
  minillm::Rng rng(seed);
  std::vector<float> v(n);
  rng.fill_uniform(v, -1.0f, 1.0f);
  return v;
}

// A row-major matrix stored with leading dimension ld (>= cols); the padding holds `pad`.
struct Stored {
  int64_t rows, cols, ld;
  std::vector<float> values;
  float get(int64_t i, int64_t j) const { return values[i * ld + j]; }
};

Stored random_stored(int64_t rows, int64_t cols, int64_t ld, uint64_t seed, float pad) {
  Stored s{rows, cols, ld, std::vector<float>(size_t(rows * ld), pad)};
  std::vector<float> v = random_values(size_t(rows * cols), seed);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) s.values[i * ld + j] = v[i * cols + j];
  return s;
}

// Expected C and the error bound for each element, computed in double from the definition
//   C = alpha * op(A) op(B) + beta * C.
struct Expected {
  std::vector<double> value, tolerance;
};

Expected reference_gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const Stored& a,
                        const Stored& b, float beta, const Stored& c) {
  constexpr double u = 1.0 / (1 << 24);
  Expected e{std::vector<double>(size_t(m * n)), std::vector<double>(size_t(m * n))};
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0.0, magnitude = 0.0;
      for (int64_t p = 0; p < k; ++p) {
        double x = ta ? a.get(p, i) : a.get(i, p);
        double y = tb ? b.get(j, p) : b.get(p, j);
        sum += x * y;
        magnitude += std::fabs(x * y);
      }
      double prior = beta == 0.0f ? 0.0 : double(beta) * c.get(i, j);
      e.value[i * n + j] = alpha * sum + prior;
      e.tolerance[i * n + j] = double(k + 4) * 2.0 * u * (std::fabs(alpha) * magnitude + std::fabs(prior)) + 1e-30;
    }
  }
  return e;
}

// Runs one gemm in every form with padded (ld > row length) operands and checks the results, and that
// the padding of C was left alone.
void check_gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, float beta, int64_t pad) {
  const std::string what = fmt::format("gemm(ta={}, tb={}, M={}, N={}, K={}, alpha={}, beta={}, pad={})", ta, tb,
                                       m, n, k, alpha, beta, pad);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Stored shapes: op(A) is [M,K], so A is [K,M] when transposed; likewise B.
  // NaN in the padding of A and B: a form that reads outside its rows would produce NaN.
  Stored a = ta ? random_stored(k, m, m + pad, 1, nan) : random_stored(m, k, k + pad, 1, nan);
  Stored b = tb ? random_stored(n, k, k + pad, 2, nan) : random_stored(k, n, n + pad, 2, nan);
  constexpr float kSentinel = 12345.0f;
  Stored c0 = random_stored(m, n, n + pad, 3, kSentinel);
  Expected expected = reference_gemm(ta, tb, m, n, k, alpha, a, b, beta, c0);

  for (const auto& [name, gemm] : kForms) {
    Stored c = c0;
    gemm(ta, tb, m, n, k, alpha, a.values.data(), a.ld, b.values.data(), b.ld, beta, c.values.data(), c.ld);
    int reported = 0;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < c.ld; ++j) {
        if (j >= n) {
          ASSERT_EQ(c.get(i, j), kSentinel) << name << " " << what << " wrote outside C at (" << i
                                            << ", " << j << ")";
          continue;
        }
        const double want = expected.value[i * n + j], tol = expected.tolerance[i * n + j];
        if (!(std::fabs(c.get(i, j) - want) <= tol) && reported++ < 3) {
          ADD_FAILURE() << name << " " << what << ": C(" << i << ", " << j << ") = " << c.get(i, j)
                        << ", expected " << want << " within " << tol;
        }
      }
    }
  }
}

struct Dims {
  int64_t m, n, k;
};

// 1x1x1; primes; a dot product (1xKx1); an outer product (Mx1xN); tall and skinny; wide; and sizes just past
// the blocked form's tiles (64 rows, 256 columns, 128 deep) so partial tiles are exercised.
constexpr Dims kShapes[] = {{1, 1, 1},  {7, 5, 13},  {1, 1, 64}, {9, 11, 1},
                            {300, 2, 3}, {2, 3, 1000}, {3, 300, 7}, {65, 257, 129}};

TEST(Gemm, AllFormsAgreeOnOddShapesAndAllTranspositions) {
  for (const Dims& d : kShapes)
    for (bool ta : {false, true})
      for (bool tb : {false, true}) check_gemm(ta, tb, d.m, d.n, d.k, 1.0f, 0.0f, 0);
}

TEST(Gemm, SubBlocksWithLeadingDimensionLargerThanTheRow) {
  for (const Dims& d : {Dims{7, 5, 13}, Dims{65, 257, 129}, Dims{1, 1, 1}})
    for (bool ta : {false, true})
      for (bool tb : {false, true}) check_gemm(ta, tb, d.m, d.n, d.k, 1.0f, 0.0f, 3);
}

TEST(Gemm, AlphaAndBetaScale) {
  check_gemm(false, false, 7, 5, 13, 0.5f, 0.0f, 0);
  check_gemm(false, true, 7, 5, 13, -2.0f, 1.0f, 2);
  check_gemm(true, false, 7, 5, 13, 1.0f, 0.25f, 1);
  check_gemm(true, true, 65, 257, 129, 3.0f, -1.5f, 0);
}

TEST(Gemm, BetaZeroIgnoresNaNInC) {
  // BLAS semantics: with beta = 0, C is write-only, so garbage (even NaN) in it must not leak into the result.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8};  // [2,2] each
  for (const auto& [name, gemm] : kForms) {
    std::vector<float> c(4, nan);
    gemm(false, false, 2, 2, 2, 1.0f, a.data(), 2, b.data(), 2, 0.0f, c.data(), 2);
    // [1 2; 3 4] . [5 6; 7 8] = [19 22; 43 50]
    EXPECT_EQ(c, (std::vector<float>{19, 22, 43, 50})) << name << ": beta = 0 must overwrite NaN";
  }
}

// The friendly forms: check their layouts against the reference directly.
TEST(Matmul, ThreeFormsMatchTheirDefinitions) {
  const int64_t m = 6, k = 11, n = 4;
  std::vector<float> a_mk = random_values(m * k, 10), b_kn = random_values(k * n, 11);
  std::vector<float> b_nk = random_values(n * k, 12), a_km = random_values(k * m, 13);
  {
    std::vector<float> ab(m * n), abt(m * n), atb(m * n);
    minillm::matmul_ab(ab.data(), a_mk.data(), b_kn.data(), m, k, n, Accumulate::Overwrite);
    minillm::matmul_abt(abt.data(), a_mk.data(), b_nk.data(), m, k, n, Accumulate::Overwrite);
    minillm::matmul_atb(atb.data(), a_km.data(), b_kn.data(), m, k, n, Accumulate::Overwrite);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double want_ab = 0, want_abt = 0, want_atb = 0;
        for (int64_t p = 0; p < k; ++p) {
          want_ab += double(a_mk[i * k + p]) * b_kn[p * n + j];   // a[m,k] . b[k,n]
          want_abt += double(a_mk[i * k + p]) * b_nk[j * k + p];  // a[m,k] . b[n,k]^T
          want_atb += double(a_km[p * m + i]) * b_kn[p * n + j];  // a[k,m]^T . b[k,n]
        }
        // |terms| <= 1, so the sum of magnitudes is <= k: tolerance (k+4) * 2u * k.
        const double tol = (k + 4) * 2.0 * k / (1 << 24);
        EXPECT_NEAR(ab[i * n + j], want_ab, tol) << "matmul_ab at (" << i << ", " << j << ")";
        EXPECT_NEAR(abt[i * n + j], want_abt, tol) << "matmul_abt at (" << i << ", " << j << ")";
        EXPECT_NEAR(atb[i * n + j], want_atb, tol) << "matmul_atb at (" << i << ", " << j << ")";
      }
    }
  }
}

TEST(Matmul, AccumulateAddAddsToWhatWasThere) {
  // [1 2] . [3; 4] = 11; starting from 100, Add gives 111 and Overwrite gives 11 (all exact in float).
  std::vector<float> a = {1, 2}, b = {3, 4};
  {
    float c = 100.0f;
    minillm::matmul_ab(&c, a.data(), b.data(), 1, 2, 1, Accumulate::Add);
    EXPECT_EQ(c, 111.0f) << "Accumulate::Add adds the product to C";
    minillm::matmul_ab(&c, a.data(), b.data(), 1, 2, 1, Accumulate::Overwrite);
    EXPECT_EQ(c, 11.0f) << "Accumulate::Overwrite replaces C";
    c = 1.0f;
    minillm::matmul_abt(&c, a.data(), b.data(), 1, 2, 1, Accumulate::Add);
    EXPECT_EQ(c, 12.0f) << "matmul_abt with Add";
    c = 1.0f;
    minillm::matmul_atb(&c, a.data(), b.data(), 1, 2, 1, Accumulate::Add);
    // a as [k=2, m=1]^T . b as [k=2, n=1] is the same dot product.
    EXPECT_EQ(c, 12.0f) << "matmul_atb with Add";
  }
}

std::string gemm_error(int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc, bool ta = false) {
  std::vector<float> buffer(64, 0.0f);
  try {
    minillm::gemm(ta, false, m, n, k, 1.0f, buffer.data(), lda, buffer.data(), ldb, 0.0f, buffer.data(), ldc);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Matmul, ZeroSizeIsAnErrorNamingTheShape) {
  std::vector<float> x(4, 1.0f);
  EXPECT_THROW(minillm::matmul_ab(x.data(), x.data(), x.data(), 0, 2, 2, Accumulate::Overwrite), Error);
  EXPECT_THROW(minillm::matmul_abt(x.data(), x.data(), x.data(), 2, 0, 2, Accumulate::Overwrite), Error);
  EXPECT_THROW(minillm::matmul_atb(x.data(), x.data(), x.data(), 2, 2, 0, Accumulate::Overwrite), Error);
  for (const auto& [name, gemm] : kForms)
    EXPECT_THROW(gemm(false, false, 0, 2, 2, 1.0f, x.data(), 2, x.data(), 2, 0.0f, x.data(), 2), Error) << name;
  // M = 0, K = 3, N = 2: the message shows the shapes [0, 3] by [3, 2] and says why it is wrong.
  std::string message = gemm_error(0, 2, 3, 3, 2, 2);
  EXPECT_NE(message.find("[0, 3] by a [3, 2]"), std::string::npos) << message;
  EXPECT_NE(message.find("at least 1"), std::string::npos) << message;
  message = gemm_error(2, 2, 0, 1, 2, 2);
  EXPECT_NE(message.find("[2, 0] by a [0, 2]"), std::string::npos) << message;
}

TEST(Matmul, LeadingDimensionTooSmallIsAnError) {
  EXPECT_NE(gemm_error(2, 2, 3, 2, 2, 2).find("lda = 2"), std::string::npos) << "A's rows hold K = 3 floats";
  EXPECT_NE(gemm_error(2, 3, 2, 2, 2, 3).find("ldb = 2"), std::string::npos) << "B's rows hold N = 3 floats";
  EXPECT_NE(gemm_error(2, 3, 2, 2, 3, 2).find("ldc = 2"), std::string::npos) << "C's rows hold N = 3 floats";
  EXPECT_NE(gemm_error(3, 2, 2, 2, 2, 2, true).find("lda = 2"), std::string::npos)
      << "transposed A is stored [K, M]: its rows hold M = 3 floats";
}

TEST(Matmul, FlopCountIsTwoMNK) {
  EXPECT_EQ(minillm::matmul_flops(2, 3, 4), 48.0) << "2 * M * N * K";
  EXPECT_EQ(minillm::matmul_flops(1024, 1024, 1024), 2.0 * 1024 * 1024 * 1024);
}

}  // namespace
