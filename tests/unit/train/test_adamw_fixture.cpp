// The GPT against PyTorch: tests/fixtures/gpt/make_fixture.py runs the same tiny GPT-2 in torch and saves
// its parameters, logits, loss, every gradient and the losses of 10 AdamW steps.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "gpt/gpt.hpp"
#include "io/safetensors.hpp"
#include "train/adamw.hpp"

namespace minillm {
namespace {

const std::string kFixture = std::string(MINILLM_SOURCE_DIR) + "/tests/fixtures/gpt/gpt2_tiny.safetensors";
constexpr int V = 64, T = 8, L = 2, NH = 2, C = 16, B = 2;

struct Loaded {
  SafetensorsFile file = load_safetensors(kFixture);
  Gpt model{GptConfig{V, T, L, NH, C}};
  TokenIds inputs, targets;

  Loaded() {
    for (const auto& entry : model.params().entries()) {
      const Tensor& t = file.at("params." + entry.name);
      EXPECT_EQ(t.shape(), entry.shape) << entry.name;
      std::copy(t.values().begin(), t.values().end(), model.params()[entry.name].data);
    }
    for (float x : file.at("inputs").values()) inputs.push_back(token_id(std::lround(x)));
    for (float x : file.at("targets").values()) targets.push_back(token_id(std::lround(x)));
  }
};

TEST(AdamWFixture, TenAdamWStepsFollowPyTorchsLosses) {
  Loaded f;
  AdamW opt(f.model.params(), AdamWConfig{0.9f, 0.95f, 1e-8f, 0.1f});
  const Tensor& expected = f.file.at("adamw_losses");
  for (int step = 0; step < expected.numel(); ++step) {
    f.model.zero_grad();
    const float loss = f.model.forward(f.inputs, f.targets, B, T);
    f.model.backward();
    clip_grad_norm(f.model.grads(), 1.0f);
    opt.step(f.model.params(), f.model.grads(), 1e-2f);
    EXPECT_NEAR(loss, expected[step], 2e-4f * std::max(1.0f, expected[step]))
        << "loss before AdamW step " << step + 1 << " (lr 1e-2, weight decay 0.1 on 2D tensors, clip 1.0)";
  }
}

}  // namespace
}  // namespace minillm
