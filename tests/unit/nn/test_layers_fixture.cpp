// The layers against PyTorch: tests/fixtures/layers/make_fixtures.py computes every layer in float64 with
// autograd (B=2, T=5, C=8, NH=2) and stores inputs, parameters, a random upstream gradient dout, the output
// and every input/parameter gradient, rounded once to float32.
//
// Tolerances: the reference is exact to float32 rounding, so what remains is our own float32 arithmetic.
// A dot product of length K in float32 has relative error ~ K * 6e-8; with K <= 32 here that is ~2e-6 of
// the sum of |terms|, which can exceed |result| when terms cancel. So: atol 1e-5 + rtol 1e-4 for values of
// order 1, unless a test says otherwise.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check.hpp"
#include "io/safetensors.hpp"
#include "nn/attention.hpp"
#include "nn/block.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/softmax.hpp"

namespace minillm {
namespace {

using minillm::testing::all_close;

constexpr int B = 2, T = 5, C = 8, NH = 2, N = B * T;
constexpr double kAtol = 1e-5, kRtol = 1e-4;

const SafetensorsFile& fixture() {
  static const SafetensorsFile file =
      load_safetensors(std::string(MINILLM_SOURCE_DIR) + "/tests/fixtures/layers/layers.safetensors");
  return file;
}
const Tensor& torch_ref(const std::string& name) { return fixture().at(name); }

std::vector<float> zeros_like(const std::string& name) { return std::vector<float>(torch_ref(name).values().size()); }

::testing::AssertionResult matches(const std::string& name, const std::vector<float>& got, double atol = kAtol,
                                   double rtol = kRtol) {
  if (got.size() != torch_ref(name).values().size())
    return ::testing::AssertionFailure() << name << ": " << got.size() << " values, torch has "
                                         << torch_ref(name).values().size();
  return all_close(name + " vs torch", got.data(), torch_ref(name).data(), got.size(), atol, rtol);
}

TEST(LayersFixture, LinearMatchesTorch) {
  std::vector<float> out = zeros_like("linear.out");
  linear_forward(out.data(), torch_ref("linear.inp").data(), torch_ref("linear.weight").data(), torch_ref("linear.bias").data(), N, C,
                 3 * C);
  EXPECT_TRUE(matches("linear.out", out));
  std::vector<float> dinp = zeros_like("linear.inp"), dw = zeros_like("linear.weight"), db = zeros_like("linear.bias");
  linear_backward(dinp.data(), dw.data(), db.data(), torch_ref("linear.dout").data(), torch_ref("linear.inp").data(),
                  torch_ref("linear.weight").data(), N, C, 3 * C);
  EXPECT_TRUE(matches("linear.dinp", dinp));
  EXPECT_TRUE(matches("linear.dweight", dw));
  EXPECT_TRUE(matches("linear.dbias", db));
}

TEST(LayersFixture, LayerNormMatchesTorchOnRowsFarFromZero) {
  // Inputs are 50 ± 0.1: x - mean loses ~50 * 6e-8 = 3e-6 absolute, i.e. 3e-5 of the 0.1 spread, and
  // rstd ~ 10 amplifies dinp's rounding by the same factor. Hence rtol 1e-3 here (a one-pass E[x²]-E[x]²
  // variance would be off by ~100%: 2500 * 6e-8 = 1.5e-4 against a variance of 0.01).
  std::vector<float> out = zeros_like("layernorm.out"), mean(N), rstd(N);
  layernorm_forward(out.data(), mean.data(), rstd.data(), torch_ref("layernorm.inp").data(), torch_ref("layernorm.weight").data(),
                    torch_ref("layernorm.bias").data(), N, C);
  EXPECT_TRUE(matches("layernorm.out", out, 1e-4, 1e-3));
  std::vector<float> dinp = zeros_like("layernorm.inp"), dw(C), db(C);
  layernorm_backward(dinp.data(), dw.data(), db.data(), torch_ref("layernorm.dout").data(), torch_ref("layernorm.inp").data(),
                     torch_ref("layernorm.weight").data(), mean.data(), rstd.data(), N, C);
  EXPECT_TRUE(matches("layernorm.dinp", dinp, 1e-3, 1e-3)) << "dinp ~ rstd * O(1) = O(10)";
  // dweight[c] = sum over 10 rows of dout * xhat: terms of size ~1 that cancel to ~1e-3, each carrying
  // xhat's float32 error (the mean of eight values near 50 is off by ~4e-6, i.e. 4e-5 of the spread), so
  // the error is absolute, ~10 * 4e-5: atol 5e-4. A wrong formula is off by O(1).
  EXPECT_TRUE(matches("layernorm.dweight", dw, 5e-4, 1e-3));
  EXPECT_TRUE(matches("layernorm.dbias", db));
}

TEST(LayersFixture, GeluMatchesTorchTanhApproximation) {
  const int n = static_cast<int>(torch_ref("gelu.inp").numel());
  std::vector<float> out(n), dinp(n);
  gelu_forward(out.data(), torch_ref("gelu.inp").data(), n);
  EXPECT_TRUE(matches("gelu.out", out));
  gelu_backward(dinp.data(), torch_ref("gelu.inp").data(), torch_ref("gelu.dout").data(), n);
  EXPECT_TRUE(matches("gelu.dinp", dinp));
}

TEST(LayersFixture, SoftmaxMatchesTorchOnLogitsNear1000) {
  // Half the rows have logits around 1000: exp(1000) is inf in float32, so only a max-subtracted softmax
  // passes. The probabilities themselves are in [0, 1].
  const int V = static_cast<int>(torch_ref("softmax.logits").shape()[1]);
  std::vector<float> probs(static_cast<size_t>(N) * V), dlogits(probs.size());
  softmax_forward(probs.data(), torch_ref("softmax.logits").data(), N, V, V);
  EXPECT_TRUE(matches("softmax.out", probs));
  softmax_backward(dlogits.data(), probs.data(), torch_ref("softmax.dout").data(), N, V);
  EXPECT_TRUE(matches("softmax.dlogits", dlogits));
}

TEST(LayersFixture, CausalAttentionMatchesTorch) {
  std::vector<float> out = zeros_like("attention.out"), preatt = zeros_like("attention.att"),
                     att = zeros_like("attention.att");
  attention_forward(out.data(), preatt.data(), att.data(), torch_ref("attention.qkv").data(), B, T, C, NH);
  EXPECT_TRUE(matches("attention.att", att)) << "probabilities, with exact zeros above the diagonal";
  EXPECT_TRUE(matches("attention.out", out));
  std::vector<float> dqkv = zeros_like("attention.qkv"), dpreatt(att.size()), datt(att.size());
  attention_backward(dqkv.data(), dpreatt.data(), datt.data(), torch_ref("attention.dout").data(),
                     torch_ref("attention.qkv").data(), att.data(), B, T, C, NH);
  EXPECT_TRUE(matches("attention.dqkv", dqkv));
}

const char* const kBlockParams[] = {"ln_1.weight",     "ln_1.bias",         "attn.c_attn.weight", "attn.c_attn.bias",
                                    "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight",      "ln_2.bias",
                                    "mlp.c_fc.weight", "mlp.c_fc.bias",      "mlp.c_proj.weight",  "mlp.c_proj.bias"};

TEST(LayersFixture, TransformerBlockMatchesTorch) {
  // The whole block chains 9 layers; errors add up through them, so atol/rtol are 10x the single layer's.
  const BlockShape shape{B, T, C, NH};
  TensorArena params, grads, acts, dacts;
  add_block_params(params, "", C);
  add_block_params(grads, "", C);
  add_block_acts(acts, "", shape);
  add_block_acts(dacts, "", shape);
  for (TensorArena* arena : {&params, &grads, &acts, &dacts}) arena->allocate();
  for (const char* name : kBlockParams) {
    const Tensor& t = torch_ref(std::string("block.") + name);
    ASSERT_EQ(t.shape(), params[name].shape) << name;
    std::copy(t.values().begin(), t.values().end(), params[name].data);
  }
  const BlockActs a = block_acts(acts, "");
  block_forward(a, torch_ref("block.inp").data(), block_params(params, ""), shape);
  EXPECT_TRUE(matches("block.out", std::vector<float>(a.out, a.out + N * C), 1e-4, 1e-3));

  std::vector<float> dinp(static_cast<size_t>(N) * C);
  block_backward(dinp.data(), block_params(grads, ""), block_acts(dacts, ""), torch_ref("block.dout").data(),
                 torch_ref("block.inp").data(), block_params(params, ""), a, shape);
  EXPECT_TRUE(matches("block.dinp", dinp, 1e-4, 1e-3));
  for (const char* name : kBlockParams) {
    const TensorView g = grads[name];
    EXPECT_TRUE(matches(std::string("block.d") + name, std::vector<float>(g.data, g.data + g.numel()), 1e-4, 1e-3));
  }
}

}  // namespace
}  // namespace minillm
