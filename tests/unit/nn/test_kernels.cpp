// The kernel table (nn/kernels.hpp): every fast form equals its plain form, the definition, within a
// stated tolerance, on shapes that exercise the fast forms' special paths (several causal blocks of 32
// rows, gelu chunks of 256, column blocks of 64); and the table really decides what the model runs.
//
// Tolerances: the two forms add the same terms in a different order (BLAS's blocked sums, per-head gemms,
// double instead of float sums), so results differ by a few float32 roundings of the largest partial
// sums: 1e-5 relative (plus 1e-6 absolute for values near 0) covers sums of a few hundred terms of size
// ~1. GELU's fast form goes through exp instead of tanh: also a few roundings.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "check.hpp"
#include "core/rng.hpp"
#include "nn/block.hpp"
#include "nn/kernels.hpp"

namespace minillm {
namespace {

using minillm::testing::all_close;

constexpr double kAtol = 1e-6, kRtol = 1e-5;

using minillm::testing::randn;

const Kernels& plain = plain_kernels();
const Kernels& fast = fast_kernels();

TEST(Kernels, LinearFastEqualsPlain) {
  Rng rng(11);
  const int N = 70, C = 48, OC = 130;  // OC > 64: dbias's column blocks; N, C not multiples of anything
  auto inp = randn(rng, N * C), w = randn(rng, OC * C, 0.2f), b = randn(rng, OC), dout = randn(rng, N * OC);
  std::vector<float> out_p(N * OC), out_f(N * OC);
  plain.linear_forward(out_p.data(), inp.data(), w.data(), b.data(), N, C, OC);
  fast.linear_forward(out_f.data(), inp.data(), w.data(), b.data(), N, C, OC);
  EXPECT_TRUE(all_close("linear out", out_f.data(), out_p.data(), out_p.size(), kAtol, kRtol));
  // Backward accumulates: start both from the same non-zero gradients.
  auto dinp_p = randn(rng, N * C), dw_p = randn(rng, OC * C), db_p = randn(rng, OC);
  auto dinp_f = dinp_p, dw_f = dw_p, db_f = db_p;
  plain.linear_backward(dinp_p.data(), dw_p.data(), db_p.data(), dout.data(), inp.data(), w.data(), N, C, OC);
  fast.linear_backward(dinp_f.data(), dw_f.data(), db_f.data(), dout.data(), inp.data(), w.data(), N, C, OC);
  EXPECT_TRUE(all_close("linear dinp", dinp_f.data(), dinp_p.data(), dinp_p.size(), kAtol, kRtol));
  EXPECT_TRUE(all_close("linear dweight", dw_f.data(), dw_p.data(), dw_p.size(), 1e-5, kRtol));
  EXPECT_TRUE(all_close("linear dbias", db_f.data(), db_p.data(), db_p.size(), 1e-5, kRtol));
}

// The int8 matvec (chapter 10): the forms sum the same exact int32 block sums, the fast one in 8 lanes, so
// they differ by float32 roundings: 1e-5 of the sum of |terms|. (tests/unit/quant checks each SIMD kernel.)
TEST(Kernels, Q8MatvecFastEqualsPlain) {
  Rng rng(13);
  const int C = 96, OC = 37;  // 3 blocks of 32; OC not a multiple of the fast form's 4 rows
  auto x = randn(rng, C), w = randn(rng, OC * C, 0.05f), b = randn(rng, OC);
  const Q8Matrix q = quantize_q8_0(w.data(), OC, C, "w");
  std::vector<float> out_p(OC), out_f(OC), back(OC * C);
  plain.q8_matvec_forward(out_p.data(), x.data(), q, b.data());
  fast.q8_matvec_forward(out_f.data(), x.data(), q, b.data());
  dequantize_q8_0(back.data(), q);
  for (int o = 0; o < OC; ++o) {
    double magnitude = std::fabs(b[o]);
    for (int i = 0; i < C; ++i) magnitude += std::fabs(back[o * C + i] * x[i]);
    EXPECT_NEAR(out_f[o], out_p[o], 1e-5 * magnitude) << "row " << o;
  }
}

TEST(Kernels, LayerNormBackwardFastEqualsPlain) {
  Rng rng(12);
  const int N = 33, C = 150;  // C > 64 and not a multiple of it: the column blocks' edge
  auto inp = randn(rng, N * C, 3.0f), w = randn(rng, C), b = randn(rng, C), dout = randn(rng, N * C);
  std::vector<float> out(N * C), mean(N), rstd(N);
  plain.layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), w.data(), b.data(), N, C);
  auto dinp_p = randn(rng, N * C), dw_p = randn(rng, C), db_p = randn(rng, C);
  auto dinp_f = dinp_p, dw_f = dw_p, db_f = db_p;
  plain.layernorm_backward(dinp_p.data(), dw_p.data(), db_p.data(), dout.data(), inp.data(), w.data(), mean.data(),
                           rstd.data(), N, C);
  fast.layernorm_backward(dinp_f.data(), dw_f.data(), db_f.data(), dout.data(), inp.data(), w.data(), mean.data(),
                          rstd.data(), N, C);
  EXPECT_TRUE(all_close("layernorm dinp", dinp_f.data(), dinp_p.data(), dinp_p.size(), kAtol, kRtol));
  EXPECT_TRUE(all_close("layernorm dweight", dw_f.data(), dw_p.data(), C, 1e-5, kRtol));
  EXPECT_TRUE(all_close("layernorm dbias", db_f.data(), db_p.data(), C, 1e-5, kRtol));
}

