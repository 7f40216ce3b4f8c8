#pragma once
// IEEE binary16 ("half", fp16): 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits. The largest
// finite value is 65504, the smallest normal 2^-14 (6.1e-5), and below it the subnormals reach 2^-24.
// Q8_0 keeps one fp16 scale per block of 32 weights, so a scale costs 2 bytes instead of 4.
#include <cstdint>

namespace minillm {

// Rounds to the nearest fp16, ties to even (what _cvtss_sh and PyTorch's .half() do); too large gives
// +-inf, NaN stays NaN.
uint16_t f32_to_f16(float x);

// The exact float32 value of fp16 bits (every fp16 is a float32).
float f16_bits_to_f32(uint16_t h);

}  // namespace minillm
