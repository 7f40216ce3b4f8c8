// fp16 conversion: against the CPU's own converter (F16C's vcvtps2ph, round to nearest even) where the CPU has
// one, and against values worked out by hand: ties to even, overflow to inf, the subnormals.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "io/safetensors_reader.hpp"
#include "quant/fp16.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
__attribute__((target("f16c"))) static uint16_t hardware_f16(float x) {
  return static_cast<uint16_t>(_cvtss_sh(x, _MM_FROUND_TO_NEAREST_INT));
}
static bool have_f16c() { return __builtin_cpu_supports("f16c"); }
#else
static uint16_t hardware_f16(float) { return 0; }
static bool have_f16c() { return false; }
#endif

namespace minillm {
namespace {

TEST(quant, fp16_values_worked_out_by_hand) {
  EXPECT_EQ(f32_to_f16(0.0f), 0x0000);
  EXPECT_EQ(f32_to_f16(-0.0f), 0x8000);
  EXPECT_EQ(f32_to_f16(1.0f), 0x3c00);
  EXPECT_EQ(f32_to_f16(-2.0f), 0xc000);
  EXPECT_EQ(f32_to_f16(65504.0f), 0x7bff);                         // the largest finite fp16
  EXPECT_EQ(f32_to_f16(65519.0f), 0x7bff);                         // below the halfway point to 65536
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);                         // halfway: rounds (to even) to inf
  EXPECT_EQ(f32_to_f16(1.0f + 0x1p-11f), 0x3c00);                  // a tie: to the even neighbour, 1
  EXPECT_EQ(f32_to_f16(1.0f + 3 * 0x1p-11f), 0x3c02);              // a tie: to the even neighbour, 1 + 2^-9
  EXPECT_EQ(f32_to_f16(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);       // past the tie: up
  EXPECT_EQ(f32_to_f16(0x1p-14f), 0x0400);                         // the smallest normal
  EXPECT_EQ(f32_to_f16(0x1p-24f), 0x0001);                         // the smallest subnormal
  EXPECT_EQ(f32_to_f16(0x1p-25f), 0x0000);                         // a tie between 0 and 2^-24: to 0
  EXPECT_EQ(f32_to_f16(3 * 0x1p-25f), 0x0002);                     // a tie between 1 and 2 units: to 2
  EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_TRUE(std::isnan(f16_bits_to_f32(f32_to_f16(std::nanf("")))));
  EXPECT_EQ(f16_bits_to_f32(0x0001), 0x1p-24f);
  EXPECT_EQ(f16_bits_to_f32(0x3555), 0.333251953125f);
}

// Every fp16 value converts to float32 as the safetensors reader's converter says, and back to itself.
TEST(quant, fp16_every_value_round_trips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t bits = static_cast<uint16_t>(h);
    const float f = f16_bits_to_f32(bits);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(f16_to_f32(bits)));
      continue;
    }
    ASSERT_EQ(std::bit_cast<uint32_t>(f), std::bit_cast<uint32_t>(f16_to_f32(bits))) << "fp16 bits " << h;
    ASSERT_EQ(f32_to_f16(f), bits) << "fp16 bits " << h;
  }
}

TEST(quant, fp16_rounding_matches_the_cpu_converter) {
  if (!have_f16c()) GTEST_SKIP() << "this CPU has no F16C converter to compare with";
  Rng rng(7);
  for (int i = 0; i < 200000; ++i) {
    // Random bit patterns over the whole float range that fp16 covers, subnormals and overflow included.
    const uint32_t bits = static_cast<uint32_t>(rng.below(0x48000000u - 0x32000000u)) + 0x32000000u;
    const float x = std::bit_cast<float>(bits | (i % 2 ? 0x80000000u : 0u));
    ASSERT_EQ(f32_to_f16(x), hardware_f16(x)) << x;
  }
}

}  // namespace
}  // namespace minillm
