#include "core/line_fit.hpp"

#include <cmath>

#include "core/error.hpp"

namespace minillm {
namespace {

void require_points(std::span<const double> x, std::span<const double> y) {
  require(!x.empty(), "fitting a line needs at least one point; got none");
  require(x.size() == y.size(), "fitting a line needs one y per x; got {} x values and {} y values", x.size(),
          y.size());
}

}  // namespace

// lesson: line_loss
// The loss: one number that says how wrong the line is on all the points, the mean squared error
//   L(w, b) = (1/n) Σ_i (w·x_i + b − y_i)²
// It is 0 when the line goes through every point and grows the further it misses. Learning = making it small.
double line_loss(std::span<const double> x, std::span<const double> y, Line line) {
  require_points(x, y);
  double sum = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double error = line.w * x[i] + line.b - y[i];  // how far the line misses point i
    sum += error * error;
  }
  return sum / static_cast<double>(x.size());
}
// end lesson: line_loss

// lesson: finite_difference
// A derivative, measured: nudge the input a little each way and see how much the output moves. The central
// difference is off by about h²·f'''/6, the one-sided (f(a + h) − f(a)) / h by about h·f''/2: much worse.
double finite_difference(const std::function<double(double)>& f, double at, double h) {
  return (f(at + h) - f(at - h)) / (2.0 * h);
}
// end lesson: finite_difference

// lesson: chain_rule
// Two steps, u = 3x + 1 and then y = u². Each step's own (local) derivative is easy: du/dx = 3, dy/du = 2u.
// The chain rule multiplies them: dy/dx = dy/du · du/dx. A backward pass is this, step by step from the
// output back to the input.
TwoStepChain two_step_chain(double x) {
  TwoStepChain c;
  c.u = 3.0 * x + 1.0;           // forward, step 1
  c.y = c.u * c.u;               // forward, step 2
  c.dy_du = 2.0 * c.u;           // backward through step 2
  c.du_dx = 3.0;                 // backward through step 1
  c.dy_dx = c.dy_du * c.du_dx;   // the chain rule
  return c;
}
// end lesson: chain_rule

// lesson: line_gradient
// The chain rule on L = (1/n) Σ e_i² with e_i = w·x_i + b − y_i:
//   dL/de_i = 2·e_i / n,   de_i/dw = x_i,   de_i/db = 1
//   dL/dw = (2/n) Σ e_i·x_i,   dL/db = (2/n) Σ e_i
LineGradient line_gradient(std::span<const double> x, std::span<const double> y, Line line) {
  require_points(x, y);
  const double n = static_cast<double>(x.size());
  LineGradient g;
  for (size_t i = 0; i < x.size(); ++i) {
    const double error = line.w * x[i] + line.b - y[i];
    g.dw += 2.0 * error * x[i] / n;
    g.db += 2.0 * error / n;
  }
  return g;
}
// end lesson: line_gradient

// lesson: gradient_check
// The check: measure each partial derivative by moving one parameter while holding the other still.
LineGradient line_gradient_by_finite_differences(std::span<const double> x, std::span<const double> y, Line line) {
  const auto loss_at_w = [&](double w) { return line_loss(x, y, Line{w, line.b}); };
  const auto loss_at_b = [&](double b) { return line_loss(x, y, Line{line.w, b}); };
  return LineGradient{finite_difference(loss_at_w, line.w), finite_difference(loss_at_b, line.b)};
}
// end lesson: gradient_check

// lesson: gradient_descent
// The gradient points uphill, the way the loss grows fastest; a small step against it lowers the loss. The
// learning rate lr sets the step's size: too small and it crawls, too large and it jumps past the minimum.
std::vector<double> fit_line(std::span<const double> x, std::span<const double> y, Line& line, double lr,
                             int steps) {
  require(std::isfinite(lr) && lr > 0.0, "the learning rate must be a positive number; got {}", lr);
  require(steps >= 0, "the number of steps must be 0 or more; got {}", steps);
  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    losses.push_back(line_loss(x, y, line));
    const LineGradient g = line_gradient(x, y, line);
    line.w -= lr * g.dw;
    line.b -= lr * g.db;
  }
  losses.push_back(line_loss(x, y, line));
  return losses;
}
// end lesson: gradient_descent

}  // namespace minillm
