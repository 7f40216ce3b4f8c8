// Every layer's backward pass against central finite differences of its own forward pass (float32; the
// tolerance is derived in check.hpp), plus the properties the layers promise: backward accumulates, the
// causal mask hides the future, and bad shapes are clear errors.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "nn/block.hpp"
#include "nn/gelu.hpp"
#include "nn/kernels.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/residual.hpp"
#include "nn/softmax.hpp"

namespace minillm {
namespace {

using minillm::testing::GradCheck;

// The layers' checks run on both forms of the kernel table (nn/kernels.hpp): the plain form, the
// definition, and the fast form the model trains with.
class GradCheckBothForms : public ::testing::TestWithParam<KernelForm> {
 protected:
  const Kernels& k = kernels_of(GetParam());
  KernelScope scope{k};  // the block test runs the table's kernels too
};

INSTANTIATE_TEST_SUITE_P(Forms, GradCheckBothForms, ::testing::Values(KernelForm::plain, KernelForm::fast),
                         [](const auto& info) { return std::string(kernel_form_name(info.param)); });

using minillm::testing::randn;

TEST_P(GradCheckBothForms, Linear) {
  Rng rng(1);
  const int N = 6, C = 5, OC = 7;
  auto inp = randn(rng, N * C), w = randn(rng, OC * C, 0.5f), b = randn(rng, OC);
  std::vector<float> out(N * OC);
  GradCheck gc{[&] { k.linear_forward(out.data(), inp.data(), w.data(), b.data(), N, C, OC); }, out.data(), out.size(),
               randn(rng, out.size())};
  std::vector<float> dinp(inp.size()), dw(w.size()), db(b.size());
  gc.forward();
  k.linear_backward(dinp.data(), dw.data(), db.data(), gc.weights.data(), inp.data(), w.data(), N, C, OC);
  EXPECT_TRUE(gc.check("linear dinp", inp.data(), dinp.data(), inp.size()));
  EXPECT_TRUE(gc.check("linear dweight", w.data(), dw.data(), w.size()));
  EXPECT_TRUE(gc.check("linear dbias", b.data(), db.data(), b.size()));
}

TEST_P(GradCheckBothForms, LayerNorm) {
  Rng rng(2);
  const int N = 4, C = 6;
  auto inp = randn(rng, N * C), w = randn(rng, C), b = randn(rng, C);
  std::vector<float> out(N * C), mean(N), rstd(N);
  GradCheck gc{[&] { k.layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), w.data(), b.data(), N, C); },
               out.data(), out.size(), randn(rng, out.size())};
  std::vector<float> dinp(inp.size()), dw(C), db(C);
  gc.forward();
  k.layernorm_backward(dinp.data(), dw.data(), db.data(), gc.weights.data(), inp.data(), w.data(), mean.data(),
                     rstd.data(), N, C);
  EXPECT_TRUE(gc.check("layernorm dinp", inp.data(), dinp.data(), inp.size()));
  EXPECT_TRUE(gc.check("layernorm dweight", w.data(), dw.data(), w.size()));
  EXPECT_TRUE(gc.check("layernorm dbias", b.data(), db.data(), b.size()));
}

TEST_P(GradCheckBothForms, Gelu) {
  Rng rng(3);
  auto inp = randn(rng, 40, 2.0f);
  std::vector<float> out(inp.size()), dinp(inp.size());
  const int n = static_cast<int>(inp.size());
  GradCheck gc{[&] { k.gelu_forward(out.data(), inp.data(), n); }, out.data(), out.size(), randn(rng, out.size())};
  gc.forward();
  k.gelu_backward(dinp.data(), inp.data(), gc.weights.data(), n);
  EXPECT_TRUE(gc.check("gelu dinp", inp.data(), dinp.data(), inp.size()));
}

TEST(GradCheck, Softmax) {
  Rng rng(4);
  const int N = 3, V = 7;
  auto logits = randn(rng, N * V, 2.0f);
  std::vector<float> probs(N * V), dlogits(N * V);
  GradCheck gc{[&] { softmax_forward(probs.data(), logits.data(), N, V, V); }, probs.data(), probs.size(),
               randn(rng, probs.size())};
  gc.forward();
  softmax_backward(dlogits.data(), probs.data(), gc.weights.data(), N, V);
  EXPECT_TRUE(gc.check("softmax dlogits", logits.data(), dlogits.data(), logits.size()));
}

