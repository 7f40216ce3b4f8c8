#pragma once
// Gradients from nothing (chapter 00): a loss, a derivative measured by finite differences, the chain rule on
// a two-step computation, and gradient descent fitting a line y = w·x + b with a gradient written by hand.
// Everything here is in double: a finite difference subtracts two nearly equal losses, and double's 16
// digits leave plenty after the subtraction (float's 7 would leave few).
#include <functional>
#include <span>
#include <vector>

namespace minillm {

struct Line {
  double w = 0.0;  // slope
  double b = 0.0;  // intercept
};

struct LineGradient {
  double dw = 0.0;  // dL/dw
  double db = 0.0;  // dL/db
};

// The mean squared error of `line` on the points (x[i], y[i]): (1/n) Σ (w·x_i + b − y_i)².
// x and y must have the same, non-zero length.
double line_loss(std::span<const double> x, std::span<const double> y, Line line);

// The derivative of f at `at`, measured by central finite differences with step h.
double finite_difference(const std::function<double(double)>& f, double at, double h = 1e-6);

// The two-step computation u = 3x + 1, y = u², its local derivatives and, by the chain rule, dy/dx.
struct TwoStepChain {
  double u = 0.0, y = 0.0;          // forward values
  double dy_du = 0.0, du_dx = 0.0;  // each step's own derivative
  double dy_dx = 0.0;               // the chain rule: dy/du · du/dx
};
TwoStepChain two_step_chain(double x);

// dL/dw and dL/db of line_loss, derived by hand (the chain rule).
LineGradient line_gradient(std::span<const double> x, std::span<const double> y, Line line);

// The same gradient measured by finite differences: the check that the hand-written one is right.
LineGradient line_gradient_by_finite_differences(std::span<const double> x, std::span<const double> y, Line line);

// Gradient descent: `steps` updates line -= lr · gradient, in place. Returns the loss before every step and
// after the last one (steps + 1 values). lr must be positive and finite, steps >= 0.
std::vector<double> fit_line(std::span<const double> x, std::span<const double> y, Line& line, double lr,
                             int steps);

}  // namespace minillm
