// Tests for chapter 10's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "tasks.hpp"

namespace {

// ---- absmax_quantize ----

TEST(AbsmaxQuantize, ABlockWorkedOutByHand) {
  const ch10::Int8Block q = ch10::absmax_quantize({127.0f, 0.5f, -0.5f, 1.5f, -63.2f});
  EXPECT_FLOAT_EQ(q.scale, 1.0f) << "the largest magnitude, 127, must land on 127: the step is 127 / 127 = 1";
  const std::vector<int8_t> want = {127, 1, -1, 2, -63};
  EXPECT_EQ(q.values, want) << "0.5 and -0.5 are halves: away from zero, to 1 and -1; 1.5 to 2; -63.2 to -63";
}

TEST(AbsmaxQuantize, TheLargestMagnitudeMapsToPlusOrMinus127) {
  const ch10::Int8Block q = ch10::absmax_quantize({0.01f, -0.254f, 0.1f});
  EXPECT_NEAR(q.scale, 0.254f / 127, 1e-9f) << "scale = largest |value| / 127";
  ASSERT_EQ(q.values.size(), 3u);
  EXPECT_EQ(q.values[1], -127) << "the largest magnitude is negative here: it becomes -127";
  EXPECT_EQ(q.values[0], 5) << "0.01 / 0.002 = 5 steps";
  EXPECT_EQ(q.values[2], 50) << "0.1 / 0.002 = 50 steps";
}

TEST(AbsmaxQuantize, AnAllZeroBlockHasScaleZero) {
  const ch10::Int8Block q = ch10::absmax_quantize({0.0f, 0.0f, 0.0f, 0.0f});
  EXPECT_EQ(q.scale, 0.0f);
  EXPECT_EQ(q.values, std::vector<int8_t>(4, 0)) << "no division by a zero scale: every value is 0";
}

// ---- dequantize_blocks ----

TEST(DequantizeBlocks, EachValueTimesItsBlocksScale) {
  const std::vector<float> got = ch10::dequantize_blocks({1, -2, 3, 4, -127, 0}, {0.5f, 2.0f, 0.01f}, 2);
  const std::vector<float> want = {0.5f, -1.0f, 6.0f, 8.0f, -1.27f, 0.0f};
  ASSERT_EQ(got.size(), want.size()) << "one real number per int8 value";
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-6f) << "value " << i << " belongs to block " << i / 2;
}

TEST(DequantizeBlocks, UndoesAbsmaxWithinHalfAStep) {
  minillm::Rng rng(3);
  std::vector<float> w(64);
  rng.fill_normal(w, 0.0f, 1.0f);
  std::vector<int8_t> values;
  std::vector<float> scales;
  for (int b = 0; b < 2; ++b) {  // the lesson's Q8_0 by hand: two blocks of 32
    const ch10::Int8Block q = ch10::absmax_quantize(std::vector<float>(w.begin() + 32 * b, w.begin() + 32 * b + 32));
    values.insert(values.end(), q.values.begin(), q.values.end());
    scales.push_back(q.scale);
  }
  const std::vector<float> back = ch10::dequantize_blocks(values, scales, 32);
  ASSERT_EQ(back.size(), 64u);
  for (size_t i = 0; i < 64; ++i)
    ASSERT_LE(std::fabs(back[i] - w[i]), scales[i / 32] / 2 * 1.0001f) << "value " << i << " is off by more than half a step";
}

// ---- int8_dot ----

TEST(Int8Dot, TwoBlocksWorkedOutByHand) {
  // block 0: (1·3 + 2·(-1)) = 1, times 0.5 · 2 = 1; block 1: (-4·2 + 1·1) = -7, times 0.1 · 3 = -2.1
  const float got = ch10::int8_dot({1, 2, -4, 1}, {0.5f, 0.1f}, {3, -1, 2, 1}, {2.0f, 3.0f}, 2);
  EXPECT_NEAR(got, 1.0f - 2.1f, 1e-5f) << "sum over blocks of a_scale · b_scale · (integer dot of the block)";
}