TEST_P(GradCheckBothForms, CrossEntropy) {
  Rng rng(8);
  const int N = 3, V = 9;
  auto logits = randn(rng, N * V, 2.0f);
  const TokenIds targets{token_id(0), token_id(4), token_id(8)};
  std::vector<float> losses(N), probs(N * V), dlogits(N * V);
  GradCheck gc{[&] { k.cross_entropy_forward(losses.data(), probs.data(), logits.data(), targets, N, V); },
               losses.data(), losses.size(), randn(rng, losses.size())};
  gc.forward();
  k.cross_entropy_backward(dlogits.data(), gc.weights.data(), probs.data(), targets, N, V);
  EXPECT_TRUE(gc.check("cross-entropy dlogits", logits.data(), dlogits.data(), logits.size()));
}

TEST(GradCheck, Residual) {
  Rng rng(5);
  auto a = randn(rng, 10), b = randn(rng, 10);
  std::vector<float> out(10), da(10), db(10);
  GradCheck gc{[&] { residual_forward(out.data(), a.data(), b.data(), 10); }, out.data(), out.size(),
               randn(rng, out.size())};
  gc.forward();
  residual_backward(da.data(), db.data(), gc.weights.data(), 10);
  EXPECT_TRUE(gc.check("residual da", a.data(), da.data(), a.size()));
  EXPECT_TRUE(gc.check("residual db", b.data(), db.data(), b.size()));
}

TEST_P(GradCheckBothForms, CausalAttention) {
  Rng rng(6);
  const int B = 2, T = 4, C = 6, NH = 3;
  auto qkv = randn(rng, B * T * 3 * C);
  std::vector<float> out(B * T * C), preatt(B * NH * T * T), att(preatt.size());
  GradCheck gc{[&] { k.attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH); },
               out.data(), out.size(), randn(rng, out.size())};
  gc.forward();
  std::vector<float> dqkv(qkv.size()), dpreatt(att.size()), datt(att.size());
  k.attention_backward(dqkv.data(), dpreatt.data(), datt.data(), gc.weights.data(), qkv.data(), att.data(), B, T, C,
                     NH);
  EXPECT_TRUE(gc.check("attention dqkv", qkv.data(), dqkv.data(), qkv.size()));
}

TEST_P(GradCheckBothForms, TransformerBlock) {
  Rng rng(7);
  const BlockShape s{2, 3, 8, 2};
  const int NC = s.rows() * s.C;
  TensorArena params, grads, acts, dacts;
  add_block_params(params, "h.0.", s.C);
  add_block_params(grads, "h.0.", s.C);
  add_block_acts(acts, "h.0.", s);
  add_block_acts(dacts, "h.0.", s);
  for (TensorArena* arena : {&params, &grads, &acts, &dacts}) arena->allocate();
  rng.fill_normal({params.data(), params.size()}, 0.0f, 0.3f);
  auto inp = randn(rng, NC);
  const BlockParams p = block_params(params, "h.0."), g = block_params(grads, "h.0.");
  const BlockActs a = block_acts(acts, "h.0.");
  GradCheck gc{[&] { block_forward(a, inp.data(), p, s); }, a.out, static_cast<size_t>(NC), randn(rng, NC)};
  gc.forward();
  std::vector<float> dinp(NC);
  block_backward(dinp.data(), g, block_acts(dacts, "h.0."), gc.weights.data(), inp.data(), p, a, s);
  EXPECT_TRUE(gc.check("block dinp", inp.data(), dinp.data(), inp.size()));
  for (const auto& entry : params.entries())
    EXPECT_TRUE(gc.check("block d" + entry.name, params[entry.name].data, grads[entry.name].data,
                         static_cast<size_t>(entry.shape.numel())));
}

