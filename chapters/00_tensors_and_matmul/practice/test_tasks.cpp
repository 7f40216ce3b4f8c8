// Tests for chapter 00's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/line_fit.hpp"
#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "nn/linear.hpp"
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
  for (int64_t i = 0; i < 3; i++)
    for (int64_t j = 0; j < 5; j++)
      ASSERT_EQ(ch00::offset_2d(i, j, 5), expected++) << "(" << i << ", " << j << ") in a 3x5 matrix";
}

TEST(RowMajorIndex, ThreeDimensions) {
  EXPECT_EQ(ch00::offset_3d(0, 0, 3, 4, 5), 3) << "(0, 0, 3) in [2, 4, 5]: the 4th float";
  EXPECT_EQ(ch00::offset_3d(0, 1, 0, 4, 5), 5) << "(0, 1, 0) in [2, 4, 5]: one row of C=5 floats in";
  EXPECT_EQ(ch00::offset_3d(1, 0, 0, 4, 5), 20) << "(1, 0, 0) in [2, 4, 5]: one whole [4, 5] matrix in";
  EXPECT_EQ(ch00::offset_3d(1, 2, 3, 4, 5), 33) << "(1, 2, 3) in [2, 4, 5] is 1*20 + 2*5 + 3 = 33";
  int64_t expected = 0;
  for (int64_t b = 0; b < 2; b++)
    for (int64_t t = 0; t < 3; t++)
      for (int64_t c = 0; c < 4; c++)
        ASSERT_EQ(ch00::offset_3d(b, t, c, 3, 4), expected++) << "(" << b << ", " << t << ", " << c << ") in [2, 3, 4]";
}

// ---- transpose ----

TEST(Transpose, SmallExample) {
  // [1 2 3]        [1 4]
  // [4 5 6]   ->   [2 5]
  //                [3 6]
  std::vector<float> in = {1, 2, 3, 4, 5, 6}, out(6 + 1, 0.0f);
  out[6] = kSentinel;
  ch00::transpose(out.data(), in.data(), 2, 3);
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 6), (std::vector<float>{1, 4, 2, 5, 3, 6}))
      << "the transpose of the 2x3 matrix [1 2 3; 4 5 6] is the 3x2 matrix [1 4; 2 5; 3 6]";
  EXPECT_EQ(out[6], kSentinel) << "transpose wrote past the end of out (it has rows*cols floats)";
}

TEST(Transpose, EveryElementMovesToItsMirrorPosition) {
  const int64_t rows = 5, cols = 7;
  std::vector<float> in = random_values(rows * cols, 1), out(rows * cols, 0.0f), back(rows * cols, 0.0f);
  ch00::transpose(out.data(), in.data(), rows, cols);
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++)
      ASSERT_EQ(out[j * rows + i], in[i * cols + j]) << "out(" << j << ", " << i << ") should be in(" << i << ", "
                                                      << j << ") for a 5x7 input";
  ch00::transpose(back.data(), out.data(), cols, rows);
  EXPECT_EQ(back, in) << "transposing twice gives back the original matrix";
}

// ---- naive_matmul ----

TEST(NaiveMatmul, SmallExampleByHand) {
  // [1 2 3]   [ 7  8]   [1*7+2*9+3*11  1*8+2*10+3*12]   [ 58  64]
  // [4 5 6] . [ 9 10] = [4*7+5*9+6*11  4*8+5*10+6*12] = [139 154]
  //           [11 12]
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, out(4, 0.0f);
  ch00::matmul(out.data(), a.data(), b.data(), 2, 3, 2);
  EXPECT_EQ(out, (std::vector<float>{58, 64, 139, 154})) << "[1 2 3; 4 5 6] . [7 8; 9 10; 11 12]";
}

TEST(NaiveMatmul, OverwritesWhatWasInOut) {
  std::vector<float> a = {1, 2}, b = {3, 4}, out = {std::numeric_limits<float>::quiet_NaN()};
  ch00::matmul(out.data(), a.data(), b.data(), 1, 2, 1);
  EXPECT_EQ(out[0], 11.0f) << "[1 2] . [3; 4] = 11, whatever out held before (here NaN)";
}

