// Q8_0 quantization and the int8 matrix-vector product.
//   quantize: a block worked out by hand; |w - q·d| <= d/2 for every weight; widths not a multiple of 32
//             refused, naming the tensor; damaged matrices refused by check_q8_0.
//   matvec:   plain against dequantize-then-float32, within the bound the activation's rounding allows;
//             every SIMD kernel this CPU runs bit-identical to the portable one, for 1 and 2 threads; fast
//             against plain within float32 rounding.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "quant/fp16.hpp"
#include "quant/q8_0.hpp"
#include "quant/q8_matvec.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

using test_support::error_of;

std::vector<float> normal(size_t n, float stddev, uint64_t seed) {
  std::vector<float> v(n);
  Rng rng(seed);
  rng.fill_normal(v, 0.0f, stddev);
  return v;
}

TEST(quant, q8_block_worked_out_by_hand) {
  float w[kQ8Block] = {};
  w[0] = 1.27f;   // the largest |w|: d = 1.27 / 127 = 0.01 (as fp16: 0.0099945068359375)
  w[1] = -1.27f;
  w[2] = 0.5f;    // 0.5 / d = 50.03 -> 50
  w[3] = 0.0049f;  // 0.49 steps -> 0
  w[4] = -0.0051f;  // 0.51 steps -> -1
  int8_t q[kQ8Block];
  const uint16_t d16 = quantize_block_q8_0(q, w);
  EXPECT_EQ(d16, f32_to_f16(0.01f));
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], -127);
  EXPECT_EQ(q[2], 50);
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[4], -1);
  EXPECT_EQ(q[5], 0);

  float zeros[kQ8Block] = {};
  EXPECT_EQ(quantize_block_q8_0(q, zeros), 0);  // d = 0, every value 0: no division by zero
  for (int8_t v : q) EXPECT_EQ(v, 0);
}

// The rounding error of every weight is at most half a step of its block, d/2 (d as stored, in fp16).
TEST(quant, q8_error_is_at_most_half_a_step) {
  const int rows = 16, cols = 256;
  std::vector<float> w = normal(size_t(rows) * cols, 0.02f, 3);
  w[77] = 0.9f;  // an outlier: only its own block gets a coarse step
  const Q8Matrix m = quantize_q8_0(w.data(), rows, cols, "w");
  std::vector<float> back(w.size());
  dequantize_q8_0(back.data(), m);
  for (size_t i = 0; i < w.size(); ++i) {
    const float d = f16_bits_to_f32(m.scales[i / kQ8Block]);
    ASSERT_LE(std::fabs(w[i] - back[i]), d / 2 * (1 + 1e-6f)) << "weight " << i;
  }
  // The outlier's block has a step 0.9/127; its neighbours' blocks keep a step near 3·0.02/127.
  EXPECT_EQ(m.scales[77 / kQ8Block], f32_to_f16(0.9f / 127));
  EXPECT_LT(f16_bits_to_f32(m.scales[77 / kQ8Block + 1]), 0.1f / 127);
  std::vector<float> row(cols);
  dequantize_row_q8_0(row.data(), m, 3);
  EXPECT_EQ(0, std::memcmp(row.data(), back.data() + 3 * cols, cols * sizeof(float)));
}

TEST(quant, q8_refuses_a_row_length_not_a_multiple_of_32) {
  const std::vector<float> w(2 * 48);
  const std::string e = error_of([&] { quantize_q8_0(w.data(), 2, 48, "h.0.mlp.c_fc.weight"); });
  EXPECT_NE(e.find("h.0.mlp.c_fc.weight"), std::string::npos) << e;
  EXPECT_NE(e.find("48"), std::string::npos) << e;
  EXPECT_NE(e.find("multiple"), std::string::npos) << e;
}

TEST(quant, q8_check_refuses_damaged_matrices) {
  const std::vector<float> w = normal(4 * 64, 1.0f, 5);
  Q8Matrix m = quantize_q8_0(w.data(), 4, 64, "w");
  check_q8_0(m, "w");  // a good one passes
  Q8Matrix fewer = m;
  fewer.scales.pop_back();
  EXPECT_NE(error_of([&] { check_q8_0(fewer, "w"); }).find("7 scales"), std::string::npos);
  Q8Matrix infinite = m;
  infinite.scales[5] = 0x7c00;  // +inf
  EXPECT_NE(error_of([&] { check_q8_0(infinite, "w"); }).find("block 5 (row 2) is inf"), std::string::npos);
  Q8Matrix nan = m;
  nan.scales[0] = 0x7e00;
  EXPECT_NE(error_of([&] { check_q8_0(nan, "w"); }).find("not a finite number"), std::string::npos);
}

