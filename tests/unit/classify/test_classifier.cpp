// The whole classifier: its backward through the pooling and the GPT against central differences of its
// loss (every tensor, a few entries each), the frozen blocks left without gradient, the padding rule (a
// padded row scores as it does alone, whatever the padding holds), and the class weights.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "classify/classifier.hpp"
#include "classify/trainable.hpp"
#include "core/rng.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

constexpr int V = 13, maxT = 6, L = 2, K = 3;

Classifier tiny_classifier(Pooling pooling, uint64_t seed) {
  Classifier c(Gpt(GptConfig{V, maxT, L, 2, 8}), K, pooling);
  Rng rng(seed);
  // Larger weights than GPT-2's init so the gradients stand well above float32's rounding in the quotient.
  for (TensorArena* arena : {&c.backbone().params(), &c.head()})
    for (const auto& e : arena->entries()) rng.fill_normal((*arena)[e.name].span(), 0.0f, 0.3f);
  return c;
}

// Rows of 5, 2 and 4 real tokens padded to T = 5.
TokenBatch three_rows() {
  const TokenIds a{token_id(1), token_id(4), token_id(2), token_id(9), token_id(7)}, b{token_id(3), token_id(12)},
      c{token_id(5), token_id(5), token_id(0), token_id(11)};
  return pad_batch({&a, &b, &c});
}

// Every parameter tensor the loss reaches, a few entries each: analytic vs central difference.
void check_gradients(Classifier& c, int first_layer) {
  const TokenBatch batch = three_rows();
  const std::vector<int> labels{2, 0, 1};
  const std::vector<float> weights{0.5f, 2.0f, 1.25f};
  c.zero_grad();
  c.forward(batch, labels, weights);
  c.backward(first_layer);
  const float h = 1e-2f;
  int checked = 0, sizeable = 0;
  const auto check_arena = [&](TensorArena& params, TensorArena& grads, bool gpt) {
    for (const auto& e : params.entries()) {
      float* x = params[e.name].data;
      const float* analytic = grads[e.name].data;
      const bool trained = !gpt || (e.name.starts_with("ln_f") && first_layer < L) ||
                           (first_layer == 0 && !e.name.starts_with("h.")) ||
                           (e.name.starts_with("h.") && std::stoi(e.name.substr(2)) >= first_layer);
      const int64_t n = e.shape.numel();
      for (int64_t i : {int64_t{0}, n / 3, n / 2, n - 1}) {
        if (!trained) {  // a frozen tensor: the backward stopped above it
          EXPECT_EQ(analytic[i], 0.0f) << e.name << "[" << i << "] is frozen but has a gradient";
          continue;
        }
        const float saved = x[i];
        x[i] = saved + h;
        const double plus = c.forward(batch, labels, weights);
        x[i] = saved - h;
        const double minus = c.forward(batch, labels, weights);
        x[i] = saved;
        const double numeric = (plus - minus) / (2.0 * h);
        EXPECT_NEAR(analytic[i], numeric, 2e-4 + 2e-2 * std::abs(numeric)) << e.name << "[" << i << "]";
        ++checked;
        sizeable += std::abs(numeric) > 2e-3;
      }
    }
  };
  check_arena(c.head(), c.head_grads(), false);
  check_arena(c.backbone().params(), c.backbone().grads(), true);
  // Only meaningful if many gradients stand well above the absolute tolerance (2e-4).
  EXPECT_GT(sizeable, checked / 3) << sizeable << " of " << checked << " sampled gradients exceed 2e-3";
}

TEST(ClassifierGradCheck, LastTokenPoolingThroughTheWholeGpt) {
  Classifier c = tiny_classifier(Pooling::last_token, 1);
  check_gradients(c, 0);
}

TEST(ClassifierGradCheck, MeanPoolingThroughTheWholeGpt) {
  Classifier c = tiny_classifier(Pooling::mean, 2);
  check_gradients(c, 0);
}

