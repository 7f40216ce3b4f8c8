// vector_exp (the vectorisable exp behind GELU) against exp in double, and GELU against its defining
// formula with tanh in double, over the whole float range that matters, including the extremes.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "nn/gelu.hpp"
#include "nn/vector_exp.hpp"

namespace minillm {
namespace {

// Distance in units in the last place of the float nearest to `exact`.
double ulps(float got, double exact) {
  const float nearest = static_cast<float>(exact);
  const double ulp = std::nextafter(nearest, std::numeric_limits<float>::infinity()) - nearest;
  return std::abs(double(got) - exact) / ulp;
}

TEST(VectorExp, WithinTwoUlpOverTheValidRange) {
  double worst = 0, worst_x = 0;
  for (double x = -kVectorExpLimit; x <= kVectorExpLimit; x += 0.0007) {
    const float xf = static_cast<float>(x);
    const double e = ulps(vector_exp(xf), std::exp(double(xf)));
    if (e > worst) worst = e, worst_x = xf;
  }
  EXPECT_LE(worst, 2.0) << "worst at x = " << worst_x;
  EXPECT_EQ(vector_exp(0.0f), 1.0f);
}

TEST(VectorExp, InPlaceClampsOutOfRangeAndKeepsNaN) {
  std::vector<float> x = {-1e30f, -200.0f, -std::numeric_limits<float>::infinity(), 1.0f, 200.0f,
                          std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
  exp_in_place(x.data(), static_cast<int>(x.size()));
  const float low = vector_exp(-kVectorExpLimit), high = vector_exp(kVectorExpLimit);
  EXPECT_EQ(x[0], low);
  EXPECT_EQ(x[1], low);
  EXPECT_EQ(x[2], low);
  EXPECT_NEAR(x[3], std::exp(1.0), 1e-6);
  EXPECT_EQ(x[4], high);
  EXPECT_EQ(x[5], high);
  EXPECT_TRUE(std::isnan(x[6]));
  EXPECT_GT(low, 0.0f);
  EXPECT_TRUE(std::isfinite(high));
}

// GELU (tanh form) and its derivative in double, from the definition rewritten with
// 0.5 (1 + tanh u) = sigmoid(2u): the same function, but 1 + tanh(u) cancels to 0 in double where GELU
// is tiny (x < -9), and the sigmoid form stays exact there.
double sigmoid_2u(double x) {
  const double u = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
  return 1.0 / (1.0 + std::exp(-2.0 * u));
}
double gelu_exact(double x) { return x * sigmoid_2u(x); }
// d/dx [x s(2u)] = s + x · 2 s (1 - s) · du/dx. The two terms cancel near x = -0.75 (where the
// derivative crosses 0), so float results are compared with the size of the terms, not of their sum.
struct GeluGrad {
  double value, term_size;
};
GeluGrad gelu_grad_exact(double x) {
  const double s = sigmoid_2u(x);
  const double second = 2.0 * x * s * (1.0 - s) * std::sqrt(2.0 / M_PI) * (1.0 + 3 * 0.044715 * x * x);
  return {s + second, s + std::abs(second)};
}

TEST(Gelu, MatchesTheTanhFormulaInDouble) {
  std::vector<float> x;
  for (double v = -12.0; v <= 12.0; v += 0.001) x.push_back(static_cast<float>(v));
  for (float v : {-1e4f, -100.0f, -30.0f, 30.0f, 100.0f, 1e4f, 1e-30f, -1e-30f, 0.0f}) x.push_back(v);
  const int n = static_cast<int>(x.size());
  std::vector<float> out(x.size()), dinp(x.size(), 0.0f), ones(x.size(), 1.0f);
  gelu_forward(out.data(), x.data(), n);
  gelu_backward(dinp.data(), x.data(), ones.data(), n);
  for (int i = 0; i < n; ++i) {
    const double want = gelu_exact(x[i]);
    const GeluGrad want_grad = gelu_grad_exact(x[i]);
    // Relative 1e-6 (a few float ulp), plus the conditioning of exp: 2u itself is computed in float with
    // an error of a few ulp of 2u, which exp(-2u) turns into a relative error of that size (1e-5 near
    // x = -9, where 2u ~ -70; float tanhf has the same limit). Plus |x|·e^-80 absolute: where |2u| > 80 the exp is clamped and
    // sigmoid(2u) comes out as 1/(1 + e^80) instead of something smaller still.
    // In the derivative that error is multiplied by 1 + 2|x|·du/dx.
    const double ax = std::abs(double(x[i]));
    const double clamp_error = ax * 2e-35;
    const double clamp_error_grad = (1.0 + 2.0 * ax * std::sqrt(2.0 / M_PI) * (1.0 + 3 * 0.044715 * ax * ax)) * 2e-35;
    const double two_u = 2.0 * std::sqrt(2.0 / M_PI) * (ax + 0.044715 * ax * ax * ax);
    // An error d in 2u changes sigmoid(2u) by the relative amount d·(1 - sigmoid(2u)): the full d for
    // negative x, next to nothing for large positive x (where gelu(x) = x to float precision).
    const double one_minus_s = x[i] < 0 ? 1.0 : 1.0 / (1.0 + std::exp(two_u));
    const double rel = 1e-6 + 3.0 * std::numeric_limits<float>::epsilon() * two_u * one_minus_s;
    ASSERT_NEAR(out[i], want, rel * std::abs(want) + clamp_error) << "gelu(" << x[i] << ")";
    ASSERT_NEAR(dinp[i], want_grad.value, rel * want_grad.term_size + clamp_error_grad) << "gelu'(" << x[i] << ")";
  }
  // NaN in, NaN out (a diverged run must show as NaN, not be hidden by the clamp).
  float nan_in = std::numeric_limits<float>::quiet_NaN(), nan_out = 0.0f, nan_grad = 0.0f, one = 1.0f;
  gelu_forward(&nan_out, &nan_in, 1);
  gelu_backward(&nan_grad, &nan_in, &one, 1);
  EXPECT_TRUE(std::isnan(nan_out));
  EXPECT_TRUE(std::isnan(nan_grad));
}

}  // namespace
}  // namespace minillm