TEST(Kernels, GeluFastEqualsPlainAcrossItsRange) {
  // -12..12 in small steps, 600 values: several 256-value chunks, both tails (where tanh is +-1) and 0.
  std::vector<float> x;
  for (int i = 0; i < 600; ++i) x.push_back(-12.0f + 24.0f * static_cast<float>(i) / 599.0f);
  const int n = static_cast<int>(x.size());
  std::vector<float> out_p(x.size()), out_f(x.size());
  plain.gelu_forward(out_p.data(), x.data(), n);
  fast.gelu_forward(out_f.data(), x.data(), n);
  EXPECT_TRUE(all_close("gelu out", out_f.data(), out_p.data(), x.size(), 1e-6, 1e-5));
  std::vector<float> dout(x.size(), 1.0f), d_p(x.size(), 0.5f), d_f(x.size(), 0.5f);
  plain.gelu_backward(d_p.data(), x.data(), dout.data(), n);
  fast.gelu_backward(d_f.data(), x.data(), dout.data(), n);
  EXPECT_TRUE(all_close("gelu dinp", d_f.data(), d_p.data(), x.size(), 1e-6, 1e-5));
}

TEST(Kernels, AttentionFastEqualsPlainOverSeveralCausalBlocks) {
  Rng rng(13);
  const int B = 2, T = 70, C = 24, NH = 3;  // T = 70: the fast form's 32-row blocks, the last one partial
  auto qkv = randn(rng, size_t(B) * T * 3 * C), dout = randn(rng, size_t(B) * T * C);
  const size_t maps = size_t(B) * NH * T * T;
  std::vector<float> out_p(size_t(B) * T * C), out_f(out_p.size()), pre_p(maps), pre_f(maps), att_p(maps), att_f(maps);
  plain.attention_forward(out_p.data(), pre_p.data(), att_p.data(), qkv.data(), B, T, C, NH);
  fast.attention_forward(out_f.data(), pre_f.data(), att_f.data(), qkv.data(), B, T, C, NH);
  EXPECT_TRUE(all_close("attention out", out_f.data(), out_p.data(), out_p.size(), kAtol, kRtol));
  EXPECT_TRUE(all_close("attention att", att_f.data(), att_p.data(), maps, kAtol, kRtol));
  for (size_t i = 0; i < maps; ++i) {
    ASSERT_EQ(std::isinf(pre_f[i]), std::isinf(pre_p[i])) << "the mask: preatt " << i;
    if (!std::isinf(pre_p[i])) {
      ASSERT_NEAR(pre_f[i], pre_p[i], kAtol + kRtol * std::abs(pre_p[i])) << i;
    }
  }
  auto dqkv_p = randn(rng, qkv.size());
  auto dqkv_f = dqkv_p;
  std::vector<float> s1(maps), s2(maps);
  plain.attention_backward(dqkv_p.data(), s1.data(), s2.data(), dout.data(), qkv.data(), att_p.data(), B, T, C, NH);
  fast.attention_backward(dqkv_f.data(), s1.data(), s2.data(), dout.data(), qkv.data(), att_p.data(), B, T, C, NH);
  EXPECT_TRUE(all_close("attention dqkv", dqkv_f.data(), dqkv_p.data(), dqkv_p.size(), 1e-5, kRtol));
}