TEST(NaiveMatmul, MatchesBlasOnRectangularShapes) {
  // Three different sizes, so swapping m, k or n anywhere gives wrong answers or wrong offsets.
  const int64_t m = 3, k = 5, n = 4;
  std::vector<float> a = random_values(m * k, 2), b = random_values(k * n, 3);
  std::vector<float> out(m * n + 1, 0.0f), expected(m * n, 0.0f);
  out[m * n] = kSentinel;
  ch00::matmul(out.data(), a.data(), b.data(), m, k, n);
  minillm::matmul_ab(expected.data(), a.data(), b.data(), m, k, n);
  // Sums of 5 products of numbers in [-1, 1]: float32 rounding differences stay below 1e-6.
  for (int64_t i = 0; i < m * n; i++)
    ASSERT_NEAR(out[i], expected[i], 1e-5) << "out(" << i / n << ", " << i % n << ") of a [3,5]·[5,4] product";
  ASSERT_EQ(out[m * n], kSentinel) << "matmul wrote past the end of out (it has m*n floats)";
}

// ---- matmul_backward ----

TEST(MatmulBackward, SmallExampleByHand) {
  // out = [1 2] . [3; 4] = [11]. With dout = [1]: da = dout · bᵀ = [3 4], db = aᵀ · dout = [1; 2].
  std::vector<float> a = {1, 2}, b = {3, 4}, dout = {1}, da = {0, 0}, db = {0, 0};
  ch00::matmul_backward(da.data(), db.data(), dout.data(), a.data(), b.data(), 1, 2, 1);
  EXPECT_EQ(da, (std::vector<float>{3, 4})) << "d(out)/d(a) is b: nudging a(0, p) changes out by b(p, 0)";
  EXPECT_EQ(db, (std::vector<float>{1, 2})) << "d(out)/d(b) is a: nudging b(p, 0) changes out by a(0, p)";
}

TEST(MatmulBackward, Accumulates) {
  std::vector<float> a = {1, 2}, b = {3, 4}, dout = {1}, da = {10, 10}, db = {10, 10};
  ch00::matmul_backward(da.data(), db.data(), dout.data(), a.data(), b.data(), 1, 2, 1);
  EXPECT_EQ(da, (std::vector<float>{13, 14})) << "da must be ADDED to (10 + 3, 10 + 4), not overwritten";
  EXPECT_EQ(db, (std::vector<float>{11, 12})) << "db must be ADDED to (10 + 1, 10 + 2), not overwritten";
}

// Loss(a, b) = sum_ij out(i, j) * dout(i, j) with out = a·b, in double: its gradient with respect to out is
// exactly dout, so its gradients with respect to a and b are what matmul_backward must produce.
double loss(const std::vector<double>& a, const std::vector<double>& b, const std::vector<float>& dout, int64_t m,
            int64_t k, int64_t n) {
  double total = 0.0;
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      double out = 0.0;
      for (int64_t p = 0; p < k; p++) out += a[i * k + p] * b[p * n + j];
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
  ch00::matmul_backward(da.data(), db.data(), dout.data(), a.data(), b.data(), m, k, n);
  EXPECT_EQ(da[m * k], kSentinel) << "da has the shape of a, [m, k] = [3, 4]: nothing may be written past it";
  EXPECT_EQ(db[k * n], kSentinel) << "db has the shape of b, [k, n] = [4, 5]: nothing may be written past it";

  // Central differences in double. The loss is linear in each single entry, so the difference quotient is
  // exact up to double rounding (~1e-15); the tolerance covers float32 sums of at most 5 terms in [-1, 1].
  const double h = 1e-3, tol = 1e-5;
  std::vector<double> a64(a.begin(), a.end()), b64(b.begin(), b.end());
  for (int64_t idx = 0; idx < m * k; idx++) {
    std::vector<double> plus = a64, minus = a64;
    plus[idx] += h;
    minus[idx] -= h;
    double numeric = (loss(plus, b64, dout, m, k, n) - loss(minus, b64, dout, m, k, n)) / (2 * h);
    EXPECT_NEAR(da[idx], numeric, tol) << "da(" << idx / k << ", " << idx % k << "): how much the loss changes "
                                       << "when a(" << idx / k << ", " << idx % k << ") is nudged";
  }
  for (int64_t idx = 0; idx < k * n; idx++) {
    std::vector<double> plus = b64, minus = b64;
    plus[idx] += h;
    minus[idx] -= h;
    double numeric = (loss(a64, plus, dout, m, k, n) - loss(a64, minus, dout, m, k, n)) / (2 * h);
    EXPECT_NEAR(db[idx], numeric, tol) << "db(" << idx / n << ", " << idx % n << "): how much the loss changes "
                                       << "when b(" << idx / n << ", " << idx % n << ") is nudged";
  }
}

