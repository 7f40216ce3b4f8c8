// Fused softmax + cross-entropy: values from the definition, gradient by finite differences.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/cross_entropy.hpp"

namespace minillm {
namespace {

TEST(CrossEntropy, UniformLogitsCostLogV) {
  const int N = 2, V = 5;
  std::vector<float> logits(N * V, 3.0f), probs(N * V), losses(N);
  const TokenIds targets = {token_id(0), token_id(4)};
  cross_entropy_forward(losses.data(), probs.data(), logits.data(), targets, N, V);
  for (int n = 0; n < N; ++n) EXPECT_NEAR(losses[n], std::log(5.0f), 1e-6) << "equal logits: loss is log(V)";
  for (float p : probs) EXPECT_NEAR(p, 0.2f, 1e-7) << "equal logits: every probability is 1/V";
}

TEST(CrossEntropy, HugeLogitsDoNotOverflow) {
  const int V = 3;
  std::vector<float> logits = {1000.0f, 0.0f, -1000.0f}, probs(V), losses(1);
  cross_entropy_forward(losses.data(), probs.data(), logits.data(), TokenIds{token_id(1)}, 1, V);
  EXPECT_NEAR(losses[0], 1000.0f, 1e-3) << "-log softmax = 1000 - 0 when the first logit dominates";
  // exp(-2000) is clamped to exp(-80) (nn/vector_exp.hpp): tiny, finite, never a NaN or a denormal.
  EXPECT_TRUE(std::isfinite(probs[2]) && probs[2] >= 0.0f && probs[2] < 1e-30f) << probs[2];
  EXPECT_NEAR(probs[0], 1.0f, 1e-6f) << "the dominant logit takes all the probability";
}

TEST(CrossEntropy, GradientMatchesFiniteDifferences) {
  const int N = 3, V = 7;
  Rng rng(7);
  std::vector<float> logits(N * V), probs(N * V), losses(N), dlosses = {0.5f, -1.0f, 2.0f};
  rng.fill_normal(logits, 0.0f, 2.0f);
  const TokenIds targets = {token_id(1), token_id(6), token_id(0)};
  cross_entropy_forward(losses.data(), probs.data(), logits.data(), targets, N, V);
  std::vector<float> dlogits(N * V, 0.25f);  // backward accumulates: start from a non-zero gradient
  cross_entropy_backward(dlogits.data(), dlosses.data(), probs.data(), targets, N, V);
  auto weighted_loss = [&](std::vector<float>& l) {
    std::vector<float> p(N * V), out(N);
    cross_entropy_forward(out.data(), p.data(), l.data(), targets, N, V);
    double s = 0;
    for (int n = 0; n < N; ++n) s += double(dlosses[n]) * out[n];
    return s;
  };
  const float h = 1e-2f;
  for (int i = 0; i < N * V; ++i) {
    std::vector<float> plus = logits, minus = logits;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (weighted_loss(plus) - weighted_loss(minus)) / (2.0 * h);
    EXPECT_NEAR(dlogits[i] - 0.25f, numeric, 2e-3) << "d loss / d logit " << i;
  }
}

TEST(CrossEntropy, TargetOutsideVocabularyIsAnError) {
  std::vector<float> logits(4), probs(4), losses(1);
  EXPECT_THROW(cross_entropy_forward(losses.data(), probs.data(), logits.data(), TokenIds{token_id(4)}, 1, 4),
               Error);
}

}  // namespace
}  // namespace minillm
