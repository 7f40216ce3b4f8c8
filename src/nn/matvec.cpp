#include "nn/matvec.hpp"

#include <cstddef>

#include "nn/vector_exp.hpp"  // MINILLM_AVX2_CLONE

namespace minillm {

namespace {

constexpr int kLanes = 8;  // independent partial sums per row: lets the compiler keep vector registers busy
constexpr int kRows = 4;   // rows per block: each load of inp serves four weight rows

// Adds the kLanes partial sums in a fixed order (the same for every row, every thread count).
inline float sum_lanes(const float* acc) {
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

// Four rows r[0..3] of length C dotted with x. Compiled for AVX2 and for baseline x86-64 (the loader
// picks one): the same multiplies and adds lane by lane, no FMA, so both give the same bits.
MINILLM_AVX2_CLONE void dot4(float* out, const float* const r[kRows], const float* x, int C) {
  float acc[kRows][kLanes] = {};
  int i = 0;
  for (; i + kLanes <= C; i += kLanes)
    for (int k = 0; k < kRows; ++k)
      for (int j = 0; j < kLanes; ++j) acc[k][j] += r[k][i + j] * x[i + j];
  for (; i < C; ++i)
    for (int k = 0; k < kRows; ++k) acc[k][i % kLanes] += r[k][i] * x[i];
  for (int k = 0; k < kRows; ++k) out[k] = sum_lanes(acc[k]);
}

// One row (the last OC % 4 rows), summed in the same order as dot4 sums each of its rows.
MINILLM_AVX2_CLONE float dot1(const float* r, const float* x, int C) {
  float acc[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= C; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += r[i + j] * x[i + j];
  for (; i < C; ++i) acc[i % kLanes] += r[i] * x[i];
  return sum_lanes(acc);
}

}  // namespace

// lesson: matvec_forward
void matvec_forward(float* out, const float* inp, const float* weight, const float* bias, int C, int OC) {
  const int blocks = OC / kRows;
  const auto row = [&](int o) { return weight + static_cast<size_t>(o) * static_cast<size_t>(C); };
#pragma omp parallel for schedule(static)
  for (int b = 0; b < blocks; ++b) {
    const int o = b * kRows;
    const float* const rows[kRows] = {row(o), row(o + 1), row(o + 2), row(o + 3)};
    dot4(out + o, rows, inp, C);
  }
  for (int o = blocks * kRows; o < OC; ++o) out[o] = dot1(row(o), inp, C);
  if (bias)
    for (int o = 0; o < OC; ++o) out[o] += bias[o];
}
// end lesson: matvec_forward

}  // namespace minillm