// ---- chain_rule ----

TEST(ChainRule, ValuesWorkedOutByHand) {
  // f(x) = (x² - 3x + 1)². With u = x² - 3x + 1: df/dx = 2u · (2x - 3).
  //   x = 0: u = 1,  f = 1, df/dx = 2 · 1 · (-3) = -6
  //   x = 2: u = -1, f = 1, df/dx = 2 · (-1) · 1 = -2
  //   x = 3: u = 1,  f = 1, df/dx = 2 · 1 · 3 = 6
  const double xs[3] = {0.0, 2.0, 3.0}, slopes[3] = {-6.0, -2.0, 6.0};
  for (int p = 0; p < 3; p++) {
    const ch00::ValueAndSlope got = ch00::chain_rule(xs[p]);
    EXPECT_NEAR(got.value, 1.0, 1e-12) << "f(" << xs[p] << ") = (x² - 3x + 1)² = 1";
    EXPECT_NEAR(got.slope, slopes[p], 1e-12) << "df/dx at " << xs[p] << ": the outer derivative 2u times the inner 2x - 3";
  }
}

TEST(ChainRule, ZeroSlopeWhereTheInnerPartIsZeroOrTurns) {
  // u = 0 at x = (3 ± sqrt(5)) / 2: f has a minimum there, slope 0. And at x = 1.5 the inner part turns
  // (2x - 3 = 0): slope 0 again, with f = (2.25 - 4.5 + 1)² = 1.5625.
  const double root = (3.0 + std::sqrt(5.0)) / 2.0;
  EXPECT_NEAR(ch00::chain_rule(root).value, 0.0, 1e-12) << "f is 0 where x² - 3x + 1 = 0";
  EXPECT_NEAR(ch00::chain_rule(root).slope, 0.0, 1e-12) << "a square has slope 0 where it touches 0";
  EXPECT_NEAR(ch00::chain_rule(1.5).value, 1.5625, 1e-12) << "f(1.5) = (-1.25)²";
  EXPECT_NEAR(ch00::chain_rule(1.5).slope, 0.0, 1e-12) << "the inner derivative 2x - 3 is 0 at x = 1.5";
}

TEST(ChainRule, AgreesWithFiniteDifferences) {
  // The library's central difference measures the slope of the same f, written out here.
  const auto f = [](double x) { return (x * x - 3 * x + 1) * (x * x - 3 * x + 1); };
  for (double x : {-2.0, -0.5, 0.7, 1.2, 4.0}) {
    EXPECT_NEAR(ch00::chain_rule(x).value, f(x), 1e-9) << "f(" << x << ")";
    EXPECT_NEAR(ch00::chain_rule(x).slope, minillm::finite_difference(f, x), 1e-5) << "df/dx at " << x;
  }
}

// ---- numerical_gradient ----

TEST(NumericalGradient, QuadraticWithACrossTerm) {
  // f(x0, x1) = x0^2 + 3 x1^2 + x0 x1. By hand: df/dx0 = 2 x0 + x1 = 4, df/dx1 = 6 x1 + x0 = 13 at (1, 2).
  // Central differences are exact for a quadratic (up to rounding); a one-sided difference is off by h.
  const auto f = [](const std::vector<double>& x) { return x[0] * x[0] + 3 * x[1] * x[1] + x[0] * x[1]; };
  const std::vector<double> grad = ch00::numerical_gradient(f, {1.0, 2.0}, 1e-3);
  ASSERT_EQ(grad.size(), 2u) << "one slope per coordinate of x";
  EXPECT_NEAR(grad[0], 4.0, 1e-6) << "df/dx0 = 2 x0 + x1 = 4 at (1, 2); nudge x0 alone, on both sides";
  EXPECT_NEAR(grad[1], 13.0, 1e-6) << "df/dx1 = 6 x1 + x0 = 13 at (1, 2); nudge x1 alone, on both sides";
}

