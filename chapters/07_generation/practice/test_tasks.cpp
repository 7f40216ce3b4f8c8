// Tests for chapter 07's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "core/tensor.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"
#include "nn/block.hpp"
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

// ---- min_p_filter ----

TEST(MinPFilter, KeepsTokensAboveAShareOfTheBest) {
  // min_p 0.2 of the best 0.5 is 0.1: tokens 0, 1, 2 stay (0.5 + 0.3 + 0.15 = 0.95), token 3 (0.05) goes.
  const std::vector<float> p = ch07::min_p_filter({0.5f, 0.3f, 0.15f, 0.05f}, 0.2f);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_NEAR(p[0], 0.5f / 0.95f, 1e-6f) << "kept and divided by the kept total 0.95";
  EXPECT_NEAR(p[2], 0.15f / 0.95f, 1e-6f) << "0.15 >= 0.1: kept";
  EXPECT_EQ(p[3], 0.0f) << "0.05 < 0.2 * 0.5: dropped";
  const std::vector<float> strict = ch07::min_p_filter({0.5f, 0.3f, 0.15f, 0.05f}, 0.7f);
  EXPECT_NEAR(strict[0], 1.0f, 1e-6f) << "min_p 0.7: the threshold 0.35 leaves only the best token";
  EXPECT_EQ(strict[1], 0.0f);
}

TEST(MinPFilter, AFlatDistributionKeepsItsWholeTail) {
  // The threshold follows the model's confidence: with four equal tokens, min_p 0.9 keeps all four, where a
  // confident distribution at the same min_p keeps one.
  const std::vector<float> flat = ch07::min_p_filter({0.25f, 0.25f, 0.25f, 0.25f}, 0.9f);
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(flat[i], 0.25f, 1e-6f) << "token " << i << " is as likely as the best";
  const std::vector<float> sure = ch07::min_p_filter({0.05f, 0.85f, 0.06f, 0.04f}, 0.9f);
  EXPECT_NEAR(sure[1], 1.0f, 1e-6f) << "only token 1 reaches 0.9 * 0.85";
  EXPECT_EQ(sure[0], 0.0f);
}

// ---- sample_token ----

TEST(SampleToken, TheDrawFollowsTheRunningSum) {
  // logits (0, ln 3): probabilities (1/4, 3/4), so token 0 owns [0, 0.25) and token 1 owns [0.25, 1).
  const std::vector<float> logits = {0.0f, std::log(3.0f)};
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 0, 0.0f), 0);
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 0, 0.2f), 0) << "u = 0.2 < 1/4: token 0";
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 0, 0.3f), 1) << "u = 0.3 > 1/4: token 1";
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 0, 0.999f), 1);
  const std::vector<float> huge = {1000.0f, 1000.0f + std::log(3.0f)};
  EXPECT_EQ(ch07::sample_token(huge, 1.0f, 0, 0.3f), 1) << "logits near 1000 must not overflow";
  EXPECT_EQ(ch07::sample_token(huge, 1.0f, 0, 0.2f), 0) << "logits near 1000 must not overflow";
}

TEST(SampleToken, TemperatureSharpensOrFlattens) {
  const std::vector<float> logits = {0.0f, std::log(3.0f)};
  // temperature 0.5: logits (0, 2 ln 3), probabilities (1/10, 9/10).
  EXPECT_EQ(ch07::sample_token(logits, 0.5f, 0, 0.15f), 1) << "at temperature 0.5 token 0 owns only [0, 0.1)";
  EXPECT_EQ(ch07::sample_token(logits, 0.5f, 0, 0.05f), 0);
  // temperature 2: logits (0, ln 3 / 2), probabilities (1, √3) / (1 + √3) = (0.366, 0.634).
  EXPECT_EQ(ch07::sample_token(logits, 2.0f, 0, 0.3f), 0) << "at temperature 2 token 0 owns [0, 0.366)";
  EXPECT_EQ(ch07::sample_token(logits, 2.0f, 0, 0.4f), 1);
}

TEST(SampleToken, TopKDropsTheRest) {
  const std::vector<float> three = {1.0f, 5.0f, 2.0f};
  for (float u : {0.0f, 0.5f, 0.99f}) EXPECT_EQ(ch07::sample_token(three, 1.0f, 1, u), 1) << "top_k 1 is greedy";
  // logits (0, ln 3, ln 6) with top_k 2: tokens 1 and 2 remain with probabilities (3/9, 6/9).
  const std::vector<float> logits = {0.0f, std::log(3.0f), std::log(6.0f)};
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 2, 0.0f), 1) << "token 0 is not among the 2 largest: never drawn";
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 2, 0.3f), 1) << "renormalised, token 1 owns [0, 1/3)";
  EXPECT_EQ(ch07::sample_token(logits, 1.0f, 2, 0.4f), 2) << "renormalised, token 2 owns [1/3, 1)";
}

