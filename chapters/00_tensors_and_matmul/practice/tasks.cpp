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

}  // namespace ch00
