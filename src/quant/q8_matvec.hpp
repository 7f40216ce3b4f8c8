#pragma once
// The int8 matrix-vector product of decoding: out[OC] = W[OC,C] · x[C] + bias[OC], W in Q8_0 (q8_0.hpp).
//
// As in ggml, the activation x is quantized too, per block of 32, with its own scale dx (a float here):
// then each block's dot product is a sum of 32 int8·int8 products, exact in int32, and one float multiply by
// both scales turns it back into real units:
//   out[o] = sum over blocks b of  dw[o,b] · dx[b] · ( sum_i qw[o, 32b+i] · qx[32b+i] )
// Keeping x in float32 instead (each int8 weight converted to float and multiplied) was measured slower
// (docs/benchmarks.md, "Quantization"). Rounding x adds an error of the same size as the weights' own (both
// are 8-bit roundings in blocks of 32); its cost in quality is measured with the weights' (chapter 10).
//
// Two forms of the same sum:
//   plain  the loops above, one row at a time: what the lesson quotes and the tests trust;
//   fast   threads split the rows; each row runs a SIMD kernel the CPU supports (AVX-VNNI, AVX2, or
//          portable C++), which keeps 8 partial sums of 4 products each per block and so rounds differently
//          from plain (tests bound the difference). Every kernel sums in the same order, so the fast result
//          is bit-identical for any thread count and any of these kernels.
#include <span>
#include <vector>

#include "quant/q8_0.hpp"

namespace minillm {

// x[C] quantized per block of 32: qx[C] int8 and dx[C/32] float scales (dx = max|x| / 127, q = round(x/dx)).
void quantize_activation_q8_0(int8_t* qx, float* dx, const float* x, int C);

// out[OC] = W · x + bias (bias may be nullptr), W.rows = OC, W.cols = C. Overwrites out. One thread.
void q8_matvec_forward_plain(float* out, const float* x, const Q8Matrix& w, const float* bias);

// The same product, fast (see above). Uses scratch it owns per thread; x is quantized once per call.
void q8_matvec_forward(float* out, const float* x, const Q8Matrix& w, const float* bias);

// The SIMD kernels, for tests and benchmarks: the ones this CPU can run, best first ("avxvnni", "avx2",
// "portable"), and the fast product with one of them forced.
std::vector<const char*> q8_kernels_available();
void q8_matvec_forward_with(const char* kernel, float* out, const float* x, const Q8Matrix& w, const float* bias);

}  // namespace minillm