TEST(NumericalGradient, StepsByHOnBothSides) {
  // f(x) = x^3 at x = 2 with h = 0.1: (2.1^3 - 1.9^3) / 0.2 = (9.261 - 6.859) / 0.2 = 12.01 (the true
  // slope is 12; central differences are off by h^2 = 0.01 here). A one-sided difference gives 12.61, a step
  // of 2h on each side 12.04.
  const auto f = [](const std::vector<double>& x) { return x[0] * x[0] * x[0]; };
  const std::vector<double> grad = ch00::numerical_gradient(f, {2.0}, 0.1);
  ASSERT_EQ(grad.size(), 1u);
  EXPECT_NEAR(grad[0], 12.01, 1e-9) << "(f(x + h) - f(x - h)) / (2h) for f = x^3, x = 2, h = 0.1";
}

TEST(NumericalGradient, AgreesWithMatmulBackward) {
  // The gradient of sum(a·b ⊙ dout) with respect to a is dout · bᵀ (chapter 00's matmul backward, here
  // computed by the library's BLAS path): the finite differences must find the same numbers.
  const int64_t m = 2, k = 3, n = 2;
  const std::vector<float> b = random_values(k * n, 7), dout = random_values(m * n, 8);
  const std::vector<float> a = random_values(m * k, 9);
  std::vector<float> expected(m * k, 0.0f);
  minillm::matmul_abt(expected.data(), dout.data(), b.data(), m, n, k);
  const auto f = [&](const std::vector<double>& a64) { return loss(a64, {b.begin(), b.end()}, dout, m, k, n); };
  const std::vector<double> grad = ch00::numerical_gradient(f, {a.begin(), a.end()}, 1e-3);
  ASSERT_EQ(grad.size(), static_cast<size_t>(m * k));
  for (int64_t i = 0; i < m * k; i++) EXPECT_NEAR(grad[i], expected[i], 1e-5) << "entry " << i << " of da";
}

// ---- gradient_check ----

TEST(GradientCheck, FindsTheFirstWrongCoordinate) {
  // f(x0, x1) = x0² + 3 x1² + x0 x1 has the gradient (2 x0 + x1, 6 x1 + x0) = (4, 13) at (1, 2), worked out by
  // hand as in NumericalGradient.QuadraticWithACrossTerm.
  const auto f = [](const std::vector<double>& x) { return x[0] * x[0] + 3 * x[1] * x[1] + x[0] * x[1]; };
  EXPECT_EQ(ch00::gradient_check(f, {1.0, 2.0}, {4.0, 13.0}, 1e-3, 1e-6), -1) << "the right gradient passes: -1";
  EXPECT_EQ(ch00::gradient_check(f, {1.0, 2.0}, {4.0, 12.0}, 1e-3, 1e-6), 1)
      << "df/dx1 written as 12 instead of 13: coordinate 1 is wrong";
  EXPECT_EQ(ch00::gradient_check(f, {1.0, 2.0}, {4.5, 12.0}, 1e-3, 1e-6), 0)
      << "both coordinates wrong: the FIRST wrong one, 0, is returned";
}

TEST(GradientCheck, RelativeForLargeGradientsAbsoluteForSmallOnes) {
  // f = 1000 x² at x = 1: the gradient is 2000. 2000.5 is off by 0.5, which is 0.5 / 2000.5 = 2.5e-4 of it.
  const auto big = [](const std::vector<double>& x) { return 1000 * x[0] * x[0]; };
  EXPECT_EQ(ch00::gradient_check(big, {1.0}, {2000.5}, 1e-3, 1e-3), -1) << "2.5e-4 relative error is within 1e-3";
  EXPECT_EQ(ch00::gradient_check(big, {1.0}, {2000.5}, 1e-3, 1e-4), 0) << "2.5e-4 relative error is more than 1e-4";
  // f = 0.001 x² at x = 1: the gradient is 0.002. 0.0025 is off by 5e-4: 25% of it, but below 1 the error is
  // the plain difference, 5e-4.
  const auto small = [](const std::vector<double>& x) { return 0.001 * x[0] * x[0]; };
  EXPECT_EQ(ch00::gradient_check(small, {1.0}, {0.0025}, 1e-3, 1e-3), -1)
      << "for a gradient below 1 the error is the difference itself (5e-4), not 25%";
  EXPECT_EQ(ch00::gradient_check(small, {1.0}, {0.0025}, 1e-3, 1e-4), 0) << "5e-4 is more than 1e-4";
}

