// The whole GPT's backward against central differences of its loss: every parameter tensor, a few entries
// each. (The PyTorch fixture checks every gradient against torch; this checks them against the forward pass
// itself, so a backward that matched a wrong reference would still be caught.)
#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "gpt/gpt.hpp"

namespace minillm {
namespace {

TEST(GptGradCheck, EveryParameterTensorMatchesFiniteDifferences) {
  const int V = 11, T = 4, B = 2;
  Gpt model(GptConfig{V, T, 2, 2, 8});
  Rng rng(21);
  // Larger weights than GPT-2's init (std 0.02), so the gradients are large next to float32's rounding
  // in the difference quotient (about 6e-8 * |loss| / h = 2e-5 here).
  for (const auto& entry : model.params().entries()) {
    const TensorView view = model.params()[entry.name];
    for (float& x : view.span()) x = static_cast<float>(rng.normal() * 0.3);
  }
  TokenIds inputs, targets;
  for (int i = 0; i < B * T; ++i) inputs.push_back(token_id((i * 5 + 1) % V)), targets.push_back(token_id((i * 3 + 2) % V));

  model.zero_grad();
  model.forward(inputs, targets, B, T);
  model.backward();
  const float h = 1e-2f;
  int checked = 0, sizeable = 0;
  for (const auto& entry : model.params().entries()) {
    float* x = model.params()[entry.name].data;
    const float* analytic = model.grads()[entry.name].data;
    const int64_t n = entry.shape.numel();
    for (int64_t i : {int64_t{0}, n / 3, n / 2, n - 1}) {  // a few entries spread over the tensor
      const float saved = x[i];
      x[i] = saved + h;
      const double plus = model.forward(inputs, targets, B, T);
      x[i] = saved - h;
      const double minus = model.forward(inputs, targets, B, T);
      x[i] = saved;
      const double numeric = (plus - minus) / (2.0 * h);
      EXPECT_NEAR(analytic[i], numeric, 2e-4 + 2e-2 * std::abs(numeric)) << entry.name << "[" << i << "]";
      ++checked;
      sizeable += std::abs(numeric) > 2e-3;
    }
  }
  // The check means something only if the gradients are well above its absolute tolerance (2e-4).
  EXPECT_GT(sizeable, checked / 2) << sizeable << " of " << checked << " sampled gradients exceed 2e-3";
}

}  // namespace
}  // namespace minillm
