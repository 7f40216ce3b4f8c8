// Tests for chapter 00's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "tasks.hpp"

namespace {

constexpr float kSentinel = -777.0f;  // written after a buffer's end: it must still be there afterwards

std::vector<float> random_values(int64_t count, uint64_t seed) {
  minillm::Rng rng(seed);
  std::vector<float> values(static_cast<size_t>(count));
  rng.fill_uniform(values, -1.0f, 1.0f);
  return values;
}

// ---- row_major_index ----

TEST(RowMajorIndex, TwoDimensions) {
  EXPECT_EQ(ch00::offset_2d(0, 0, 4), 0) << "(0, 0) is the first float";
  EXPECT_EQ(ch00::offset_2d(0, 3, 4), 3) << "(0, 3) in a 3x4 matrix: still in row 0, so offset 3";
  EXPECT_EQ(ch00::offset_2d(1, 2, 4), 6) << "(1, 2) in a 3x4 matrix is 1*4+2 = 6";
  EXPECT_EQ(ch00::offset_2d(2, 0, 4), 8) << "(2, 0) in a 3x4 matrix skips two rows of 4";
}

TEST(RowMajorIndex, TwoDimensionsVisitMemoryInOrder) {
  // Walking (i, j) with j fastest must visit offsets 0, 1, 2, ... with no gaps: that is row-major.
  int64_t expected = 0;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 5; ++j)
      ASSERT_EQ(ch00::offset_2d(i, j, 5), expected++) << "(" << i << ", " << j << ") in a 3x5 matrix";
}

TEST(RowMajorIndex, ThreeDimensions) {
  EXPECT_EQ(ch00::offset_3d(0, 0, 3, 4, 5), 3) << "(0, 0, 3) in [2, 4, 5]: the 4th float";
  EXPECT_EQ(ch00::offset_3d(0, 1, 0, 4, 5), 5) << "(0, 1, 0) in [2, 4, 5]: one row of C=5 floats in";
  EXPECT_EQ(ch00::offset_3d(1, 0, 0, 4, 5), 20) << "(1, 0, 0) in [2, 4, 5]: one whole [4, 5] matrix in";
  EXPECT_EQ(ch00::offset_3d(1, 2, 3, 4, 5), 33) << "(1, 2, 3) in [2, 4, 5] is 1*20 + 2*5 + 3 = 33";
  int64_t expected = 0;
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 3; ++t)
      for (int64_t c = 0; c < 4; ++c)
        ASSERT_EQ(ch00::offset_3d(b, t, c, 3, 4), expected++) << "(" << b << ", " << t << ", " << c << ") in [2, 3, 4]";
}

// ---- transpose ----

TEST(Transpose, SmallExample) {
  // [1 2 3]        [1 4]
  // [4 5 6]   ->   [2 5]
  //                [3 6]
  std::vector<float> in = {1, 2, 3, 4, 5, 6}, out(6 + 1, 0.0f);
  out[6] = kSentinel;
  ch00::transpose(in.data(), out.data(), 2, 3);
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 6), (std::vector<float>{1, 4, 2, 5, 3, 6}))
      << "the transpose of the 2x3 matrix [1 2 3; 4 5 6] is the 3x2 matrix [1 4; 2 5; 3 6]";
  EXPECT_EQ(out[6], kSentinel) << "transpose wrote past the end of out (it has rows*cols floats)";
}

