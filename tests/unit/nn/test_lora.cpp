// LoRA's layer (nn/lora.hpp): the hand-written backward against central differences of its own forward, on
// both forms of the kernel table; the fast form equal to the plain one; B = 0 adds exactly nothing; and a
// merged weight computes what the base layer plus the adapter computes.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check.hpp"
#include "core/rng.hpp"
#include "nn/kernels.hpp"
#include "nn/linear.hpp"
#include "nn/lora.hpp"

namespace minillm {
namespace {

using minillm::testing::all_close;
using minillm::testing::GradCheck;

using minillm::testing::randn;

class LoraBothForms : public ::testing::TestWithParam<KernelForm> {
 protected:
  const Kernels& k = kernels_of(GetParam());
};

INSTANTIATE_TEST_SUITE_P(Forms, LoraBothForms, ::testing::Values(KernelForm::plain, KernelForm::fast),
                         [](const auto& info) { return std::string(kernel_form_name(info.param)); });

// The adapted layer's output, base included: out = inp · Wᵀ + b + scale · (inp · Aᵀ) · Bᵀ. Its backward is
// the frozen layer's (no dweight, no dbias) plus the adapter's.
TEST_P(LoraBothForms, BackwardMatchesFiniteDifferences) {
  Rng rng(31);
  const int N = 5, C = 6, OC = 7, R = 3;
  const float scale = 2.5f;
  auto inp = randn(rng, N * C), w = randn(rng, OC * C, 0.5f), b = randn(rng, OC);
  auto A = randn(rng, R * C, 0.5f), B = randn(rng, OC * R, 0.5f);  // B not 0: every gradient is non-trivial
  std::vector<float> out(N * OC), h(N * R), dh(N * R);
  GradCheck gc{[&] {
                 k.linear_forward(out.data(), inp.data(), w.data(), b.data(), N, C, OC);
                 k.lora_forward(out.data(), h.data(), inp.data(), A.data(), B.data(), scale, N, C, OC, R);
               },
               out.data(), out.size(), randn(rng, out.size())};
  gc.forward();
  std::vector<float> dinp(inp.size()), dA(A.size()), dB(B.size());
  k.linear_backward(dinp.data(), nullptr, nullptr, gc.weights.data(), inp.data(), w.data(), N, C, OC);
  k.lora_backward(dinp.data(), dA.data(), dB.data(), dh.data(), gc.weights.data(), inp.data(), h.data(), A.data(),
                  B.data(), scale, N, C, OC, R);
  EXPECT_TRUE(gc.check("lora dinp", inp.data(), dinp.data(), inp.size()));
  EXPECT_TRUE(gc.check("lora dA", A.data(), dA.data(), A.size()));
  EXPECT_TRUE(gc.check("lora dB", B.data(), dB.data(), B.size()));
}

TEST_P(LoraBothForms, BackwardAccumulates) {
  Rng rng(32);
  const int N = 4, C = 5, OC = 3, R = 2;
  auto inp = randn(rng, N * C), A = randn(rng, R * C), B = randn(rng, OC * R), dout = randn(rng, N * OC);
  std::vector<float> out(N * OC), h(N * R), dh(N * R);
  k.lora_forward(out.data(), h.data(), inp.data(), A.data(), B.data(), 1.0f, N, C, OC, R);
  std::vector<float> once_x(inp.size()), once_a(A.size()), once_b(B.size());
  k.lora_backward(once_x.data(), once_a.data(), once_b.data(), dh.data(), dout.data(), inp.data(), h.data(), A.data(),
                  B.data(), 1.0f, N, C, OC, R);
  std::vector<float> twice_x = once_x, twice_a = once_a, twice_b = once_b;
  k.lora_backward(twice_x.data(), twice_a.data(), twice_b.data(), dh.data(), dout.data(), inp.data(), h.data(),
                  A.data(), B.data(), 1.0f, N, C, OC, R);
  for (auto& v : once_x) v *= 2;
  for (auto& v : once_a) v *= 2;
  for (auto& v : once_b) v *= 2;
  EXPECT_TRUE(all_close("dinp twice", twice_x.data(), once_x.data(), once_x.size(), 1e-6, 1e-6));
  EXPECT_TRUE(all_close("dA twice", twice_a.data(), once_a.data(), once_a.size(), 1e-6, 1e-6));
  EXPECT_TRUE(all_close("dB twice", twice_b.data(), once_b.data(), once_b.size(), 1e-6, 1e-6));
}

// B = 0 (LoRA's start): the adapter adds exactly 0, so the layer's output is the base layer's to the bit.
TEST_P(LoraBothForms, ZeroBLeavesTheBaseOutputExactly) {
  Rng rng(33);
  const int N = 6, C = 8, OC = 5, R = 4;
  auto inp = randn(rng, N * C), w = randn(rng, OC * C), b = randn(rng, OC), A = randn(rng, R * C);
  std::vector<float> B(OC * R, 0.0f), base(N * OC), adapted(N * OC), h(N * R);
  k.linear_forward(base.data(), inp.data(), w.data(), b.data(), N, C, OC);
  adapted = base;
  k.lora_forward(adapted.data(), h.data(), inp.data(), A.data(), B.data(), 4.0f, N, C, OC, R);
  EXPECT_EQ(adapted, base);
}

// A merged weight W + scale·B·A computes, in one product, the base layer plus the adapter (float rounding).
TEST_P(LoraBothForms, MergedWeightEqualsBasePlusAdapter) {
  Rng rng(34);
  const int N = 7, C = 12, OC = 9, R = 3;
  const float scale = 0.75f;
  auto inp = randn(rng, N * C), w = randn(rng, OC * C), b = randn(rng, OC), A = randn(rng, R * C), B = randn(rng, OC * R);
  std::vector<float> adapted(N * OC), merged_out(N * OC), h(N * R);
  k.linear_forward(adapted.data(), inp.data(), w.data(), b.data(), N, C, OC);
  k.lora_forward(adapted.data(), h.data(), inp.data(), A.data(), B.data(), scale, N, C, OC, R);
  std::vector<float> merged = w;
  lora_merge(merged.data(), A.data(), B.data(), scale, C, OC, R);
  k.linear_forward(merged_out.data(), inp.data(), merged.data(), b.data(), N, C, OC);
  EXPECT_TRUE(all_close("merged vs adapted", merged_out.data(), adapted.data(), adapted.size(), 1e-5, 1e-5));
}

// The fast form (gemms) against the plain one, the definition, on shapes that are no multiple of anything.
TEST(LoraKernels, FastEqualsPlain) {
  Rng rng(35);
  const int N = 37, C = 50, OC = 70, R = 5;
  auto inp = randn(rng, N * C), A = randn(rng, R * C, 0.3f), B = randn(rng, OC * R, 0.3f), dout = randn(rng, N * OC);
  auto out_p = randn(rng, N * OC);  // forward adds onto what the base layer wrote
  auto out_f = out_p;
  std::vector<float> h_p(N * R), h_f(N * R), dh(N * R);
  plain_kernels().lora_forward(out_p.data(), h_p.data(), inp.data(), A.data(), B.data(), 2.0f, N, C, OC, R);
  fast_kernels().lora_forward(out_f.data(), h_f.data(), inp.data(), A.data(), B.data(), 2.0f, N, C, OC, R);
  EXPECT_TRUE(all_close("lora out", out_f.data(), out_p.data(), out_p.size(), 1e-5, 1e-5));
  EXPECT_TRUE(all_close("lora h", h_f.data(), h_p.data(), h_p.size(), 1e-5, 1e-5));
  auto dinp_p = randn(rng, N * C), dA_p = randn(rng, R * C), dB_p = randn(rng, OC * R);
  auto dinp_f = dinp_p, dA_f = dA_p, dB_f = dB_p;
  plain_kernels().lora_backward(dinp_p.data(), dA_p.data(), dB_p.data(), dh.data(), dout.data(), inp.data(),
                                h_p.data(), A.data(), B.data(), 2.0f, N, C, OC, R);
  fast_kernels().lora_backward(dinp_f.data(), dA_f.data(), dB_f.data(), dh.data(), dout.data(), inp.data(),
                               h_p.data(), A.data(), B.data(), 2.0f, N, C, OC, R);
  EXPECT_TRUE(all_close("lora dinp", dinp_f.data(), dinp_p.data(), dinp_p.size(), 1e-5, 1e-5));
  EXPECT_TRUE(all_close("lora dA", dA_f.data(), dA_p.data(), dA_p.size(), 1e-4, 1e-5));
  EXPECT_TRUE(all_close("lora dB", dB_f.data(), dB_p.data(), dB_p.size(), 1e-4, 1e-5));
}

// A frozen weight: linear_backward with no dweight and dbias gives the same dinp as with them.
TEST_P(LoraBothForms, FrozenLinearBackwardGivesOnlyTheInputGradient) {
  Rng rng(36);
  const int N = 5, C = 70, OC = 9;
  auto inp = randn(rng, N * C), w = randn(rng, OC * C), dout = randn(rng, N * OC);
  std::vector<float> dinp_full(N * C), dinp_frozen(N * C), dw(OC * C), db(OC);
  k.linear_backward(dinp_full.data(), dw.data(), db.data(), dout.data(), inp.data(), w.data(), N, C, OC);
  k.linear_backward(dinp_frozen.data(), nullptr, nullptr, dout.data(), inp.data(), w.data(), N, C, OC);
  EXPECT_EQ(dinp_frozen, dinp_full);
  // And LayerNorm: a frozen one (no dweight, dbias) gives the same dinp.
  std::vector<float> ln_out(N * C), mean(N), rstd(N), g(C, 1.5f), bias(C, 0.1f), dx_full(N * C), dx_frozen(N * C),
      dg(C), dbias(C);
  k.layernorm_forward(ln_out.data(), mean.data(), rstd.data(), inp.data(), g.data(), bias.data(), N, C);
  auto dy = randn(rng, N * C);
  k.layernorm_backward(dx_full.data(), dg.data(), dbias.data(), dy.data(), inp.data(), g.data(), mean.data(),
                       rstd.data(), N, C);
  k.layernorm_backward(dx_frozen.data(), nullptr, nullptr, dy.data(), inp.data(), g.data(), mean.data(), rstd.data(),
                       N, C);
  EXPECT_EQ(dx_frozen, dx_full);
}

}  // namespace
}  // namespace minillm