TEST(Int8Dot, BlockSumsNeedThirtyTwoBits) {
  const std::vector<int8_t> big(64, 127);
  const float got = ch10::int8_dot(big, {1.0f, 1.0f}, big, {1.0f, 1.0f}, 32);
  EXPECT_FLOAT_EQ(got, 2 * 32 * 127.0f * 127.0f) << "32 products of 127·127 = 516,128 per block: more than int16 holds";
}

TEST(Int8Dot, EqualsTheDotOfTheDequantizedVectors) {
  minillm::Rng rng(5);
  std::vector<int8_t> a(96), b(96);
  for (auto* v : {&a, &b})
    for (int8_t& x : *v) x = static_cast<int8_t>(int(rng.below(255)) - 127);
  const std::vector<float> sa = {0.01f, 0.2f, 0.003f}, sb = {0.5f, 0.07f, 1.1f};
  double want = 0;
  for (size_t i = 0; i < 96; ++i) want += double(a[i]) * sa[i / 32] * double(b[i]) * sb[i / 32];
  EXPECT_NEAR(ch10::int8_dot(a, sa, b, sb, 32), want, 1e-4 * (std::fabs(want) + 1));
}

// ---- rounding_error ----

TEST(RoundingError, ASmallCaseWorkedOutByHand) {
  // one block {1, 0.3}: step 1/127; 0.3 · 127 = 38.1 -> 38, back to 38/127 = 0.2992...
  const ch10::ErrorReport r = ch10::rounding_error({1.0f, 0.3f}, 2);
  const double err = 0.3 - 38.0 / 127;
  EXPECT_NEAR(r.max_error, err, 1e-6) << "1 comes back exactly; 0.3 comes back as 38/127";
  EXPECT_NEAR(r.bound, 0.5 / 127, 1e-7) << "the bound is half a step: (1/127) / 2";
  EXPECT_NEAR(r.rms_error, std::sqrt(err * err / 2), 1e-6) << "root mean square over both values";
}

TEST(RoundingError, NoErrorExceedsHalfAStep) {
  minillm::Rng rng(7);
  std::vector<float> w(256);
  rng.fill_normal(w, 0.0f, 0.05f);
  w[10] = 3.0f;  // an outlier
  for (int block : {4, 32, 256}) {
    const ch10::ErrorReport r = ch10::rounding_error(w, block);
    EXPECT_GT(r.max_error, 0.0) << "random floats do not all land on steps";
    EXPECT_LE(r.max_error, r.bound * (1 + 1e-6)) << "block " << block << ": rounding to the nearest step moves a value by at most half a step";
    EXPECT_LE(r.rms_error, r.max_error);
  }
  EXPECT_GT(ch10::rounding_error(w, 256).rms_error, 3 * ch10::rounding_error(w, 4).rms_error)
      << "one scale for the whole row lets the outlier coarsen every step";
}

// ---- pack_q4 ----

TEST(PackQ4, TwoValuesPerByteLowNibbleFirst) {
  const std::vector<uint8_t> got = ch10::pack_q4({0, 1, -8, 7});
  const std::vector<uint8_t> want = {0x98, 0xF0};
  EXPECT_EQ(got, want) << "(0, 1) -> low 0+8 = 8, high 1+8 = 9: 0x98; (-8, 7) -> low 0, high 15: 0xF0";
}

TEST(PackQ4, HalfAsManyBytesAsValues) {
  EXPECT_EQ(ch10::pack_q4(std::vector<int8_t>(64, -3)), std::vector<uint8_t>(32, 0x55)) << "-3 + 8 = 5 in both halves";
}

// ---- unpack_q4 ----

TEST(UnpackQ4, UndoesPackingOfEveryValue) {
  const std::vector<int8_t> got = ch10::unpack_q4({0x98, 0xF0, 0x0F});
  const std::vector<int8_t> want = {0, 1, -8, 7, 7, -8};
  EXPECT_EQ(got, want) << "the low 4 bits first, then the high 4, each minus 8";
}

TEST(UnpackQ4, RoundTripsAllSixteenValues) {
  std::vector<int8_t> all;
  for (int a = -8; a <= 7; ++a)
    for (int b = -8; b <= 7; ++b) all.insert(all.end(), {static_cast<int8_t>(a), static_cast<int8_t>(b)});
  EXPECT_EQ(ch10::unpack_q4(ch10::pack_q4(all)), all);
}

