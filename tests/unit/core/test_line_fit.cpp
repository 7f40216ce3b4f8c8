// Chapter 00's gradients from nothing: the loss, finite differences, the chain rule, the hand-written line
// gradient and gradient descent. Expected values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/line_fit.hpp"

namespace {

using minillm::Line;

// Three points on y = 2x + 1.
const std::vector<double> kX = {0.0, 1.0, 2.0};
const std::vector<double> kY = {1.0, 3.0, 5.0};

TEST(LineFit, LossIsTheMeanSquaredMiss) {
  EXPECT_DOUBLE_EQ(minillm::line_loss(kX, kY, Line{2.0, 1.0}), 0.0) << "the line through every point";
  EXPECT_DOUBLE_EQ(minillm::line_loss(kX, kY, Line{0.0, 0.0}), 35.0 / 3.0) << "(1² + 3² + 5²) / 3";
  EXPECT_DOUBLE_EQ(minillm::line_loss(kX, kY, Line{2.0, 2.0}), 1.0) << "misses every point by 1";
}

TEST(LineFit, FiniteDifferenceMeasuresKnownDerivatives) {
  EXPECT_NEAR(minillm::finite_difference([](double x) { return x * x * x; }, 2.0), 12.0, 1e-6) << "d(x³) = 3x²";
  EXPECT_NEAR(minillm::finite_difference([](double x) { return std::sin(x); }, 0.0), 1.0, 1e-8) << "cos 0";
  EXPECT_NEAR(minillm::finite_difference([](double x) { return std::exp(x); }, 1.0), std::exp(1.0), 1e-6);
}

TEST(LineFit, ChainRuleOnTwoSteps) {
  const minillm::TwoStepChain c = minillm::two_step_chain(2.0);
  EXPECT_DOUBLE_EQ(c.u, 7.0) << "u = 3·2 + 1";
  EXPECT_DOUBLE_EQ(c.y, 49.0) << "y = 7²";
  EXPECT_DOUBLE_EQ(c.dy_du, 14.0) << "2u";
  EXPECT_DOUBLE_EQ(c.du_dx, 3.0);
  EXPECT_DOUBLE_EQ(c.dy_dx, 42.0) << "d/dx (3x + 1)² = 6(3x + 1) = 42 at x = 2";
  const double measured = minillm::finite_difference([](double x) { return (3 * x + 1) * (3 * x + 1); }, 2.0);
  EXPECT_NEAR(c.dy_dx, measured, 1e-6);
}

TEST(LineFit, HandWrittenGradientMatchesWorkedValues) {
  // At w = b = 0 the misses are e = (-1, -3, -5): dL/dw = (2/3)(0·-1 + 1·-3 + 2·-5) = -26/3,
  // dL/db = (2/3)(-1 - 3 - 5) = -6.
  const minillm::LineGradient g = minillm::line_gradient(kX, kY, Line{0.0, 0.0});
  EXPECT_DOUBLE_EQ(g.dw, -26.0 / 3.0);
  EXPECT_DOUBLE_EQ(g.db, -6.0);
  const minillm::LineGradient at_minimum = minillm::line_gradient(kX, kY, Line{2.0, 1.0});
  EXPECT_DOUBLE_EQ(at_minimum.dw, 0.0) << "the gradient is zero at the best line";
  EXPECT_DOUBLE_EQ(at_minimum.db, 0.0);
}

TEST(LineFit, HandWrittenGradientMatchesFiniteDifferences) {
  const std::vector<double> x = {-1.5, -0.2, 0.3, 0.9, 2.4};
  const std::vector<double> y = {0.7, -1.1, 2.2, 0.4, 3.9};
  for (const Line line : {Line{0.0, 0.0}, Line{-1.3, 0.8}, Line{4.0, -2.5}}) {
    const minillm::LineGradient exact = minillm::line_gradient(x, y, line);
    const minillm::LineGradient measured = minillm::line_gradient_by_finite_differences(x, y, line);
    EXPECT_NEAR(exact.dw, measured.dw, 1e-6) << "w = " << line.w << ", b = " << line.b;
    EXPECT_NEAR(exact.db, measured.db, 1e-6) << "w = " << line.w << ", b = " << line.b;
  }
}

TEST(LineFit, GradientDescentFindsTheLine) {
  Line line;
  const std::vector<double> losses = minillm::fit_line(kX, kY, line, 0.1, 500);
  ASSERT_EQ(losses.size(), 501u) << "the loss before each step and after the last";
  EXPECT_DOUBLE_EQ(losses.front(), 35.0 / 3.0);
  for (size_t i = 1; i < losses.size(); ++i) ASSERT_LE(losses[i], losses[i - 1]) << "step " << i;
  EXPECT_NEAR(line.w, 2.0, 1e-6);
  EXPECT_NEAR(line.b, 1.0, 1e-6);
  EXPECT_LT(losses.back(), 1e-12);
}

TEST(LineFit, TooLargeALearningRateDiverges) {
  // For these points the loss's curvature along its steepest direction is about 4.8, so a step larger than
  // 2 / 4.8 ≈ 0.42 overshoots by more than it corrects.
  Line line;
  const std::vector<double> losses = minillm::fit_line(kX, kY, line, 0.5, 30);
  EXPECT_GT(losses.back(), 100 * losses.front());
}

TEST(LineFit, BadInputIsAClearError) {
  Line line;
  const std::vector<double> none;
  EXPECT_THROW(minillm::line_loss(none, none, line), minillm::Error);
  EXPECT_THROW(minillm::line_gradient(kX, std::vector<double>{1.0}, line), minillm::Error);
  EXPECT_THROW(minillm::fit_line(kX, kY, line, 0.0, 10), minillm::Error);
  EXPECT_THROW(minillm::fit_line(kX, kY, line, std::nan(""), 10), minillm::Error);
  EXPECT_THROW(minillm::fit_line(kX, kY, line, 0.1, -1), minillm::Error);
}

}  // namespace
