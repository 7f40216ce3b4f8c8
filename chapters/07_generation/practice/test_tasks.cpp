// Tests for chapter 07's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "tasks.hpp"

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// ---- temperature_softmax ----

TEST(TemperatureSoftmax, TemperatureOneIsThePlainSoftmax) {
  const std::vector<float> p = ch07::temperature_softmax({0.0f, std::log(3.0f)}, 1.0f);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NEAR(p[0], 0.25f, 1e-6f) << "softmax(0, ln 3) = (1, 3) / 4";
  EXPECT_NEAR(p[1], 0.75f, 1e-6f);
}

TEST(TemperatureSoftmax, LowTemperatureSharpensHighFlattens) {
  // logits ln(0.5), ln(0.3), ln(0.2): at T = 0.5 the probabilities become p^2 / sum p^2.
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  const std::vector<float> sharp = ch07::temperature_softmax(logits, 0.5f);
  EXPECT_NEAR(sharp[0], 0.25f / 0.38f, 1e-5f) << "dividing by T = 0.5 doubles the logits: p^2 / sum(p^2)";
  EXPECT_NEAR(sharp[2], 0.04f / 0.38f, 1e-5f);
  const std::vector<float> flat = ch07::temperature_softmax(logits, 100.0f);
  EXPECT_NEAR(flat[0], 1.0f / 3, 0.01f) << "a very high temperature is nearly uniform";
  EXPECT_NEAR(flat[2], 1.0f / 3, 0.01f);
}

TEST(TemperatureSoftmax, HugeLogitsAtLowTemperatureDoNotOverflow) {
  const std::vector<float> p = ch07::temperature_softmax({1000.0f, 999.0f}, 0.1f);
  EXPECT_FALSE(std::isnan(p[0])) << "subtract the largest scaled logit before exp";
  EXPECT_NEAR(p[0], 1.0f / (1.0f + std::exp(-10.0f)), 1e-6f) << "logits 10000 and 9990 after dividing by 0.1";
}

// ---- top_k_filter ----

TEST(TopKFilter, KeepsTheKLargestAnywhereInTheRow) {
  const std::vector<float> logits = {0.1f, 3.0f, -1.0f, 2.0f, 0.5f};
  const std::vector<float> out = ch07::top_k_filter(logits, 2);
  const std::vector<float> want = {-kInf, 3.0f, -kInf, 2.0f, -kInf};
  EXPECT_EQ(out, want) << "with k = 2 only 3.0 and 2.0 survive; the rest become -infinity";
  EXPECT_EQ(logits[0], 0.1f) << "the input is not modified";
}

TEST(TopKFilter, KEqualToVKeepsEverythingAndTiesAreKept) {
  const std::vector<float> logits = {1.0f, 2.0f, 2.0f, 0.0f};
  EXPECT_EQ(ch07::top_k_filter(logits, 4), logits) << "k = V keeps all";
  const std::vector<float> want = {-kInf, 2.0f, 2.0f, -kInf};
  EXPECT_EQ(ch07::top_k_filter(logits, 1), want) << "both 2.0s tie with the largest, so both stay";
}

// ---- top_p_filter ----

TEST(TopPFilter, KeepsTheSmallestSetReachingP) {
  const std::vector<float> probs = {0.1f, 0.5f, 0.15f, 0.25f};
  const std::vector<float> out = ch07::top_p_filter(probs, 0.7f);
  // Most likely first: 0.5 (sum 0.5 < 0.7), 0.25 (sum 0.75 >= 0.7): keep those two, renormalised.
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[1], 0.5f / 0.75f, 1e-6f);
  EXPECT_NEAR(out[3], 0.25f / 0.75f, 1e-6f);
  EXPECT_EQ(out[0], 0.0f) << "0.1 is outside the nucleus";
  EXPECT_EQ(out[2], 0.0f) << "0.15 is outside the nucleus";
}

TEST(TopPFilter, TinyPKeepsTheBestAndPOneKeepsAll) {
  const std::vector<float> probs = {0.2f, 0.3f, 0.5f};
  const std::vector<float> best = ch07::top_p_filter(probs, 0.01f);
  EXPECT_EQ(best, (std::vector<float>{0.0f, 0.0f, 1.0f})) << "the most likely token is always kept";
  const std::vector<float> all = ch07::top_p_filter(probs, 1.0f);
  for (size_t i = 0; i < probs.size(); ++i) EXPECT_NEAR(all[i], probs[i], 1e-6f) << "p = 1 keeps every token";
}

