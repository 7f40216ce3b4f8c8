// The whole GPT's backward against central differences of its loss: every parameter tensor, a few entries
// each. (The PyTorch fixture checks every gradient against torch; this checks them against the forward pass
// itself, so a backward that matched a wrong reference would still be caught.)
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

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

// The gradients-ready hook: called for blocks L-1 .. 0 and then for the rest, each time with that part's
// gradients already final (what it sees then equals what backward() ends with).
TEST(GptBackward, TheGradientsReadyHookSeesEachPartsFinalGradients) {
  const int V = 11, T = 4, B = 2, L = 3;
  Gpt model(GptConfig{V, T, L, 2, 8});
  Rng rng(22);
  model.init_weights(rng);
  TokenIds inputs, targets;
  for (int i = 0; i < B * T; ++i) inputs.push_back(token_id((i * 5 + 1) % V)), targets.push_back(token_id((i * 3 + 2) % V));
  std::vector<int> calls;
  std::vector<std::vector<float>> seen;  // the part's gradients when the hook was called
  const auto part_of = [&](int layer) {
    std::vector<float> values;
    for (const auto& e : model.grads().entries()) {
      const bool in_block = e.name.starts_with("h.");
      const bool wanted = layer == Gpt::kEmbeddingsAndFinalNorm ? !in_block : e.name.starts_with(layer_prefix(layer));
      if (wanted) values.insert(values.end(), model.grads().data() + e.offset,
                                model.grads().data() + e.offset + e.shape.numel());
    }
    return values;
  };
  model.on_gradients_ready([&](int layer) {
    calls.push_back(layer);
    seen.push_back(part_of(layer));
  });
  model.zero_grad();
  model.forward(inputs, targets, B, T);
  model.backward();
  EXPECT_EQ(calls, (std::vector<int>{2, 1, 0, Gpt::kEmbeddingsAndFinalNorm}));
  for (size_t c = 0; c < calls.size(); ++c) {
    const std::vector<float> final_values = part_of(calls[c]);
    ASSERT_FALSE(final_values.empty());
    EXPECT_EQ(seen[c], final_values) << "part " << calls[c] << " changed after its hook was called";
  }
}

}  // namespace
}  // namespace minillm