// ---- gradient_descent_step ----

TEST(GradientDescentStep, OneStepByHand) {
  // Points (0, 1), (1, 2), (2, 5) lie on y = x² + 1. From a = w = b = 0 the residuals a x² + w x + b - y are
  // -1, -2, -5:
  //   loss  = (1 + 4 + 25) / 3 = 10
  //   dL/da = 2/3 * (0*(-1) + 1*(-2) + 4*(-5)) = -44/3     dL/dw = 2/3 * (0*(-1) + 1*(-2) + 2*(-5)) = -8
  //   dL/db = 2/3 * (-1 - 2 - 5) = -16/3
  //   with lr = 0.01: a = 0.44/3 = 0.14667, w = 0.08, b = 0.16/3 = 0.05333
  const std::vector<float> xs = {0, 1, 2}, ys = {1, 2, 5};
  float a = 0.0f, w = 0.0f, b = 0.0f;
  const float loss = ch00::gradient_descent_step(xs, ys, a, w, b, 0.01f);
  EXPECT_NEAR(loss, 10.0f, 1e-5) << "the mean of the squared residuals (1 + 4 + 25) / 3, before the step";
  EXPECT_NEAR(a, 0.44f / 3.0f, 1e-6) << "a moves against dL/da = -44/3 by lr = 0.01 (each residual weighs x² here)";
  EXPECT_NEAR(w, 0.08f, 1e-6) << "w moves against dL/dw = -8 by lr = 0.01";
  EXPECT_NEAR(b, 0.16f / 3.0f, 1e-6) << "b moves against dL/db = -16/3 by lr = 0.01";
}

TEST(GradientDescentStep, ThePerfectParabolaDoesNotMove) {
  const std::vector<float> xs = {-1, 0, 3}, ys = {-2, -1, 14};  // exactly y = x² + 2x - 1
  float a = 1.0f, w = 2.0f, b = -1.0f;
  EXPECT_EQ(ch00::gradient_descent_step(xs, ys, a, w, b, 0.5f), 0.0f) << "no residual, no loss";
  EXPECT_EQ(a, 1.0f) << "at the minimum the gradient is 0, so a stays";
  EXPECT_EQ(w, 2.0f) << "at the minimum the gradient is 0, so w stays";
  EXPECT_EQ(b, -1.0f) << "at the minimum the gradient is 0, so b stays";
}

TEST(GradientDescentStep, StepIsTheFiniteDifferenceSlope) {
  // The step must be -lr times the loss's slope. The slope is measured here by the library's central
  // difference of the mean squared error in double, independently of the task's code.
  const std::vector<float> xs = {0.5f, -1.0f, 2.0f, 0.25f}, ys = {1.0f, -2.0f, 0.5f, 3.0f};
  const auto mse = [&](double pa, double pw, double pb) {
    double total = 0.0;
    for (size_t p = 0; p < xs.size(); p++) {
      const double miss = pa * xs[p] * xs[p] + pw * xs[p] + pb - ys[p];
      total += miss * miss;
    }
    return total / static_cast<double>(xs.size());
  };
  const float a0 = -0.4f, w0 = 0.3f, b0 = -0.2f, lr = 0.01f;
  const double slope_a = minillm::finite_difference([&](double v) { return mse(v, w0, b0); }, a0);
  const double slope_w = minillm::finite_difference([&](double v) { return mse(a0, v, b0); }, w0);
  const double slope_b = minillm::finite_difference([&](double v) { return mse(a0, w0, v); }, b0);
  float a = a0, w = w0, b = b0;
  const float loss = ch00::gradient_descent_step(xs, ys, a, w, b, lr);
  EXPECT_NEAR(loss, mse(a0, w0, b0), 1e-5) << "the loss is the MEAN of the squared residuals";
  EXPECT_NEAR(a, a0 - lr * slope_a, 1e-5) << "a must move by -lr * dL/da (dL/da = " << slope_a << ")";
  EXPECT_NEAR(w, w0 - lr * slope_w, 1e-5) << "w must move by -lr * dL/dw (dL/dw = " << slope_w << ")";
  EXPECT_NEAR(b, b0 - lr * slope_b, 1e-5) << "b must move by -lr * dL/db (dL/db = " << slope_b << ")";
}

