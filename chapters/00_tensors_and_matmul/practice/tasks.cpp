// Chapter 00 practice. Replace each TODO with your code, then run `./run practice 00`.
#include "tasks.hpp"

#include "practice/todo.hpp"

namespace ch00 {

int64_t offset_2d(int64_t i, int64_t j, int64_t cols) {
  // TODO(row_major_index): return where element (i, j) of a row-major [rows, cols] matrix lives in the flat
  // buffer. Row i starts after i full rows of `cols` floats; j counts from there.
  throw minillm::practice::NotImplemented("row_major_index");
}

int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C) {
  // TODO(row_major_index): the same idea for a [B, T, C] tensor. One step in b skips a whole [T, C] matrix;
  // one step in t skips a row of C floats; c counts from there.
  throw minillm::practice::NotImplemented("row_major_index");
}

void transpose(const float* in, float* out, int64_t rows, int64_t cols) {
  // TODO(transpose): out is [cols, rows]. Element (j, i) of out is element (i, j) of in. Use offset_2d or
  // write the offsets out by hand.
  throw minillm::practice::NotImplemented("transpose");
}

void matmul(const float* a, const float* b, float* out, int64_t m, int64_t k, int64_t n) {
  // TODO(naive_matmul): for every (i, j) of out[m, n], sum a(i, p) * b(p, j) over p = 0..k-1 and store the
  // sum in out(i, j) (overwrite, do not add to what was there). Three nested loops.
  throw minillm::practice::NotImplemented("naive_matmul");
}

void matmul_backward(const float* a, const float* b, const float* dout, float* da, float* db, int64_t m,
                     int64_t k, int64_t n) {
  // TODO(matmul_backward): out(i, j) = sum_p a(i, p) * b(p, j). So
  //   da(i, p) += sum_j dout(i, j) * b(p, j)     (da = dout · bᵀ, shape [m, k] like a)
  //   db(p, j) += sum_i a(i, p) * dout(i, j)     (db = aᵀ · dout, shape [k, n] like b)
  // ADD to da and db: a backward pass accumulates, because a tensor used twice gets both gradients.
  throw minillm::practice::NotImplemented("matmul_backward");
}

std::vector<double> numerical_gradient(const std::function<double(const std::vector<double>&)>& f,
                                       const std::vector<double>& x, double h) {
  // TODO(numerical_gradient): for each coordinate i, evaluate f at a copy of x with x[i] nudged up by h and
  // at one with x[i] nudged down by h, and turn the difference of the two values into a slope. Only x[i]
  // moves; every other coordinate stays where it was.
  throw minillm::practice::NotImplemented("numerical_gradient");
}

float gradient_descent_step(const std::vector<float>& xs, const std::vector<float>& ys, float& w, float& b,
                            float lr) {
  // TODO(gradient_descent_step): compute the mean squared error of the line over the points, and its
  // derivative with respect to w and with respect to b (work them out on paper with the chain rule, as the
  // lesson does). Then step: each parameter moves by lr times its derivative, downhill. Return the loss
  // you computed before moving.
  throw minillm::practice::NotImplemented("gradient_descent_step");
}

void linear_forward(const float* inp, const float* weight, const float* bias, float* out, int64_t N, int64_t C,
                    int64_t OC) {
  // TODO(linear_forward): every output (n, o) is the dot product of input row n with weight row o, plus
  // bias[o] when there is a bias. Note that weight is stored [OC, C]: row o holds the weights of output o.
  throw minillm::practice::NotImplemented("linear_forward");
}

void linear_backward(const float* dout, const float* inp, const float* weight, float* dinp, float* dweight,
                     float* dbias, int64_t N, int64_t C, int64_t OC) {
  // TODO(linear_backward): ask for each input, weight and bias which outputs it touched in the forward pass
  // and with what factor; its gradient collects dout of those outputs times that factor. A bias is added to
  // one output column in every row. ADD to dinp, dweight and dbias (skip dbias when it is nullptr).
  throw minillm::practice::NotImplemented("linear_backward");
}

}  // namespace ch00
