#pragma once
// Chapter 00 practice: flat row-major buffers, the matrix multiply, gradients from zero (a derivative by the
// chain rule, one by finite differences, one step of gradient descent), the matmul backward and the linear
// layer.
// All matrices are float buffers in row-major order; shapes are in the comments.
#include <cstdint>
#include <functional>
#include <vector>

namespace ch00 {

// Offset of element (i, j) in a row-major [rows, cols] matrix.
int64_t offset_2d(int64_t i, int64_t j, int64_t cols);

// Offset of element (b, t, c) in a row-major [B, T, C] tensor (B does not appear: it only bounds b).
int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C);

// out[cols, rows] = in[rows, cols] transposed.
void transpose(float* out, const float* in, int64_t rows, int64_t cols);

// out[m, n] = a[m, k] · b[k, n]  (overwrites out)
void matmul(float* out, const float* a, const float* b, int64_t m, int64_t k, int64_t n);

// Task matmul_backward: the backward of matmul. Given a[m, k], b[k, n] and dout[m, n] = dLoss/dout for
// out = a · b, ACCUMULATES (+=) dLoss/da into da[m, k] and dLoss/db into db[k, n] (How It Works, "The
// backward pass of a matmul").
void matmul_backward(float* da, float* db, const float* dout, const float* a, const float* b, int64_t m,
                     int64_t k, int64_t n);

// Task chain_rule: the value and the derivative of f(x) = (x² − 3x + 1)² at x, the derivative by the chain
// rule (How It Works, "Gradients from nothing", the two-step chain), not by finite differences.
struct ValueAndSlope {
  double value = 0.0;  // f(x)
  double slope = 0.0;  // df/dx at x
};
ValueAndSlope chain_rule(double x);

// Task numerical_gradient: the gradient of f at x, estimated by finite differences. grad[i] says how much
// f(x) changes per unit change of x[i] alone (the other coordinates held fixed); use a step of size h on
// both sides of x[i] (central differences). Returns a vector the size of x.
std::vector<double> numerical_gradient(const std::function<double(const std::vector<double>&)>& f,
                                       const std::vector<double>& x, double h);

// Task gradient_check: the check every layer of this course goes through (How It Works, "Gradients from
// nothing"). Compares a hand-written gradient `analytic` of f at x (x.size() entries) with numerical_gradient's
// estimate (step h), coordinate by coordinate, and returns the first coordinate whose error is more than tol,
// or -1 when every coordinate agrees. The error of a coordinate is the difference of the two values divided by
// the largest of 1 and their two magnitudes: absolute for small gradients, relative for large ones.
int gradient_check(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x,
                   const std::vector<double>& analytic, double h, double tol);

// Task gradient_descent_step: fitting a parabola y = a x² + w x + b to the points (xs[i], ys[i]) by gradient
// descent, the lesson's line fit with one more parameter. The loss is the mean squared error over the
// points. One step computes that loss and its gradient with respect to a, w and b at their current values,
// then moves each of them against its gradient by the learning rate lr. Returns the loss BEFORE the step.
float gradient_descent_step(const std::vector<float>& xs, const std::vector<float>& ys, float& a, float& w, float& b,
                            float lr);

// Task linear_forward: the linear layer (PyTorch's nn.Linear; How It Works, "The linear layer"). inp is
// [N, C] (N rows of C inputs), weight is [OC, C] (one row of C weights per output, stored like PyTorch),
// bias is [OC] or nullptr (no bias). out[N, OC] receives every row's OC outputs (overwrites out).
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC);

// Task linear_backward: the backward of linear_forward, given dout[N, OC] = dLoss/dout. ACCUMULATES (+=)
// the gradients of the loss with respect to inp into dinp[N, C], weight into dweight[OC, C] and bias into
// dbias[OC] (dbias may be nullptr: a layer without bias).
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);

}  // namespace ch00