TEST(Kernels, CrossEntropyFastEqualsPlain) {
  Rng rng(14);
  const int N = 9, V = 1000;
  auto logits = randn(rng, size_t(N) * V, 4.0f);
  TokenIds targets;
  for (int n = 0; n < N; ++n) targets.push_back(token_id((n * 97) % V));
  std::vector<float> loss_p(N), loss_f(N), probs_p(size_t(N) * V), probs_f(probs_p.size());
  plain.cross_entropy_forward(loss_p.data(), probs_p.data(), logits.data(), targets, N, V);
  fast.cross_entropy_forward(loss_f.data(), probs_f.data(), logits.data(), targets, N, V);
  EXPECT_TRUE(all_close("cross-entropy losses", loss_f.data(), loss_p.data(), N, kAtol, kRtol));
  EXPECT_TRUE(all_close("cross-entropy probs", probs_f.data(), probs_p.data(), probs_p.size(), 1e-7, 1e-5));
  std::vector<float> dl(N, 0.125f), d_p(probs_p.size(), 0.25f), d_f(probs_p.size(), 0.25f);
  plain.cross_entropy_backward(d_p.data(), dl.data(), probs_p.data(), targets, N, V);
  fast.cross_entropy_backward(d_f.data(), dl.data(), probs_p.data(), targets, N, V);
  EXPECT_TRUE(all_close("cross-entropy dlogits", d_f.data(), d_p.data(), d_p.size(), 1e-7, 1e-6));
}

// The model runs what the table says: a block under the plain table computes what the plain kernels
// compute by hand, and a KernelScope puts the previous table back.
TEST(Kernels, TheBlockRunsTheTablesKernelsAndTheScopeRestoresIt) {
  ASSERT_EQ(kernels().gelu_forward, fast.gelu_forward) << "the fast form is the default";
  int calls = 0;
  static int* counter = nullptr;
  counter = &calls;
  Kernels counting = plain_kernels();
  counting.gelu_forward = [](float* out, const float* inp, int n) {
    ++*counter;
    gelu_forward_plain(out, inp, n);
  };
  const BlockShape s{1, 4, 8, 2};
  TensorArena params, acts;
  add_block_params(params, "", s.C);
  add_block_acts(acts, "", s);
  params.allocate();
  acts.allocate();
  Rng rng(15);
  rng.fill_normal({params.data(), params.size()}, 0.0f, 0.3f);
  const auto inp = randn(rng, size_t(s.rows()) * s.C);
  {
    KernelScope scope(counting);
    block_forward(block_acts(acts, ""), inp.data(), block_params(params, ""), s);
  }
  EXPECT_EQ(calls, 1) << "the block's one GELU went through the table";
  EXPECT_EQ(kernels().gelu_forward, fast.gelu_forward) << "the scope put the fast table back";
  EXPECT_EQ(kernel_names().size(), 13u);
  EXPECT_EQ(kernel_names().back(), "q8_matvec_forward");
  EXPECT_EQ(kernel_names().front(), "linear_forward");
}

}  // namespace
}  // namespace minillm