TEST(Transpose, EveryElementMovesToItsMirrorPosition) {
  const int64_t rows = 5, cols = 7;
  std::vector<float> in = random_values(rows * cols, 1), out(rows * cols, 0.0f), back(rows * cols, 0.0f);
  ch00::transpose(in.data(), out.data(), rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      ASSERT_EQ(out[j * rows + i], in[i * cols + j]) << "out(" << j << ", " << i << ") should be in(" << i << ", "
                                                      << j << ") for a 5x7 input";
  ch00::transpose(out.data(), back.data(), cols, rows);
  EXPECT_EQ(back, in) << "transposing twice gives back the original matrix";
}

// ---- naive_matmul ----

TEST(NaiveMatmul, SmallExampleByHand) {
  // [1 2 3]   [ 7  8]   [1*7+2*9+3*11  1*8+2*10+3*12]   [ 58  64]
  // [4 5 6] . [ 9 10] = [4*7+5*9+6*11  4*8+5*10+6*12] = [139 154]
  //           [11 12]
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, out(4, 0.0f);
  ch00::matmul(a.data(), b.data(), out.data(), 2, 3, 2);
  EXPECT_EQ(out, (std::vector<float>{58, 64, 139, 154})) << "[1 2 3; 4 5 6] . [7 8; 9 10; 11 12]";
}

TEST(NaiveMatmul, OverwritesWhatWasInOut) {
  std::vector<float> a = {1, 2}, b = {3, 4}, out = {std::numeric_limits<float>::quiet_NaN()};
  ch00::matmul(a.data(), b.data(), out.data(), 1, 2, 1);
  EXPECT_EQ(out[0], 11.0f) << "[1 2] . [3; 4] = 11, whatever out held before (here NaN)";
}

TEST(NaiveMatmul, MatchesBlasOnRectangularShapes) {
  // Three different sizes, so swapping m, k or n anywhere gives wrong answers or wrong offsets.
  const int64_t m = 3, k = 5, n = 4;
  std::vector<float> a = random_values(m * k, 2), b = random_values(k * n, 3);
  std::vector<float> out(m * n + 1, 0.0f), expected(m * n, 0.0f);
  out[m * n] = kSentinel;
  ch00::matmul(a.data(), b.data(), out.data(), m, k, n);
  minillm::matmul_ab(a.data(), b.data(), expected.data(), m, k, n);
  // Sums of 5 products of numbers in [-1, 1]: float32 rounding differences stay below 1e-6.
  for (int64_t i = 0; i < m * n; ++i)
    ASSERT_NEAR(out[i], expected[i], 1e-5) << "out(" << i / n << ", " << i % n << ") of a [3,5]·[5,4] product";
  ASSERT_EQ(out[m * n], kSentinel) << "matmul wrote past the end of out (it has m*n floats)";
}

// ---- matmul_backward ----

TEST(MatmulBackward, SmallExampleByHand) {
  // out = [1 2] . [3; 4] = [11]. With dout = [1]: da = dout · bᵀ = [3 4], db = aᵀ · dout = [1; 2].
  std::vector<float> a = {1, 2}, b = {3, 4}, dout = {1}, da = {0, 0}, db = {0, 0};
  ch00::matmul_backward(a.data(), b.data(), dout.data(), da.data(), db.data(), 1, 2, 1);
  EXPECT_EQ(da, (std::vector<float>{3, 4})) << "d(out)/d(a) is b: nudging a(0, p) changes out by b(p, 0)";
  EXPECT_EQ(db, (std::vector<float>{1, 2})) << "d(out)/d(b) is a: nudging b(p, 0) changes out by a(0, p)";
}

TEST(MatmulBackward, Accumulates) {
  std::vector<float> a = {1, 2}, b = {3, 4}, dout = {1}, da = {10, 10}, db = {10, 10};
  ch00::matmul_backward(a.data(), b.data(), dout.data(), da.data(), db.data(), 1, 2, 1);
  EXPECT_EQ(da, (std::vector<float>{13, 14})) << "da must be ADDED to (10 + 3, 10 + 4), not overwritten";
  EXPECT_EQ(db, (std::vector<float>{11, 12})) << "db must be ADDED to (10 + 1, 10 + 2), not overwritten";
}

// Loss(a, b) = sum_ij out(i, j) * dout(i, j) with out = a·b, in double: its gradient with respect to out is
// exactly dout, so its gradients with respect to a and b are what matmul_backward must produce.
double loss(const std::vector<double>& a, const std::vector<double>& b, const std::vector<float>& dout, int64_t m,
            int64_t k, int64_t n) {
  double total = 0.0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double out = 0.0;
      for (int64_t p = 0; p < k; ++p) out += a[i * k + p] * b[p * n + j];
      total += out * dout[i * n + j];
    }
  return total;
}

TEST(MatmulBackward, MatchesFiniteDifferences) {
  const int64_t m = 3, k = 4, n = 5;  // all different: da is [3, 4] like a, db is [4, 5] like b
  std::vector<float> a = random_values(m * k, 4), b = random_values(k * n, 5), dout = random_values(m * n, 6);
  std::vector<float> da(m * k + 1, 0.0f), db(k * n + 1, 0.0f);
  da[m * k] = kSentinel;
  db[k * n] = kSentinel;
  ch00::matmul_backward(a.data(), b.data(), dout.data(), da.data(), db.data(), m, k, n);
  EXPECT_EQ(da[m * k], kSentinel) << "da has the shape of a, [m, k] = [3, 4]: nothing may be written past it";
  EXPECT_EQ(db[k * n], kSentinel) << "db has the shape of b, [k, n] = [4, 5]: nothing may be written past it";

  // Central differences in double. The loss is linear in each single entry, so the difference quotient is
  // exact up to double rounding (~1e-15); the tolerance covers float32 sums of at most 5 terms in [-1, 1].
  const double h = 1e-3, tol = 1e-5;
  std::vector<double> a64(a.begin(), a.end()), b64(b.begin(), b.end());
  for (int64_t idx = 0; idx < m * k; ++idx) {
    std::vector<double> plus = a64, minus = a64;
    plus[idx] += h;
    minus[idx] -= h;
    double numeric = (loss(plus, b64, dout, m, k, n) - loss(minus, b64, dout, m, k, n)) / (2 * h);
    EXPECT_NEAR(da[idx], numeric, tol) << "da(" << idx / k << ", " << idx % k << "): how much the loss changes "
                                       << "when a(" << idx / k << ", " << idx % k << ") is nudged";
  }
  for (int64_t idx = 0; idx < k * n; ++idx) {
    std::vector<double> plus = b64, minus = b64;
    plus[idx] += h;
    minus[idx] -= h;
    double numeric = (loss(a64, plus, dout, m, k, n) - loss(a64, minus, dout, m, k, n)) / (2 * h);
    EXPECT_NEAR(db[idx], numeric, tol) << "db(" << idx / n << ", " << idx % n << "): how much the loss changes "
                                       << "when b(" << idx / n << ", " << idx % n << ") is nudged";
  }
}

}  // namespace
