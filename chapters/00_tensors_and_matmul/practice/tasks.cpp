// Chapter 00 practice. Replace each TODO with your code, then run `./run practice 00`.
#include "tasks.hpp"

#include "practice/todo.hpp"

namespace ch00 {

int64_t offset_2d(int64_t i, int64_t j, int64_t cols) {
  // TODO(row_major_index): return where element (i, j) of a row-major [rows, cols] matrix lives in the flat
  // buffer (How It Works, step 1, and the diagram). How many floats come before row i?
  throw minillm::practice::NotImplemented("row_major_index");
}

int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C) {
  // TODO(row_major_index): the same question for element (b, t, c) of a [B, T, C] tensor: how many floats
  // does one step in each index skip (its stride, Concept Definition)?
  throw minillm::practice::NotImplemented("row_major_index");
}

void transpose(float* out, const float* in, int64_t rows, int64_t cols) {
  // TODO(transpose): out is [cols, rows]: element (j, i) of out is element (i, j) of in. Your offset_2d
  // finds both, as long as you give it the right number of columns for each matrix.
  throw minillm::practice::NotImplemented("transpose");
}

void matmul(float* out, const float* a, const float* b, int64_t m, int64_t k, int64_t n) {
  // TODO(naive_matmul): out(i, j) is the dot product of row i of a with column j of b (Concept Definition).
  // Compute every one of the m * n outputs and store it in out, overwriting what was there.
  throw minillm::practice::NotImplemented("naive_matmul");
}

void matmul_backward(float* da, float* db, const float* dout, const float* a, const float* b, int64_t m,
                     int64_t k, int64_t n) {
  // TODO(matmul_backward): How It Works, "The backward pass of a matmul", gives da and db as matrix
  // products; write them as loops. The shapes check your work: da is shaped like a, db like b. ADD to da and
  // db: a backward pass accumulates, because a tensor used twice gets both gradients.
  throw minillm::practice::NotImplemented("matmul_backward");
}

ValueAndSlope chain_rule(double x) {
  // TODO(chain_rule): write f as a chain of two simple steps, as the lesson's two_step_chain does for
  // (3x + 1)². Compute the forward values, each step's local derivative, and multiply them.
  throw minillm::practice::NotImplemented("chain_rule");
}

std::vector<double> numerical_gradient(const std::function<double(const std::vector<double>&)>& f,
                                       const std::vector<double>& x, double h) {
  // TODO(numerical_gradient): the lesson's finite_difference measures the slope of a function of one
  // number. Do the same for each coordinate of x in turn: only x[i] moves, every other coordinate stays where
  // it was, and the step h goes to both sides.
  throw minillm::practice::NotImplemented("numerical_gradient");
}

int gradient_check(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x,
                   const std::vector<double>& analytic, double h, double tol) {
  // TODO(gradient_check): measure the gradient with your numerical_gradient, then walk the coordinates in
  // order and compare each measured slope with the hand-written one, using the error tasks.hpp defines.
  throw minillm::practice::NotImplemented("gradient_check");
}

float gradient_descent_step(const std::vector<float>& xs, const std::vector<float>& ys, float& a, float& w, float& b,
                            float lr) {
  // TODO(gradient_descent_step): the lesson derives the line's gradient with the chain rule; do the same on
  // paper for the parabola's three parameters (which factor does a get that w does not?). Then compute the
  // mean squared error and the three derivatives at the current a, w, b, step every parameter downhill by
  // lr times its derivative, and return the loss you computed before moving.
  throw minillm::practice::NotImplemented("gradient_descent_step");
}

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  // TODO(linear_forward): every output (n, o) is a weighted sum of input row n plus that output's bias
  // (none when bias is nullptr). Mind the layout: weight row o holds the weights of output o.
  throw minillm::practice::NotImplemented("linear_forward");
}

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  // TODO(linear_backward): ask for each input, weight and bias which outputs it touched in the forward pass
  // and with what factor; its gradient collects dout of those outputs times that factor. A bias is added to
  // one output column in every row. ADD to dinp, dweight and dbias (skip dbias when it is nullptr).
  throw minillm::practice::NotImplemented("linear_backward");
}

}  // namespace ch00
