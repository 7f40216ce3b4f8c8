#include <cmath>
#include <string>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "core/tensor.hpp"
#include "tasks.hpp"
#include "train/adamw.hpp"

namespace {

// One row's loss through cross_entropy_forward (probs written too, and checked to be a distribution).
float row_loss(const std::vector<float>& logits, int target) {
  const int V = static_cast<int>(logits.size());
  const std::vector<minillm::TokenId> targets = {minillm::token_id(target)};
  std::vector<float> probs(V, -1.0f);
  float loss = -1.0f;
  ch06::cross_entropy_forward(&loss, probs.data(), logits.data(), targets, 1, V);
  return loss;
}

TEST(CrossEntropyForward, UniformRowCostsLogV) {
  EXPECT_NEAR(row_loss({2, 2, 2, 2}, 1), std::log(4.0f), 1e-6)
      << "four equal logits: the target has probability 1/4, so the loss is log 4";
}

TEST(CrossEntropyForward, HandWorkedValueAndHugeLogits) {
  // softmax([0, ln 3]) = [1/4, 3/4]: the loss of target 0 is log 4.
  EXPECT_NEAR(row_loss({0.0f, std::log(3.0f)}, 0), std::log(4.0f), 1e-6);
  EXPECT_NEAR(row_loss({1000.0f, 0.0f}, 1), 1000.0f, 1e-3)
      << "logit 1000 must not overflow: subtract the maximum before exp";
}

TEST(CrossEntropyForward, EveryRowWithItsOwnTargetAndItsProbabilities) {
  // Row 0: [0, ln 3] target 1 -> loss log(4/3), probs (1/4, 3/4); row 1: [5, 5] target 0 -> log 2, (1/2, 1/2).
  const std::vector<float> logits = {0.0f, std::log(3.0f), 5.0f, 5.0f};
  const std::vector<minillm::TokenId> targets = {minillm::token_id(1), minillm::token_id(0)};
  std::vector<float> losses(3, -7.0f), probs(5, -7.0f);
  ch06::cross_entropy_forward(losses.data(), probs.data(), logits.data(), targets, 2, 2);
  EXPECT_NEAR(losses[0], std::log(4.0f / 3.0f), 1e-6) << "row 0's target is 1, probability 3/4";
  EXPECT_NEAR(losses[1], std::log(2.0f), 1e-6) << "row 1: two equal logits";
  const float want[4] = {0.25f, 0.75f, 0.5f, 0.5f};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(probs[i], want[i], 1e-6) << "probs[" << i << "]: the rows' softmax";
  EXPECT_EQ(losses[2], -7.0f) << "losses is [N]: nothing may be written past it";
  EXPECT_EQ(probs[4], -7.0f) << "probs is [N, V]: nothing may be written past it";
}

TEST(CrossEntropyBackward, IsSoftmaxMinusOneHotTimesDloss) {
  // probs (1/4, 3/4), target 0, dloss 2: dlogits += 2 * (1/4 - 1, 3/4), on top of what was there (1, 1).
  const std::vector<float> probs = {0.25f, 0.75f};
  const std::vector<minillm::TokenId> targets = {minillm::token_id(0)};
  const float dloss = 2.0f;
  std::vector<float> d = {1.0f, 1.0f};
  ch06::cross_entropy_backward(d.data(), &dloss, probs.data(), targets, 1, 2);
  EXPECT_NEAR(d[0], 1.0f + 2.0f * (0.25f - 1.0f), 1e-6) << "probability 1/4 minus 1 at the target, times dloss, added";
  EXPECT_NEAR(d[1], 1.0f + 2.0f * 0.75f, 1e-6) << "probability 3/4 elsewhere, times dloss, added";
}

TEST(CrossEntropyBackward, MatchesFiniteDifferences) {
  const std::vector<float> logits = {0.3f, -1.2f, 2.0f, 0.7f, 1.5f, -0.4f, 0.0f, 0.9f};
  const std::vector<minillm::TokenId> targets = {minillm::token_id(2), minillm::token_id(0)};
  const std::vector<float> dlosses = {1.0f, 0.5f};  // the loss is losses[0] + 0.5 * losses[1]
  auto loss = [&](const std::vector<float>& x) {
    std::vector<float> losses(2), probs(8);
    ch06::cross_entropy_forward(losses.data(), probs.data(), x.data(), targets, 2, 4);
    return losses[0] + 0.5f * losses[1];
  };
  std::vector<float> losses(2), probs(8), d(8, 0.0f);
  ch06::cross_entropy_forward(losses.data(), probs.data(), logits.data(), targets, 2, 4);
  ch06::cross_entropy_backward(d.data(), dlosses.data(), probs.data(), targets, 2, 4);
  for (size_t i = 0; i < logits.size(); ++i) {
    auto plus = logits, minus = logits;
    plus[i] += 1e-2f;
    minus[i] -= 1e-2f;
    EXPECT_NEAR(d[i], (loss(plus) - loss(minus)) / 2e-2f, 1e-3) << "d loss / d logit " << i % 4 << " of row " << i / 4;
  }
}

// ---- sgd_momentum_step ----

TEST(SgdMomentumStep, ThreeStepsByHand) {
  // torch.optim.SGD([p], lr=0.1, momentum=0.9) from p = 1 with gradients 0.5, 0.5, -1:
  // v = 0.5, p = 0.95; v = 0.9 * 0.5 + 0.5 = 0.95, p = 0.855; v = 0.9 * 0.95 - 1 = -0.145, p = 0.8695.
  std::vector<float> p = {1.0f}, v = {0.0f};
  ch06::sgd_momentum_step(p, {0.5f}, v, 0.1f, 0.9f);
  EXPECT_NEAR(v[0], 0.5f, 1e-6f) << "step 1: the velocity is the gradient (it started at 0)";
  EXPECT_NEAR(p[0], 0.95f, 1e-6f) << "step 1: p - lr * v";
  ch06::sgd_momentum_step(p, {0.5f}, v, 0.1f, 0.9f);
  EXPECT_NEAR(v[0], 0.95f, 1e-6f) << "step 2: 0.9 * 0.5 + 0.5: the same gradient again builds speed";
  EXPECT_NEAR(p[0], 0.855f, 1e-6f) << "step 2: 0.95 - 0.1 * 0.95";
  ch06::sgd_momentum_step(p, {-1.0f}, v, 0.1f, 0.9f);
  EXPECT_NEAR(v[0], -0.145f, 1e-6f) << "step 3: 0.9 * 0.95 - 1: a reversed gradient first has to stop the motion";
  EXPECT_NEAR(p[0], 0.8695f, 1e-6f) << "step 3: 0.855 + 0.1 * 0.145";
}

TEST(SgdMomentumStep, MomentumZeroIsPlainGradientDescent) {
  std::vector<float> p = {1.0f, -2.0f}, v = {0.0f, 0.0f};
  ch06::sgd_momentum_step(p, {0.5f, -3.0f}, v, 0.1f, 0.0f);
  ch06::sgd_momentum_step(p, {0.5f, -3.0f}, v, 0.1f, 0.0f);
  EXPECT_NEAR(p[0], 0.9f, 1e-6f) << "two plain steps of 0.1 * 0.5";
  EXPECT_NEAR(p[1], -1.4f, 1e-6f) << "two plain steps of 0.1 * -3";
}

TEST(AdamWStep, FirstStepMovesEachWeightByAboutLr) {
  // On step 1 the bias-corrected m/sqrt(v) is sign(g): every weight moves by lr (no decay here).
  std::vector<float> p = {1.0f, -2.0f}, m(2, 0.0f), v(2, 0.0f);
  ch06::adamw_step(p, {0.5f, -3.0f}, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.0f);
  EXPECT_NEAR(p[0], 0.9f, 1e-5);
  EXPECT_NEAR(p[1], -1.9f, 1e-5);
  EXPECT_NEAR(m[0], 0.05f, 1e-7) << "m = (1 - beta1) g after one step";
  EXPECT_NEAR(v[1], 0.45f, 1e-6) << "v = (1 - beta2) g^2 after one step";
}

TEST(AdamWStep, WeightDecayIsDecoupled) {
  // Zero gradient: only the decay acts, p *= 1 - lr * wd (it is NOT added to the gradient).
  std::vector<float> p = {2.0f}, m = {0.0f}, v = {0.0f};
  ch06::adamw_step(p, {0.0f}, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(p[0], 2.0f * (1.0f - 0.05f), 1e-6);
}

TEST(AdamWStep, TwoStepsMatchTorchOptimAdamW) {
  // torch.optim.AdamW([p], lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.5) from p = [1, -2], with
  // gradients [0.5, -3] then [-0.2, 1], gives these numbers (printed by torch 1.13). Adding the decay to the
  // gradient (Adam's L2) would give p = [0.8160, -1.8331]; forgetting m or v between steps also misses.
  std::vector<float> p = {1.0f, -2.0f}, m(2, 0.0f), v(2, 0.0f);
  ch06::adamw_step(p, {0.5f, -3.0f}, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(p[0], 0.849999964f, 1e-5) << "after step 1";
  EXPECT_NEAR(p[1], -1.79999995f, 1e-5) << "after step 1";
  ch06::adamw_step(p, {-0.2f, 1.0f}, m, v, 2, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(p[0], 0.772620261f, 1e-5) << "after step 2 (bias correction with t = 2)";
  EXPECT_NEAR(p[1], -1.66956925f, 1e-5) << "after step 2";
  EXPECT_NEAR(m[0], 0.0249999966f, 1e-6) << "m = 0.9 m + 0.1 g, carried over from step 1";
  EXPECT_NEAR(m[1], -0.170000017f, 1e-6);
  EXPECT_NEAR(v[0], 0.0138750002f, 1e-6) << "v = 0.95 v + 0.05 g^2, carried over from step 1";
  EXPECT_NEAR(v[1], 0.477500021f, 1e-6);
}

// ---- adam_l2_step ----

TEST(AdamL2Step, WithNoGradientTheDecayIsNormalisedToAFullStep) {
  // g = 0, p = 1, weight_decay 0.5: Adam sees the gradient 0.5 * p = 0.5, and its first bias-corrected step
  // is lr * sign: p = 1 - 0.1 = 0.9. (AdamW would shrink p by lr * wd * p = 0.05 to 0.95.)
  std::vector<float> p = {1.0f}, m = {0.0f}, v = {0.0f};
  ch06::adam_l2_step(p, {0.0f}, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(p[0], 0.9f, 1e-5) << "the decay became the gradient, and Adam's first step is lr in size";
  EXPECT_NEAR(m[0], 0.05f, 1e-7) << "m = (1 - beta1) * (g + wd * p) = 0.1 * 0.5";
  EXPECT_NEAR(v[0], 0.0125f, 1e-7) << "v = (1 - beta2) * (g + wd * p)^2 = 0.05 * 0.25";
}

TEST(AdamL2Step, TwoStepsMatchTorchOptimAdam) {
  // torch.optim.Adam([p], lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.5) from p = [1, -2], with
  // gradients [0.5, -3] then [-0.2, 1] (the same run as AdamWStep.TwoStepsMatchTorchOptimAdamW), worked out
  // in float64 from torch's documented algorithm: the gradient becomes g + 0.5 p before m and v see it.
  std::vector<float> p = {1.0f, -2.0f}, m(2, 0.0f), v(2, 0.0f);
  ch06::adam_l2_step(p, {0.5f, -3.0f}, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(m[0], 0.1f, 1e-6) << "step 1: m = 0.1 * (0.5 + 0.5 * 1)";
  EXPECT_NEAR(m[1], -0.4f, 1e-6) << "step 1: m = 0.1 * (-3 + 0.5 * -2)";
  EXPECT_NEAR(v[1], 0.8f, 1e-6) << "step 1: v = 0.05 * (-4)^2";
  EXPECT_NEAR(p[0], 0.9f, 1e-5) << "after step 1";
  EXPECT_NEAR(p[1], -1.9f, 1e-5) << "after step 1";
  ch06::adam_l2_step(p, {-0.2f, 1.0f}, m, v, 2, 0.1f, 0.9f, 0.95f, 1e-8f, 0.5f);
  EXPECT_NEAR(m[0], 0.115f, 1e-6) << "step 2: m = 0.9 * 0.1 + 0.1 * (-0.2 + 0.5 * 0.9)";
  EXPECT_NEAR(v[0], 0.050625f, 1e-6) << "step 2: v = 0.95 * 0.05 + 0.05 * 0.25^2";
  EXPECT_NEAR(p[0], 0.816002953f, 1e-5) << "after step 2 (AdamW gives 0.7726 here)";
  EXPECT_NEAR(p[1], -1.83308329f, 1e-5) << "after step 2 (AdamW gives -1.6696 here)";
}

TEST(LrAt, WarmupCosineAndFloor) {
  EXPECT_NEAR(ch06::lr_at(0, 1.0f, 0.1f, 10, 110), 0.1f, 1e-7) << "step 0 of 10 warmup steps: max/10";
  EXPECT_NEAR(ch06::lr_at(10, 1.0f, 0.1f, 10, 110), 1.0f, 1e-6) << "the peak right after warmup";
  EXPECT_NEAR(ch06::lr_at(60, 1.0f, 0.1f, 10, 110), 0.55f, 1e-6) << "halfway: (max + min) / 2";
  EXPECT_NEAR(ch06::lr_at(35, 1.0f, 0.1f, 10, 110), 0.868198f, 1e-5)
      << "a quarter of the way: min + (max - min) (1 + cos(pi / 4)) / 2 (a straight line would give 0.775)";
  EXPECT_NEAR(ch06::lr_at(200, 1.0f, 0.1f, 10, 110), 0.1f, 1e-7) << "after the end: min_lr";
}

TEST(OverfitBatch, LossGoesTowardsZero) {
  std::vector<int> inputs, targets;
  for (int i = 0; i < 16; ++i) {
    inputs.push_back((i * 7) % 32);
    targets.push_back((i * 7 + 3) % 32);
  }
  const std::vector<float> losses = ch06::overfit_batch(inputs, targets, 150);
  ASSERT_EQ(losses.size(), 150u);
  EXPECT_NEAR(losses.front(), std::log(32.0f), 0.3f) << "a fresh model guesses uniformly: loss ~ log(vocab)";
  EXPECT_LT(losses.back(), 0.2f) << "150 steps on the same 16 tokens must nearly memorise them";
}

// ---- bits_per_byte ----

TEST(BitsPerByte, AUniformByteModelNeedsEightBits) {
  // One byte per token and a uniform guess over 256 bytes: each loss is ln 256 nats = 8 bits for 1 byte.
  const float ln256 = std::log(256.0f);
  EXPECT_NEAR(ch06::bits_per_byte({ln256, ln256, ln256}, {"a", "b", "c"}), 8.0, 1e-5)
      << "ln 256 nats is 8 bits, over 1 byte each";
}

TEST(BitsPerByte, CountsUtf8BytesNotCharacters) {
  // Losses of 6 and 2 bits (6 ln 2 and 2 ln 2 nats), texts "the" (3 bytes) and " é" (space + 2-byte é = 3
  // bytes): 8 bits / 6 bytes. Counting characters would give 8 / 5.
  const float ln2 = std::log(2.0f);
  EXPECT_NEAR(ch06::bits_per_byte({6 * ln2, 2 * ln2}, {"the", " \xc3\xa9"}), 8.0 / 6.0, 1e-5)
      << "(6 + 2) bits over 3 + 3 UTF-8 bytes (é is 2 bytes)";
}

// ---- clip_grad_norm ----

TEST(ClipGradNorm, ALongGradientIsShortenedToMaxNorm) {
  std::vector<float> grads = {3.0f, 4.0f};  // length 5
  EXPECT_NEAR(ch06::clip_grad_norm(grads, 1.0f), 5.0f, 1e-6f) << "return the norm BEFORE clipping: sqrt(9 + 16)";
  EXPECT_NEAR(grads[0], 0.6f, 1e-6f) << "(3, 4) scaled by 1 / (5 + 1e-6) keeps its direction: (0.6, 0.8)";
  EXPECT_NEAR(grads[1], 0.8f, 1e-6f) << "(3, 4) scaled by 1 / (5 + 1e-6) keeps its direction: (0.6, 0.8)";
}

TEST(ClipGradNorm, AShortGradientIsLeftAlone) {
  std::vector<float> grads = {0.3f, -0.4f};  // length 0.5
  EXPECT_NEAR(ch06::clip_grad_norm(grads, 1.0f), 0.5f, 1e-6f);
  EXPECT_EQ(grads, (std::vector<float>{0.3f, -0.4f})) << "below max_norm nothing changes (clipping never lengthens)";
}

TEST(ClipGradNorm, MatchesTheLibrary) {
  // The library's clip_grad_norm over a TensorArena, on 1000 gradients of norm ~ 18: clipped to 2.
  minillm::TensorArena arena;
  arena.add("g", {1000});
  arena.allocate();
  for (int i = 0; i < 1000; ++i) arena.data()[i] = std::sin(0.37f * static_cast<float>(i)) * (i % 7 == 0 ? 3.0f : 0.5f);
  std::vector<float> grads(arena.data(), arena.data() + 1000);
  const float want = minillm::clip_grad_norm(arena, 2.0f);
  EXPECT_NEAR(ch06::clip_grad_norm(grads, 2.0f), want, 1e-4f) << "the L2 norm of all 1000 gradients together";
  for (int i = 0; i < 1000; ++i) ASSERT_NEAR(grads[i], arena.data()[i], 1e-6f) << "grads[" << i << "]";
}

}  // namespace