// ---- kl_divergence ----

TEST(KlDivergence, ZeroForTheSameDistribution) {
  EXPECT_NEAR(ch10::kl_divergence({1.0f, 2.0f, 3.0f}, {1.0f, 2.0f, 3.0f}), 0.0, 1e-12);
  EXPECT_NEAR(ch10::kl_divergence({1.0f, 2.0f, 3.0f}, {11.0f, 12.0f, 13.0f}), 0.0, 1e-9)
      << "adding a constant to every logit does not change the softmax";
}

TEST(KlDivergence, AnExampleWorkedOutByHand) {
  // P = (0.5, 0.5), Q = (0.9, 0.1): KL = 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1)
  const double want = 0.5 * std::log(0.5 / 0.9) + 0.5 * std::log(0.5 / 0.1);
  EXPECT_NEAR(ch10::kl_divergence({0.0f, 0.0f}, {std::log(0.9f), std::log(0.1f)}), want, 1e-6);
  const double reverse = 0.9 * std::log(0.9 / 0.5) + 0.1 * std::log(0.1 / 0.5);
  EXPECT_NEAR(ch10::kl_divergence({std::log(0.9f), std::log(0.1f)}, {0.0f, 0.0f}), reverse, 1e-6)
      << "KL is not symmetric: P's probabilities weigh the log-ratios";
}

TEST(KlDivergence, LargeLogitsAreStable) {
  const double got = ch10::kl_divergence({1000.0f, 999.0f}, {1000.0f, 1001.0f});
  EXPECT_TRUE(std::isfinite(got)) << "exp(1000) overflows: subtract the largest logit first";
  const double p = 1 / (1 + std::exp(-1.0)), q = 1 / (1 + std::exp(1.0));
  EXPECT_NEAR(got, p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q)), 1e-6);
}

// ---- choose_block_size ----

// One row {1, 1, 1, 1, 100, 100, 100, 100}. Blocks of 2 or 4 are each all-equal: exact. A block of 8 has
// step 100/127, so each 1 comes back as 100/127: the relative RMS error is
// sqrt(4 (1 - 100/127)^2 / (4 + 4·100^2)) = 0.002126.
const std::vector<float> kTwoScales = {1, 1, 1, 1, 100, 100, 100, 100};

TEST(ChooseBlockSize, TheLargestBlockWithinTheTarget) {
  EXPECT_EQ(ch10::choose_block_size(kTwoScales, 1, 8, {2, 4, 8}, 0.0022), 8) << "8's error 0.002126 is within 0.0022";
  EXPECT_EQ(ch10::choose_block_size(kTwoScales, 1, 8, {2, 4, 8}, 0.0021), 4)
      << "8's error 0.002126 is over 0.0021; 4 is exact";
  EXPECT_EQ(ch10::choose_block_size(kTwoScales, 1, 8, {8, 2, 4}, 1e-6), 4)
      << "the candidates may come in any order (2 and 4 are exact, up to float rounding)";
}

TEST(ChooseBlockSize, TheSmallestWhenNoneIsGoodEnough) {
  EXPECT_EQ(ch10::choose_block_size({1.0f, 0.3f, 1.0f, 0.3f}, 1, 4, {4, 2}, 0.0), 2);
}

TEST(ChooseBlockSize, BlocksRunAlongEachRow) {
  // Two rows: the first all 100s (exact at any size), the second {1,1,1,1,100,100,100,100}. Over the whole
  // matrix at block 8: sqrt(4 (1 - 100/127)^2 / (8·100^2 + 4 + 4·100^2)) = 0.001228 (the second row alone:
  // 0.002126; the mean of the two rows' relative errors: 0.001063).
  std::vector<float> w(8, 100.0f);
  w.insert(w.end(), kTwoScales.begin(), kTwoScales.end());
  EXPECT_EQ(ch10::choose_block_size(w, 2, 8, {2, 4, 8}, 0.0013), 8)
      << "the squared errors of every row over the squares of every value: 0.001228 is within 0.0013";
  EXPECT_EQ(ch10::choose_block_size(w, 2, 8, {2, 4, 8}, 0.0012), 4) << "0.001228 is over 0.0012";
}

}  // namespace
