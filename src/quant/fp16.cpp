#include "quant/fp16.hpp"

#include <bit>
#include <cmath>

namespace minillm {

// lesson: f32_to_f16
uint16_t f32_to_f16(float x) {
  const uint32_t f = std::bit_cast<uint32_t>(x);
  const uint32_t sign = (f >> 16) & 0x8000u;
  const uint32_t abs = f & 0x7fffffffu;
  if (abs > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);  // NaN (quiet)
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: inf
  if (abs < 0x38800000u) {
    // Below 2^-14: a subnormal fp16, a multiple of 2^-24. Adding 0.5 (2^-1) makes the FPU round the value
    // to a multiple of 2^-24 (float32 keeps 24 bits at 0.5, the last worth 2^-24), ties to even.
    const float rounded = std::fabs(x) + 0.5f;
    return static_cast<uint16_t>(sign | (std::bit_cast<uint32_t>(rounded) - 0x3f000000u));
  }
  // Normal: rebias the exponent (127 -> 15) and drop 13 mantissa bits, rounding to nearest even. A carry
  // out of the mantissa correctly bumps the exponent.
  const uint32_t odd = (abs >> 13) & 1u;
  const uint32_t h = (abs - (112u << 23) + 0xfffu + odd) >> 13;
  return static_cast<uint16_t>(sign | h);
}
// end lesson: f32_to_f16

float f16_bits_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t rest = h & 0x7fffu;
  if (rest >= 0x7c00u) return std::bit_cast<float>(sign | 0x7f800000u | ((rest & 0x3ffu) << 13));  // inf, NaN
  // Shifting the 15 bits into float32's place gives 2^(e-127)·(1.m) (or, for e = 0, a float32 subnormal
  // m·2^-136); times 2^112 is the fp16 value 2^(e-15)·(1.m) (or m·2^-24): exact in both cases.
  const float magnitude = std::bit_cast<float>(rest << 13) * 0x1p112f;
  return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(magnitude));
}

}  // namespace minillm