// ---- attend_one_query ----

TEST(AttendOneQuery, TwoPositionsByHand) {
  // hs = 1: scores q*k/1 = (0, ln 3) -> att (1/4, 3/4) -> out = 1/4 * 10 + 3/4 * 20 = 17.5.
  const std::vector<float> out = ch07::attend_one_query({1.0f}, {0.0f, std::log(3.0f)}, {10.0f, 20.0f}, 2, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0], 17.5f, 1e-4f);
}

TEST(AttendOneQuery, EqualsTheLastRowOfFullCausalAttention) {
  // Full causal attention (chapter 03) over T positions: its last row is what a cache of T-1 earlier
  // keys and values plus the new one gives for the newest query.
  const int T = 7, hs = 5;
  minillm::Rng rng(3);
  std::vector<float> qkv(static_cast<size_t>(T * 3 * hs));
  rng.fill_normal(qkv, 0.0f, 1.0f);
  std::vector<float> full(static_cast<size_t>(T * hs)), preatt(T * T), att(T * T);
  minillm::attention_forward(full.data(), preatt.data(), att.data(), qkv.data(), 1, T, hs, 1);
  std::vector<float> q(hs), k, v;
  for (int s = 0; s < T; ++s)
    for (int i = 0; i < hs; ++i) {
      k.push_back(qkv[static_cast<size_t>(s * 3 * hs + hs + i)]);
      v.push_back(qkv[static_cast<size_t>(s * 3 * hs + 2 * hs + i)]);
      if (s == T - 1) q[static_cast<size_t>(i)] = qkv[static_cast<size_t>(s * 3 * hs + i)];
    }
  const std::vector<float> out = ch07::attend_one_query(q, k, v, T, hs);
  ASSERT_EQ(out.size(), static_cast<size_t>(hs));
  for (int i = 0; i < hs; ++i)
    EXPECT_NEAR(out[static_cast<size_t>(i)], full[static_cast<size_t>((T - 1) * hs + i)], 1e-5f)
        << "channel " << i << " (did you scale the scores by 1/sqrt(hs)?)";
}

// ---- greedy_generate ----

// A toy model: the next token is (last token + 1) mod 5, with a tie between 2 and 4 after a 0.
std::vector<float> counting_model(const std::vector<int>& tokens) {
  std::vector<float> logits(5, 0.0f);
  const int last = tokens.back();
  if (last == 0) {
    logits[2] = logits[4] = 1.0f;
  } else {
    logits[static_cast<size_t>((last + 1) % 5)] = 1.0f;
  }
  return logits;
}

TEST(GreedyGenerate, AppendsTheArgmaxUntilTheBudget) {
  EXPECT_EQ(ch07::greedy_generate(counting_model, {1}, 3, 99), (std::vector<int>{2, 3, 4}))
      << "after 1 comes 2, 3, 4; only the new tokens are returned";
  EXPECT_EQ(ch07::greedy_generate(counting_model, {0}, 1, 99), (std::vector<int>{2}))
      << "a tie goes to the lowest id";
}

TEST(GreedyGenerate, StopsAtEndOfTextWithoutAppendingIt) {
  EXPECT_EQ(ch07::greedy_generate(counting_model, {1}, 10, 4), (std::vector<int>{2, 3}))
      << "4 is end-of-text here: generation ends before it";
  int calls = 0;
  const ch07::NextLogits counted = [&](const std::vector<int>& t) { ++calls; return counting_model(t); };
  ch07::greedy_generate(counted, {1, 2}, 0, 4);
  EXPECT_EQ(calls, 0) << "a budget of 0 tokens asks the model nothing";
  std::vector<int> seen;
  const ch07::NextLogits watching = [&](const std::vector<int>& t) { seen = t; return counting_model(t); };
  ch07::greedy_generate(watching, {1}, 2, 99);
  EXPECT_EQ(seen, (std::vector<int>{1, 2})) << "the model sees the prompt plus every token generated so far";
}

}  // namespace
