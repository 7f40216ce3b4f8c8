// AdamW against PyTorch: 10 steps of AdamW (with gradient clipping) on the tiny GPT-2 of
// tests/fixtures/gpt/make_fixture.py must give the losses torch.optim.AdamW gave.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "gpt/gpt.hpp"
#include "train/adamw.hpp"
#include "../gpt/tiny_gpt_fixture.hpp"

namespace minillm {
namespace {

using namespace tiny_gpt;

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