// Activations are rounded to half a step of their block too.
TEST(quant, q8_activation_quantization) {
  const std::vector<float> x = normal(96, 1.0f, 9);
  std::vector<int8_t> q(96);
  std::vector<float> d(3);
  quantize_activation_q8_0(q.data(), d.data(), x.data(), 96);
  for (int i = 0; i < 96; ++i) ASSERT_LE(std::fabs(x[size_t(i)] - q[size_t(i)] * d[size_t(i / 32)]), d[size_t(i / 32)] / 2 * 1.0001f);
}

struct Case {
  std::vector<float> x, bias;
  Q8Matrix w;
  std::vector<float> dequantized;  // [OC, C]
};

Case make_case(int OC, int C, uint64_t seed) {
  Case c;
  c.x = normal(size_t(C), 1.0f, seed);
  c.bias = normal(size_t(OC), 0.1f, seed + 1);
  const std::vector<float> w = normal(size_t(OC) * C, 0.05f, seed + 2);
  c.w = quantize_q8_0(w.data(), OC, C, "w");
  c.dequantized.resize(w.size());
  dequantize_q8_0(c.dequantized.data(), c.w);
  return c;
}

// plain = dequantized W · x, up to the activation's rounding: each x_i moves by at most dx/2 of its block,
// so |plain - W'x| <= sum_i |W'_oi| · dx_b(i) / 2 (plus float32 rounding, far smaller).
TEST(quant, q8_plain_matches_dequantize_then_float32) {
  for (const auto& [OC, C] : {std::pair{37, 96}, {64, 768}, {5, 320}}) {
    Case c = make_case(OC, C, uint64_t(OC * C));
    std::vector<float> out(static_cast<size_t>(OC));
    q8_matvec_forward_plain(out.data(), c.x.data(), c.w, c.bias.data());
    std::vector<int8_t> qx(static_cast<size_t>(C));
    std::vector<float> dx(static_cast<size_t>(C / 32));
    quantize_activation_q8_0(qx.data(), dx.data(), c.x.data(), C);
    for (int o = 0; o < OC; ++o) {
      double exact = c.bias[size_t(o)], bound = 1e-5;
      for (int i = 0; i < C; ++i) {
        const double w = c.dequantized[size_t(o) * C + i];
        exact += w * c.x[size_t(i)];
        bound += std::fabs(w) * dx[size_t(i / 32)] / 2;
      }
      ASSERT_LE(std::fabs(out[size_t(o)] - exact), bound) << "row " << o << " of [" << OC << ", " << C << "]";
    }
  }
}

// The fast product: every kernel gives the portable kernel's bits, for 1 and 2 threads; and it equals plain
// up to float32 rounding of the per-block sums (relative 1e-5 of the sum of |terms|).
TEST(quant, q8_fast_kernels_agree) {
  ASSERT_FALSE(q8_kernels_available().empty());
  EXPECT_STREQ(q8_kernels_available().back(), "portable");
  for (const auto& [OC, C] : {std::pair{37, 96}, {64, 768}, {5, 320}, {4, 32}}) {
    Case c = make_case(OC, C, uint64_t(OC + C));
    const size_t n = static_cast<size_t>(OC);
    std::vector<float> plain(n), portable(n), out(n);
    q8_matvec_forward_plain(plain.data(), c.x.data(), c.w, c.bias.data());
    set_num_threads(1);
    q8_matvec_forward_with("portable", portable.data(), c.x.data(), c.w, c.bias.data());
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      for (const char* kernel : q8_kernels_available()) {
        q8_matvec_forward_with(kernel, out.data(), c.x.data(), c.w, c.bias.data());
        EXPECT_EQ(0, std::memcmp(out.data(), portable.data(), out.size() * sizeof(float)))
            << kernel << " on " << threads << " threads, [" << OC << ", " << C << "]";
      }
      q8_matvec_forward(out.data(), c.x.data(), c.w, c.bias.data());
      EXPECT_EQ(0, std::memcmp(out.data(), portable.data(), out.size() * sizeof(float)));
    }
    for (int o = 0; o < OC; ++o) {
      double magnitude = std::fabs(c.bias[size_t(o)]);
      for (int i = 0; i < C; ++i) magnitude += std::fabs(c.dequantized[size_t(o) * C + i] * c.x[size_t(i)]);
      EXPECT_NEAR(out[size_t(o)], plain[size_t(o)], 1e-5 * magnitude) << "row " << o;
    }
  }
  EXPECT_NE(error_of([] {
              Case c = make_case(4, 32, 1);
              float out[4];
              q8_matvec_forward_with("sse9", out, c.x.data(), c.w, nullptr);
            }).find("no int8 kernel named 'sse9'"),
            std::string::npos);
}

}  // namespace
}  // namespace minillm
