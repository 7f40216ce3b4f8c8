// The GPT against PyTorch: tests/fixtures/gpt/make_fixture.py runs the same tiny GPT-2 in torch and saves
// its parameters, logits, loss, every gradient and the losses of 10 AdamW steps.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "gpt/gpt.hpp"
#include "tiny_gpt_fixture.hpp"

namespace minillm {
namespace {

using namespace tiny_gpt;

TEST(GptFixture, LogitsAndLossMatchPyTorch) {
  Loaded f;
  const float loss = f.model.forward(f.inputs, f.targets, B, T);
  EXPECT_NEAR(loss, f.file.at("loss")[0], 1e-5) << "the mean cross-entropy of the tiny GPT-2 differs from torch's";
  const Tensor& logits = f.file.at("logits");
  float worst = 0;
  for (int64_t i = 0; i < logits.numel(); ++i) worst = std::max(worst, std::abs(f.model.logits()[i] - logits[i]));
  EXPECT_LT(worst, 1e-4f) << "largest |logit - torch logit| over all " << logits.numel() << " logits";
}

TEST(GptFixture, EveryParameterGradientMatchesPyTorch) {
  Loaded f;
  f.model.zero_grad();
  f.model.forward(f.inputs, f.targets, B, T);
  f.model.backward();
  for (const auto& entry : f.model.grads().entries()) {
    const Tensor& expected = f.file.at("grad." + entry.name);
    const float* got = f.model.grads()[entry.name].data;
    float max_abs = 0, worst = 0;
    for (int64_t i = 0; i < expected.numel(); ++i) {
      max_abs = std::max(max_abs, std::abs(expected[i]));
      worst = std::max(worst, std::abs(got[i] - expected[i]));
    }
    // Tolerance relative to the tensor's largest gradient: float32 sums in a different order differ there.
    EXPECT_LE(worst, 1e-4f * std::max(max_abs, 1e-2f) + 1e-7f)
        << "gradient of " << entry.name << " (largest |grad| " << max_abs << ")";
  }
}

}  // namespace
}  // namespace minillm