TEST(SampleToken, EvenlySpacedDrawsReproduceTheProbabilities) {
  // 1000 evenly spaced u give each token about 1000 * p of the draws: the draw is the inverse of the CDF.
  const std::vector<float> logits = {0.5f, -1.0f, 2.0f, 0.0f};
  double sum = 0.0;
  for (float x : logits) sum += std::exp(double(x));
  std::vector<int> counts(logits.size(), 0);
  for (int i = 0; i < 1000; ++i) {
    const int token = ch07::sample_token(logits, 1.0f, 0, (static_cast<float>(i) + 0.5f) / 1000.0f);
    ASSERT_GE(token, 0);
    ASSERT_LT(token, 4);
    ++counts[static_cast<size_t>(token)];
  }
  for (size_t v = 0; v < logits.size(); ++v)
    EXPECT_NEAR(counts[v], 1000.0 * std::exp(double(logits[v])) / sum, 1.01) << "draws of token " << v;
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

// ---- kv_decode_step ----

// A GPT of two layers with weights far from GPT-2's initialisation (LayerNorm weights around 1, the rest
// N(0, 0.3²)), so that every layer changes the logits visibly.
struct DecodeFixture {
  minillm::GptConfig config{19, 8, 2, 2, 8};
  minillm::Gpt model{config, minillm::GptForm::inference_only};
  std::vector<int> tokens = {3, 17, 0, 5, 5, 11, 2};
  std::vector<ch07::LayerCache> cache;
  DecodeFixture() {
    minillm::Rng rng(3);
    for (const auto& entry : model.params().entries()) {
      const bool ln_weight = entry.name.find("ln_") != std::string::npos && entry.name.ends_with("weight");
      rng.fill_normal(model.params()[entry.name].span(), ln_weight ? 1.0f : 0.0f, ln_weight ? 0.1f : 0.3f);
    }
    const size_t floats = static_cast<size_t>(config.context_length) * config.n_embd;
    cache.assign(static_cast<size_t>(config.n_layer), ch07::LayerCache{std::vector<float>(floats, 0.0f),
                                                                      std::vector<float>(floats, 0.0f)});
  }
  // Logits [T, V] of the library's full forward pass over the first T tokens.
  std::vector<float> full_forward(int T) {
    minillm::TokenIds ids;
    for (int i = 0; i < T; ++i) ids.push_back(minillm::token_id(tokens[static_cast<size_t>(i)]));
    model.forward(ids, 1, T);
    return std::vector<float>(model.logits(), model.logits() + static_cast<size_t>(T) * config.vocab_size);
  }
};

TEST(KvDecodeStep, EveryStepEqualsItsRowOfTheFullForward) {
  DecodeFixture f;
  const int T = static_cast<int>(f.tokens.size()), V = f.config.vocab_size;
  const std::vector<float> want = f.full_forward(T);
  for (int t = 0; t < T; ++t) {
    const std::vector<float> logits = ch07::kv_decode_step(f.model, f.cache, f.tokens[static_cast<size_t>(t)], t);
    ASSERT_EQ(logits.size(), static_cast<size_t>(V)) << "logits[V] for one position";
    for (int v = 0; v < V; ++v)
      ASSERT_NEAR(logits[static_cast<size_t>(v)], want[static_cast<size_t>(t * V + v)], 1e-4f)
          << "step t = " << t << ", token " << v << ": row t of the full forward (t = 0 needs no cache; "
          << "a later step needs every layer's cached keys and values of positions 0..t)";
  }
}

TEST(KvDecodeStep, WritesRowTOfEveryLayersCache) {
  // Layer 0's key and value of position t do not depend on the other positions: they are the middle and
  // last thirds of qkv when the library's block runs on the single row wte[id] + wpe[t] (B = T = 1).
  DecodeFixture f;
  const int C = f.config.n_embd;
  const minillm::GptWeights& w = f.model.weights();
  for (int t = 0; t < 3; ++t) ch07::kv_decode_step(f.model, f.cache, f.tokens[static_cast<size_t>(t)], t);
  const minillm::BlockShape one{1, 1, C, f.config.n_head};
  minillm::TensorArena acts;
  minillm::add_block_acts(acts, "", one);
  acts.allocate();
  const minillm::BlockActs a = minillm::block_acts(acts, "");
  for (int t = 0; t < 3; ++t) {
    std::vector<float> x(static_cast<size_t>(C));
    for (int i = 0; i < C; ++i) x[i] = w.wte[f.tokens[static_cast<size_t>(t)] * C + i] + w.wpe[t * C + i];
    minillm::block_forward(a, x.data(), w.blocks[0], one);
    for (int i = 0; i < C; ++i) {
      ASSERT_NEAR(f.cache[0].keys[static_cast<size_t>(t * C + i)], a.qkv[C + i], 1e-5f)
          << "layer 0's key of position " << t << ", channel " << i << " (qkv's middle third)";
      ASSERT_NEAR(f.cache[0].values[static_cast<size_t>(t * C + i)], a.qkv[2 * C + i], 1e-5f)
          << "layer 0's value of position " << t << ", channel " << i << " (qkv's last third)";
    }
  }
  bool layer1_written = false;
  for (int i = 0; i < 3 * C; ++i) layer1_written = layer1_written || f.cache[1].keys[static_cast<size_t>(i)] != 0.0f;
  EXPECT_TRUE(layer1_written) << "layer 1's cache must hold its own keys too";
}

}  // namespace
