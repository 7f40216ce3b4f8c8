#include "nn/matvec.hpp"

#include <cstddef>
#include <cstring>

#include "nn/vector_exp.hpp"  // MINILLM_AVX2_CLONE

namespace minillm {

namespace {

constexpr int kLanes = 8;  // independent partial sums per row: one vector register of 8 floats
// Rows per block: each load of inp serves kRows weight rows, and their kRows running sums are independent
// chains of adds. With 4 chains the adds' latency, not memory, set the speed (docs/benchmarks.md, decoding).
constexpr int kRows = 8;

// 8 floats as one value: GCC and clang compile its + and * to one AVX instruction (two SSE ones on
// baseline x86-64), lane by lane. Written this way rather than as loops over float arrays because the
// compiler vectorised those loops badly (scalar multiplies shuffled into vectors: a third of the memory
// bandwidth). Values of this type never cross a function boundary: that would tie the ABI to AVX.
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));

// Adds the kLanes partial sums in a fixed order (the same for every row, every thread count).
inline float sum_lanes(const float* acc) {
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

// kRows rows r[0..kRows) of length C dotted with x. Compiled for AVX2 and for baseline x86-64 (the loader
// picks one): the same multiplies and adds lane by lane, no FMA, so both give the same bits.
MINILLM_AVX2_CLONE void dot_rows(float* out, const float* const r[kRows], const float* x, int C) {
  Lanes acc[kRows] = {};
  int i = 0;
  for (; i + kLanes <= C; i += kLanes) {
    Lanes xi, w;
    std::memcpy(&xi, x + i, sizeof xi);  // memcpy: an unaligned vector load
    for (int k = 0; k < kRows; ++k) {
      std::memcpy(&w, r[k] + i, sizeof w);
      acc[k] += w * xi;
    }
  }
  float sums[kRows][kLanes];
  std::memcpy(sums, acc, sizeof sums);
  for (; i < C; ++i)
    for (int k = 0; k < kRows; ++k) sums[k][i % kLanes] += r[k][i] * x[i];
  for (int k = 0; k < kRows; ++k) out[k] = sum_lanes(sums[k]);
}

// One row (the last OC % kRows rows), summed in the same order as dot_rows sums each of its rows.
MINILLM_AVX2_CLONE float dot1(const float* r, const float* x, int C) {
  Lanes acc = {};
  int i = 0;
  for (; i + kLanes <= C; i += kLanes) {
    Lanes xi, w;
    std::memcpy(&xi, x + i, sizeof xi);
    std::memcpy(&w, r + i, sizeof w);
    acc += w * xi;
  }
  float sums[kLanes];
  std::memcpy(sums, &acc, sizeof sums);
  for (; i < C; ++i) sums[i % kLanes] += r[i] * x[i];
  return sum_lanes(sums);
}

}  // namespace

// lesson: matvec_forward
void matvec_forward(float* out, const float* inp, const float* weight, const float* bias, int C, int OC) {
  const int blocks = OC / kRows;
  const auto row = [&](int o) { return weight + static_cast<size_t>(o) * static_cast<size_t>(C); };
#pragma omp parallel for schedule(static)
  for (int b = 0; b < blocks; ++b) {
    const int o = b * kRows;
    const float* rows[kRows];
    for (int k = 0; k < kRows; ++k) rows[k] = row(o + k);
    dot_rows(out + o, rows, inp, C);
  }
  for (int o = blocks * kRows; o < OC; ++o) out[o] = dot1(row(o), inp, C);
  if (bias)
    for (int o = 0; o < OC; ++o) out[o] += bias[o];
}
// end lesson: matvec_forward

}  // namespace minillm