TEST(Accumulate, BackwardAddsToExistingGradients) {
  // Run every backward twice into the same buffers: the result must be exactly twice one run (x + x is
  // exact in floating point), which fails if any backward overwrites instead of adding.
  Rng rng(8);
  const int B = 1, T = 3, C = 4, NH = 2, N = B * T;
  auto inp = randn(rng, N * C), w = randn(rng, C * C), dout = randn(rng, N * C), qkv = randn(rng, N * 3 * C);
  std::vector<float> out(N * C), mean(N), rstd(N), preatt(NH * T * T), att(NH * T * T);
  auto twice = [](auto&& backward, std::vector<float>& grad) {
    std::fill(grad.begin(), grad.end(), 0.0f);
    backward();
    const std::vector<float> once = grad;
    backward();
    for (size_t i = 0; i < grad.size(); ++i)
      if (grad[i] != 2 * once[i]) return false;
    return true;
  };
  std::vector<float> g(N * C), gw(C * C), gb(C), g3(N * 3 * C), s1(NH * T * T), s2(NH * T * T), gb2(C);
  EXPECT_TRUE(twice([&] { linear_backward(g.data(), gw.data(), gb.data(), dout.data(), inp.data(), w.data(), N, C, C); }, g))
      << "linear_backward must add into dinp";
  EXPECT_TRUE(twice([&] { linear_backward(g.data(), gw.data(), gb.data(), dout.data(), inp.data(), w.data(), N, C, C); }, gw))
      << "linear_backward must add into dweight";
  layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), w.data(), w.data(), N, C);
  EXPECT_TRUE(twice([&] { layernorm_backward(g.data(), gb.data(), gb2.data(), dout.data(), inp.data(), w.data(), mean.data(), rstd.data(), N, C); }, g))
      << "layernorm_backward must add into dinp";
  EXPECT_TRUE(twice([&] { gelu_backward(g.data(), inp.data(), dout.data(), N * C); }, g)) << "gelu_backward must add";
  EXPECT_TRUE(twice([&] { softmax_backward(g.data(), inp.data(), dout.data(), N, C); }, g)) << "softmax_backward must add";
  EXPECT_TRUE(twice([&] { residual_backward(g.data(), gb.data(), dout.data(), C); }, g)) << "residual_backward must add";
  attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  EXPECT_TRUE(twice([&] { attention_backward(g3.data(), s1.data(), s2.data(), dout.data(), qkv.data(), att.data(), B, T, C, NH); }, g3))
      << "attention_backward must add into dqkv";
}

TEST(CausalMask, ChangingAFutureTokenChangesNothingBefore) {
  // Position t's output may depend on positions 0..t only. Perturb the last position's key and value:
  // every earlier output must stay bit-identical, and the last one must change.
  Rng rng(9);
  const int B = 1, T = 5, C = 4, NH = 2;
  auto qkv = randn(rng, B * T * 3 * C);
  std::vector<float> out(T * C), out2(T * C), preatt(NH * T * T), att(NH * T * T);
  attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  for (int c = C; c < 3 * C; ++c) qkv[(T - 1) * 3 * C + c] += 1.0f;
  attention_forward(out2.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  for (int i = 0; i < (T - 1) * C; ++i) EXPECT_EQ(out[i], out2[i]) << "output " << i << " saw the future";
  EXPECT_NE(out[(T - 1) * C], out2[(T - 1) * C]) << "the last position must see its own key and value";
  for (int h = 0; h < NH; ++h)
    for (int t = 0; t < T; ++t) {
      float sum = 0;
      for (int s = 0; s < T; ++s) sum += att[(h * T + t) * T + s];
      EXPECT_NEAR(sum, 1.0f, 1e-6f) << "row " << t << " of head " << h << " must be a probability distribution";
      for (int s = t + 1; s < T; ++s) EXPECT_EQ(att[(h * T + t) * T + s], 0.0f) << "query " << t << " key " << s;
    }
}

TEST(BadInput, ClearErrors) {
  std::vector<float> buf(1000);
  EXPECT_THROW(attention_forward(buf.data(), buf.data(), buf.data(), buf.data(), 1, 2, 6, 4), Error)
      << "C = 6 is not divisible into 4 heads";
  EXPECT_THROW(softmax_forward(buf.data(), buf.data(), 1, 4, 5), Error) << "valid columns cannot exceed V";
  const BlockShape bad{1, 2, 8, 3};
  TensorArena arena;
  EXPECT_THROW(add_block_acts(arena, "", bad), Error) << "8 channels cannot split into 3 heads";
  try {
    attention_forward(buf.data(), buf.data(), buf.data(), buf.data(), 1, 2, 6, 4);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not divisible"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace minillm
