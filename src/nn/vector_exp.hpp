#pragma once
// exp(x) for float, written so that GCC vectorises the loops that call it (glibc's expf and tanhf are
// scalar calls that stop a loop from vectorising; docs/benchmarks.md has what that cost in GELU).
//
// Cephes' expf: x = n·ln2 + r with n = round(x / ln2) and |r| <= ln2/2, e^r from a degree-6 polynomial,
// then e^x = 2^n · e^r with 2^n built from its bits. Relative error below 2 ulp over the valid range
// (tests/unit/nn/test_vector_exp.cpp checks it against exp in double). No -ffast-math needed: the
// rounding trick (adding and subtracting 1.5·2^23) relies on IEEE float arithmetic, which we keep.
//
// Valid for x in [-kVectorExpLimit, kVectorExpLimit], which keeps 2^n a normal float: no overflow, no
// denormals. exp_in_place() clamps a whole array first, in a loop of its own: with the clamp in the same
// loop, GCC's partial redundancy elimination gives the clamped lanes a constant result on a separate
// branch, and a loop with branches does not vectorise.
#include <bit>
#include <cstdint>

#include "core/target_clones.hpp"

// Functions whose loops call vector_exp are marked MINILLM_AVX2_CLONE (core/target_clones.hpp): compiled
// for AVX2 (8 floats per instruction) and for the baseline x86-64 (SSE2, 4 floats), the loader picking
// the one the CPU supports (the default build does not assume AVX2). The results are bit-identical: the
// "avx2" target does not enable FMA, so neither clone can fuse a multiply and an add. The inline helpers
// below are inlined into each clone and compiled for its target.

namespace minillm {

inline constexpr float kVectorExpLimit = 80.0f;  // e^80 ~ 5.5e34 < FLT_MAX; e^-80 ~ 1.8e-35 > FLT_MIN

// x must lie in [-kVectorExpLimit, kVectorExpLimit] (not checked: it sits in the innermost loops).
inline float vector_exp(float x) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693359375f;      // ln 2 split in two so n·kLn2Hi is exact
  constexpr float kLn2Lo = -2.12194440e-4f;
  constexpr float kRound = 12582912.0f;       // 1.5·2^23: adding it rounds to an integer (nearest even)
  const float shifted = x * kLog2e + kRound;  // n sits in the low bits of shifted's mantissa
  const float n = shifted - kRound;
  const float r = (x - n * kLn2Hi) - n * kLn2Lo;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  // 2^n from its bits: exponent field n + 127, mantissa 0. n is read from shifted's bits rather than
  // converted from float, which vectorises without SSE4.1 and has no undefined cases (a NaN x gives a
  // NaN result through er).
  const int32_t n_int = std::bit_cast<int32_t>(shifted) - std::bit_cast<int32_t>(kRound);
  const float two_n = std::bit_cast<float>((n_int + 127) << 23);
  return er * two_n;
}

// x clamped into the valid range; a NaN compares false both ways and stays NaN (so vector_exp returns NaN).
inline float clamp_exp_arg(float x) {
  x = x < -kVectorExpLimit ? -kVectorExpLimit : x;
  return x > kVectorExpLimit ? kVectorExpLimit : x;
}

// x[i] = exp(clamp(x[i])) for i < n: e^x where |x| <= kVectorExpLimit, e^±kVectorExpLimit beyond.
// Meant for short arrays that stay in L1 (a chunk of a bigger loop).
inline void exp_in_place(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = clamp_exp_arg(x[i]);
  for (int i = 0; i < n; ++i) x[i] = vector_exp(x[i]);
}

// Softmax building blocks for a row z[0..n), n >= 1. Both keep 8 running partial results: one running
// max or sum is a chain of dependent operations that GCC must not reorder (no -ffast-math), so it runs
// one element at a time; 8 independent chains vectorise.
inline float row_max(const float* z, int n) {
  float lanes[8];
  for (int j = 0; j < 8; ++j) lanes[j] = z[0];
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lanes[j] = z[i + j] > lanes[j] ? z[i + j] : lanes[j];
  for (; i < n; ++i) lanes[0] = z[i] > lanes[0] ? z[i] : lanes[0];
  float m = lanes[0];
  for (int j = 1; j < 8; ++j) m = lanes[j] > m ? lanes[j] : m;
  return m;
}

// p[i] = exp(z[i] - shift) (clamped as exp_in_place) for i < n; returns their sum, accumulated in double.
// p may be z.
inline double exp_shifted_sum(float* p, const float* z, float shift, int n) {
  for (int i = 0; i < n; ++i) p[i] = z[i] - shift;
  exp_in_place(p, n);
  double lanes[8] = {};
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lanes[j] += p[i + j];
  for (; i < n; ++i) lanes[0] += p[i];
  double sum = 0.0;
  for (int j = 0; j < 8; ++j) sum += lanes[j];
  return sum;
}

}  // namespace minillm