TEST(GradientDescentStep, ManyStepsFindTheParabola) {
  const std::vector<float> xs = {-2, -1, 0, 1, 2}, ys = {-1, -2, -1, 2, 7};  // y = x² + 2x - 1
  float a = 0.0f, w = 0.0f, b = 0.0f, previous = std::numeric_limits<float>::infinity();
  for (int step = 0; step < 1500; step++) {
    const float loss = ch00::gradient_descent_step(xs, ys, a, w, b, 0.05f);
    // Checked while the loss is far above float32's rounding; near the minimum it only jitters.
    if (step < 200) {
      ASSERT_LE(loss, previous) << "with a small learning rate the loss must not go up (step " << step << ")";
    }
    previous = loss;
  }
  EXPECT_NEAR(a, 1.0f, 1e-3) << "1500 steps of lr 0.05 find the x² coefficient of y = x² + 2x - 1";
  EXPECT_NEAR(w, 2.0f, 1e-3) << "1500 steps of lr 0.05 find the x coefficient of y = x² + 2x - 1";
  EXPECT_NEAR(b, -1.0f, 1e-3) << "1500 steps of lr 0.05 find the constant of y = x² + 2x - 1";
}

// ---- linear_forward ----

TEST(LinearForward, SmallExampleByHand) {
  // inp = [1 2 3; 4 5 6], weight = [1 0 -1; 2 1 0] (row o = weights of output o), bias = [10 20]:
  //   out(0, 0) = 1 - 3 + 10 = 8     out(0, 1) = 2 + 2 + 20 = 24
  //   out(1, 0) = 4 - 6 + 10 = 8     out(1, 1) = 8 + 5 + 20 = 33
  const std::vector<float> inp = {1, 2, 3, 4, 5, 6}, weight = {1, 0, -1, 2, 1, 0}, bias = {10, 20};
  std::vector<float> out(4, std::numeric_limits<float>::quiet_NaN());
  ch00::linear_forward(out.data(), inp.data(), weight.data(), bias.data(), 2, 3, 2);
  EXPECT_EQ(out, (std::vector<float>{8, 24, 8, 33})) << "out = inp · weightᵀ + bias (weight is [OC, C])";
  ch00::linear_forward(out.data(), inp.data(), weight.data(), nullptr, 2, 3, 2);
  EXPECT_EQ(out, (std::vector<float>{-2, 4, -2, 13})) << "bias == nullptr means no bias: out = inp · weightᵀ";
}

TEST(LinearForward, MatchesTheLibraryLayer) {
  const int64_t N = 3, C = 5, OC = 4;  // all different, so a swapped dimension shows
  const std::vector<float> inp = random_values(N * C, 10), weight = random_values(OC * C, 11);
  const std::vector<float> bias = random_values(OC, 12);
  std::vector<float> out(N * OC + 1, 0.0f), expected(N * OC, 0.0f);
  out[N * OC] = kSentinel;
  ch00::linear_forward(out.data(), inp.data(), weight.data(), bias.data(), N, C, OC);
  minillm::linear_forward(expected.data(), inp.data(), weight.data(), bias.data(), N, C, OC);
  for (int64_t i = 0; i < N * OC; i++)
    ASSERT_NEAR(out[i], expected[i], 1e-5) << "out(" << i / OC << ", " << i % OC << ") of a [3, 5] -> [3, 4] layer";
  EXPECT_EQ(out[N * OC], kSentinel) << "out is [N, OC] = [3, 4]: nothing may be written past it";
}

// ---- linear_backward ----