TEST(ClassifierGradCheck, TopBlockOnlyLeavesTheBlocksBelowAndTheEmbeddingsWithoutGradient) {
  Classifier c = tiny_classifier(Pooling::last_token, 3);
  check_gradients(c, 1);
}

TEST(ClassifierGradCheck, HeadOnly) {
  Classifier c = tiny_classifier(Pooling::mean, 4);
  check_gradients(c, L);
}

// Causal attention: a real token never looks at the positions after it, so the padding on the right changes
// nothing the pooling reads. Each row of a padded batch scores as it does alone (T = its own length), and
// whatever the padding holds.
TEST(ClassifierPadding, APaddedRowScoresAsItDoesAloneWhateverThePaddingHolds) {
  for (const Pooling pooling : {Pooling::last_token, Pooling::mean}) {
    Classifier c = tiny_classifier(pooling, 5);
    TokenBatch batch = three_rows();
    c.forward(batch);
    const std::vector<float> padded(c.probs(), c.probs() + batch.B * K);
    for (int b = 0; b < batch.B; ++b) {
      const TokenIds alone(batch.tokens.begin() + b * batch.T, batch.tokens.begin() + b * batch.T + batch.lengths[b]);
      c.forward(pad_batch({&alone}));
      for (int k = 0; k < K; ++k) EXPECT_NEAR(c.probs()[k], padded[b * K + k], 1e-5) << "row " << b;
    }
    for (int b = 0; b < batch.B; ++b)
      for (int t = batch.lengths[b]; t < batch.T; ++t) batch.tokens[b * batch.T + t] = token_id(V - 1 - t);
    c.forward(batch);
    for (int i = 0; i < batch.B * K; ++i) EXPECT_NEAR(c.probs()[i], padded[i], 1e-6) << "other padding, cell " << i;
  }
}

TEST(ClassifierLoss, IsTheClassWeightedMeanOfMinusLogProbability) {
  Classifier c = tiny_classifier(Pooling::last_token, 6);
  const TokenBatch batch = three_rows();
  c.forward(batch);
  const std::vector<float> probs(c.probs(), c.probs() + 3 * K);
  const float loss = c.forward(batch, std::vector<int>{2, 0, 1}, std::vector<float>{0.5f, 2.0f, 1.25f});
  const double want = (1.25 * -std::log(probs[0 * K + 2]) + 0.5 * -std::log(probs[1 * K + 0]) +
                       2.0 * -std::log(probs[2 * K + 1])) / 3.0;
  EXPECT_NEAR(loss, want, 1e-5);
  double sum = 0;
  for (int k = 0; k < K; ++k) sum += probs[k];
  EXPECT_NEAR(sum, 1.0, 1e-6);
}

TEST(Trainable, UnfreezeSelectsTheHeadLnFAndTheTopBlocks) {
  Classifier c = tiny_classifier(Pooling::last_token, 7);
  const auto names = [&](int unfreeze) {
    std::vector<std::string> out;
    for (const TrainableTensor& t : trainable_tensors(c, unfreeze)) out.push_back(t.name);
    return out;
  };
  EXPECT_EQ(names(0), (std::vector<std::string>{"head.weight", "head.bias"}));
  const std::vector<std::string> one = names(1);
  EXPECT_EQ(one.front(), "head.weight");
  EXPECT_EQ(one.back(), "ln_f.bias");
  int block1 = 0;
  for (const std::string& n : one) {
    EXPECT_FALSE(n.starts_with("h.0.") || n == "wte" || n == "wpe") << n;
    block1 += n.starts_with("h.1.");
  }
  EXPECT_EQ(block1, 12);  // a block's 12 tensors (nn/block.hpp)
  EXPECT_EQ(trainable_tensors(c, L).size(), 2u + 2u * 12u + 2u);
  EXPECT_EQ(trainable_tensors(c, L + 3).size(), trainable_tensors(c, L).size());  // more than it has: all
}

}  // namespace
}  // namespace minillm
