#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "gpt/sampling.hpp"

namespace minillm {
namespace {

TEST(Sampling, TemperatureZeroIsGreedy) {
  Rng rng(1);
  const std::vector<float> logits = {0.1f, 2.0f, 1.9f, -5.0f};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(to_int(sample_token(logits, {0.0f, 0, 1.0f}, rng)), 1);
}

TEST(Sampling, TopKOneAndTinyTopPKeepOnlyTheBest) {
  Rng rng(2);
  const std::vector<float> logits = {0.5f, 0.4f, 3.0f, 0.3f};
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(to_int(sample_token(logits, {1.0f, 1, 1.0f}, rng)), 2) << "top-k 1 keeps only the argmax";
    EXPECT_EQ(to_int(sample_token(logits, {1.0f, 0, 0.01f}, rng)), 2) << "top-p 0.01 keeps only the argmax";
  }
}

// How often each token comes up in 20,000 draws with these options.
std::vector<double> frequencies(const std::vector<float>& logits, const SamplingOptions& options, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> share(logits.size(), 0.0);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) share[size_t(to_int(sample_token(logits, options, rng)))] += 1.0 / draws;
  return share;
}

TEST(Sampling, FrequenciesFollowTheSoftmax) {
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  const std::vector<double> share = frequencies(logits, {1.0f, 0, 1.0f}, 3);
  EXPECT_NEAR(share[0], 0.5, 0.02);
  EXPECT_NEAR(share[1], 0.3, 0.02);
  EXPECT_NEAR(share[2], 0.2, 0.02);
}

TEST(Sampling, TemperatureHalfSquaresTheProbabilities) {
  // Dividing the logits by T = 0.5 doubles them: p_i^2 / sum p_j^2 = (0.25, 0.09, 0.04) / 0.38.
  // (Multiplying by T instead would give p^0.5; ignoring T would give p itself.)
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  const std::vector<double> share = frequencies(logits, {0.5f, 0, 1.0f}, 6);
  EXPECT_NEAR(share[0], 0.25 / 0.38, 0.02);
  EXPECT_NEAR(share[1], 0.09 / 0.38, 0.02);
  EXPECT_NEAR(share[2], 0.04 / 0.38, 0.02);
}

TEST(Sampling, TopKTwoNeverPicksTheThird) {
  Rng rng(4);
  const std::vector<float> logits = {1.0f, 0.9f, 0.8f};
  for (int i = 0; i < 500; ++i) EXPECT_NE(to_int(sample_token(logits, {1.0f, 2, 1.0f}, rng)), 2);
}

TEST(Sampling, BadOptionsAreErrors) {
  Rng rng(5);
  const std::vector<float> logits = {1.0f};
  EXPECT_THROW(sample_token(logits, {-1.0f, 0, 1.0f}, rng), Error);
  EXPECT_THROW(sample_token(logits, {1.0f, 0, 0.0f}, rng), Error);
}

TEST(Generate, SameSeedSameTextAndContextIsCropped) {
  Gpt model(GptConfig{16, 4, 1, 1, 8});
  Rng init(9);
  model.init_weights(init);
  Rng a(11), b(11);
  const TokenIds prompt = {token_id(3)};
  const TokenIds first = generate(model, prompt, 10, {}, a);  // 11 tokens > context 4: must crop
  const TokenIds second = generate(model, prompt, 10, {}, b);
  EXPECT_EQ(first.size(), 11u);
  EXPECT_EQ(first, second) << "the same seed must give the same sample";
  EXPECT_THROW(generate(model, {}, 3, {}, a), Error) << "an empty prompt is an error";
}

}  // namespace
}  // namespace minillm