TEST(LinearBackward, SmallExampleByHand) {
  // N = 2 rows, C = 1 input, OC = 1 output: out(n) = inp(n) * 3 + bias. With dout = [1; 10]:
  //   dinp = dout * 3 = [3; 30]     dweight = 1*1 + 10*2 = 21     dbias = 1 + 10 = 11 (summed over rows)
  const std::vector<float> inp = {1, 2}, weight = {3}, dout = {1, 10};
  std::vector<float> dinp = {0, 0}, dweight = {0}, dbias = {0};
  ch00::linear_backward(dinp.data(), dweight.data(), dbias.data(), dout.data(), inp.data(), weight.data(), 2, 1, 1);
  EXPECT_EQ(dinp, (std::vector<float>{3, 30})) << "each input row's gradient is its dout times the weight";
  EXPECT_EQ(dweight[0], 21.0f) << "the weight was used in both rows: dweight = sum_n dout(n) * inp(n) = 1 + 20";
  EXPECT_EQ(dbias[0], 11.0f) << "the bias was added in both rows: dbias = sum_n dout(n) = 1 + 10";
}

TEST(LinearBackward, AccumulatesAndAcceptsNoBias) {
  const std::vector<float> inp = {1, 2}, weight = {3}, dout = {1, 10};
  std::vector<float> dinp = {100, 100}, dweight = {100}, dbias = {100};
  ch00::linear_backward(dinp.data(), dweight.data(), dbias.data(), dout.data(), inp.data(), weight.data(), 2, 1, 1);
  EXPECT_EQ(dinp, (std::vector<float>{103, 130})) << "dinp must be ADDED to, not overwritten";
  EXPECT_EQ(dweight[0], 121.0f) << "dweight must be ADDED to, not overwritten";
  EXPECT_EQ(dbias[0], 111.0f) << "dbias must be ADDED to, not overwritten";
  ch00::linear_backward(dinp.data(), dweight.data(), nullptr, dout.data(), inp.data(), weight.data(), 2, 1, 1);
  EXPECT_EQ(dweight[0], 142.0f) << "with dbias == nullptr the other gradients are still accumulated";
}

// Loss = sum_no out(n, o) * dout(n, o) for out = inp · weightᵀ + bias, in double.
double linear_loss(const std::vector<double>& inp, const std::vector<double>& weight, const std::vector<double>& bias,
                   const std::vector<float>& dout, int64_t N, int64_t C, int64_t OC) {
  double total = 0.0;
  for (int64_t n = 0; n < N; n++)
    for (int64_t o = 0; o < OC; o++) {
      double out = bias[o];
      for (int64_t c = 0; c < C; c++) out += inp[n * C + c] * weight[o * C + c];
      total += out * dout[n * OC + o];
    }
  return total;
}

TEST(LinearBackward, MatchesFiniteDifferences) {
  const int64_t N = 3, C = 4, OC = 2;
  const std::vector<float> inp = random_values(N * C, 13), weight = random_values(OC * C, 14);
  const std::vector<float> bias = random_values(OC, 15), dout = random_values(N * OC, 16);
  std::vector<float> dinp(N * C + 1, 0.0f), dweight(OC * C + 1, 0.0f), dbias(OC + 1, 0.0f);
  dinp[N * C] = dweight[OC * C] = dbias[OC] = kSentinel;
  ch00::linear_backward(dinp.data(), dweight.data(), dbias.data(), dout.data(), inp.data(), weight.data(), N, C, OC);
  EXPECT_EQ(dinp[N * C], kSentinel) << "dinp is [N, C] = [3, 4] like inp";
  EXPECT_EQ(dweight[OC * C], kSentinel) << "dweight is [OC, C] = [2, 4] like weight";
  EXPECT_EQ(dbias[OC], kSentinel) << "dbias is [OC] = [2] like bias";

  // The loss is linear in each single entry, so central differences are exact up to rounding.
  std::vector<double> x[3] = {{inp.begin(), inp.end()}, {weight.begin(), weight.end()}, {bias.begin(), bias.end()}};
  const std::vector<float>* analytic[3] = {&dinp, &dweight, &dbias};
  const char* names[3] = {"dinp", "dweight", "dbias"};
  const double h = 1e-3;
  for (int which = 0; which < 3; which++) {
    for (size_t i = 0; i < x[which].size(); i++) {
      const double saved = x[which][i];
      x[which][i] = saved + h;
      const double up = linear_loss(x[0], x[1], x[2], dout, N, C, OC);
      x[which][i] = saved - h;
      const double down = linear_loss(x[0], x[1], x[2], dout, N, C, OC);
      x[which][i] = saved;
      EXPECT_NEAR((*analytic[which])[i], (up - down) / (2 * h), 1e-5) << names[which] << "[" << i << "]";
    }
  }
}

}  // namespace
