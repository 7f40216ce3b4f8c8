// Tests for chapter 09's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "tasks.hpp"

namespace {

std::vector<float> random_vector(size_t n, uint64_t seed, float stddev = 1.0f) {
  minillm::Rng rng(seed);
  std::vector<float> v(n);
  rng.fill_normal(v, 0.0f, stddev);
  return v;
}

// hidden[b, t, c] = 100 b + 10 t + c: every state says where it came from.
std::vector<float> position_states(int B, int T, int C) {
  std::vector<float> h(size_t(B) * T * C);
  for (int seq = 0; seq < B; ++seq)
    for (int pos = 0; pos < T; ++pos)
      for (int ch = 0; ch < C; ++ch) h[(size_t(seq) * T + pos) * C + ch] = float(100 * seq + 10 * pos + ch);
  return h;
}

// ---- last_token_pool ----

TEST(LastTokenPool, TheLastRealPositionOfEachSequence) {
  const std::vector<int> mask = {1, 1, 1, 0,   // 3 tokens, then padding
                                 1, 1, 1, 1,   // no padding
                                 1, 0, 0, 0};  // one token
  const std::vector<float> got = ch09::last_token_pool(position_states(3, 4, 2), mask, 3, 4, 2);
  const std::vector<float> want = {20, 21, 130, 131, 200, 201};
  EXPECT_EQ(got, want) << "sequence 0 ends at t = 2, sequence 1 at t = 3, sequence 2 at t = 0";
}

TEST(LastTokenPool, PaddingBeforeTheTokens) {
  const std::vector<int> mask = {0, 0, 1, 1, 1};  // left padding: the last real token is at t = 4, not 2
  const std::vector<float> got = ch09::last_token_pool(position_states(1, 5, 3), mask, 1, 5, 3);
  EXPECT_EQ(got, (std::vector<float>{40, 41, 42}))
      << "three real tokens, but the last of them is at t = 4: counting tokens is not finding the last one";
}

TEST(LastTokenPool, ASequenceWithNoTokenIsRefused) {
  EXPECT_THROW(ch09::last_token_pool(position_states(2, 2, 1), {1, 1, 0, 0}, 2, 2, 1), std::invalid_argument);
}

// ---- masked_mean_pool ----

TEST(MaskedMeanPool, AveragesTheRealTokensOnly) {
  const std::vector<int> mask = {1, 1, 0, 0,   // t = 0, 1
                                 0, 1, 1, 1};  // t = 1, 2, 3
  const std::vector<float> got = ch09::masked_mean_pool(position_states(2, 4, 2), mask, 2, 4, 2);
  const std::vector<float> want = {5, 6, 120, 121};  // (0 + 10) / 2; (110 + 120 + 130) / 3
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-4f) << "output " << i << ": padding changes neither the sum nor the count";
}

TEST(MaskedMeanPool, PaddingValuesDoNotMatter) {
  std::vector<float> h = random_vector(2 * 5 * 3, 11);
  const std::vector<int> mask = {1, 1, 1, 0, 0, 1, 0, 1, 0, 1};
  const std::vector<float> before = ch09::masked_mean_pool(h, mask, 2, 5, 3);
  for (int seq = 0; seq < 2; ++seq)
    for (int pos = 0; pos < 5; ++pos)
      if (mask[size_t(seq) * 5 + pos] == 0)
        for (int ch = 0; ch < 3; ++ch) h[(size_t(seq) * 5 + pos) * 3 + ch] = 1e6f;
  EXPECT_EQ(ch09::masked_mean_pool(h, mask, 2, 5, 3), before) << "what stands at a padded position must not leak in";
}

TEST(MaskedMeanPool, ASequenceWithNoTokenIsRefused) {
  EXPECT_THROW(ch09::masked_mean_pool(position_states(1, 3, 2), {0, 0, 0}, 1, 3, 2), std::invalid_argument);
}

// ---- head_forward ----

TEST(HeadForward, TwoExamplesWorkedOutByHand) {
  // w [2 classes, 3]: class 0 weighs (1, 0, -1), class 1 (0.5, 0.5, 0.5); bias (0.1, -0.2)
  const std::vector<float> w = {1, 0, -1, 0.5f, 0.5f, 0.5f}, bias = {0.1f, -0.2f};
  const std::vector<float> x = {1, 2, 3, -1, 0, 4};
  const std::vector<float> got = ch09::head_forward(x, w, bias, 2, 3, 2);
  const std::vector<float> want = {1 - 3 + 0.1f, 3 - 0.2f, -1 - 4 + 0.1f, 1.5f - 0.2f};
  ASSERT_EQ(got.size(), want.size()) << "B x K logits";
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5f) << "logit " << i;
}

// ---- head_backward ----

// Loss = sum of g[b, k] · logits[b, k], so dLoss/dlogits = g; the head's forward written here in the test.
double head_loss(const std::vector<float>& g, const std::vector<float>& x, const std::vector<float>& w,
                 const std::vector<float>& bias, int B, int C, int K) {
  double loss = 0;
  for (int seq = 0; seq < B; ++seq)
    for (int cls = 0; cls < K; ++cls) {
      double z = bias[size_t(cls)];
      for (int ch = 0; ch < C; ++ch) z += double(x[size_t(seq) * C + ch]) * w[size_t(cls) * C + ch];
      loss += g[size_t(seq) * K + cls] * z;
    }
  return loss;
}

TEST(HeadBackward, MatchesFiniteDifferences) {
  const int B = 3, C = 4, K = 2;
  std::vector<float> x = random_vector(B * C, 1), w = random_vector(K * C, 2), bias = random_vector(K, 3);
  const std::vector<float> g = random_vector(B * K, 4);
  std::vector<float> dx(B * C, 0.0f), dw(K * C, 0.0f), db(K, 0.0f);
  ch09::head_backward(dx, dw, db, g, x, w, B, C, K);
  const float h = 1e-2f;  // the loss is linear in each parameter: central differences are exact up to rounding
  auto check = [&](std::vector<float>& p, const std::vector<float>& grad, const char* name) {
    for (size_t i = 0; i < p.size(); ++i) {
      const float keep = p[i];
      p[i] = keep + h;
      const double up = head_loss(g, x, w, bias, B, C, K);
      p[i] = keep - h;
      const double down = head_loss(g, x, w, bias, B, C, K);
      p[i] = keep;
      EXPECT_NEAR(grad[i], (up - down) / (2 * h), 1e-3) << name << "[" << i << "]";
    }
  };
  check(x, dx, "dx");
  check(w, dw, "dw");
  check(bias, db, "dbias");
}

TEST(HeadBackward, Accumulates) {
  const std::vector<float> x = {1, 2}, w = {3, 4}, g = {0.5f};
  std::vector<float> dx = {10, 10}, dw = {10, 10}, db = {10};
  ch09::head_backward(dx, dw, db, g, x, w, 1, 2, 1);
  EXPECT_EQ(dx, (std::vector<float>{11.5f, 12})) << "+= 0.5 · w";
  EXPECT_EQ(dw, (std::vector<float>{10.5f, 11})) << "+= 0.5 · x";
  EXPECT_EQ(db, (std::vector<float>{10.5f})) << "+= 0.5";
}

// ---- classification_report ----

TEST(ClassificationReport, ASpamFilterWorkedOutByHand) {
  // 0 = ham, 1 = spam. 6 ham: 5 kept, 1 flagged as spam; 4 spam: 3 caught, 1 missed.
  const std::vector<int> truth = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  const std::vector<int> predicted = {0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
  const ch09::ClassificationReport r = ch09::classification_report(truth, predicted, 2);
  EXPECT_EQ(r.confusion, (std::vector<int>{5, 1, 1, 3})) << "rows: true class; columns: predicted";
  EXPECT_NEAR(r.accuracy, 0.8, 1e-12);
  ASSERT_EQ(r.precision.size(), 2u);
  ASSERT_EQ(r.recall.size(), 2u);
  ASSERT_EQ(r.f1.size(), 2u);
  EXPECT_NEAR(r.precision[1], 0.75, 1e-12) << "3 of the 4 mails flagged as spam were spam";
  EXPECT_NEAR(r.recall[1], 0.75, 1e-12) << "3 of the 4 spams were caught";
  EXPECT_NEAR(r.precision[0], 5.0 / 6, 1e-12) << "5 of the 6 mails let through were ham";
  EXPECT_NEAR(r.recall[0], 5.0 / 6, 1e-12);
  EXPECT_NEAR(r.f1[1], 0.75, 1e-12);
  EXPECT_NEAR(r.macro_f1, (0.75 + 5.0 / 6) / 2, 1e-12) << "the plain mean of the two F1s";
}

TEST(ClassificationReport, AClassNobodyPredictedScoresZero) {
  // a filter that lets everything through: 90% accuracy, and it never catches a spam
  std::vector<int> truth(10, 0), predicted(10, 0);
  truth[9] = 1;
  const ch09::ClassificationReport r = ch09::classification_report(truth, predicted, 2);
  EXPECT_NEAR(r.accuracy, 0.9, 1e-12);
  ASSERT_EQ(r.f1.size(), 2u);
  EXPECT_EQ(r.precision[1], 0.0) << "nothing was predicted spam: 0, not 0 / 0";
  EXPECT_EQ(r.recall[1], 0.0);
  EXPECT_EQ(r.f1[1], 0.0);
  EXPECT_NEAR(r.f1[0], 2 * 0.9 / 1.9, 1e-12) << "ham: precision 0.9, recall 1";
  EXPECT_NEAR(r.macro_f1, 0.9 / 1.9, 1e-12) << "macro-F1 shows what accuracy hides";
}

TEST(ClassificationReport, ThreeClasses) {
  const std::vector<int> truth = {0, 1, 2, 2, 1, 0}, predicted = {0, 2, 2, 2, 1, 1};
  const ch09::ClassificationReport r = ch09::classification_report(truth, predicted, 3);
  EXPECT_EQ(r.confusion, (std::vector<int>{1, 1, 0, 0, 1, 1, 0, 0, 2}));
  ASSERT_EQ(r.f1.size(), 3u);
  EXPECT_NEAR(r.f1[0], 2 * 1.0 * 0.5 / 1.5, 1e-12) << "class 0: precision 1/1, recall 1/2";
  EXPECT_NEAR(r.f1[2], 2 * (2.0 / 3) * 1.0 / (2.0 / 3 + 1), 1e-12) << "class 2: precision 2/3, recall 2/2";
}

// ---- weighted_cross_entropy ----

TEST(WeightedCrossEntropy, EqualWeightsGiveTheMeanLoss) {
  const std::vector<float> logits = {2, 0, 0, 1};  // two examples, two classes
  std::vector<float> d(4, 99.0f);
  const double got = ch09::weighted_cross_entropy(d, logits, {0, 1}, {1, 1}, 2, 2);
  const double l0 = std::log(1 + std::exp(-2.0)), l1 = std::log(1 + std::exp(-1.0));
  EXPECT_NEAR(got, (l0 + l1) / 2, 1e-6);
  const double p0 = 1 / (1 + std::exp(-2.0));  // example 0's probability of its label
  EXPECT_NEAR(d[0], (p0 - 1) / 2, 1e-6) << "(p - 1) / B for the label: dlogits is written, not added to";
  EXPECT_NEAR(d[1], (1 - p0) / 2, 1e-6) << "p / B for the other class";
}

TEST(WeightedCrossEntropy, AWeightCountsAnExampleThatManyTimes) {
  // weight 3 on class 1 is the same as three copies of the class-1 example with weight 1
  const std::vector<float> logits = {0.3f, -1.2f, 0.5f, 2.0f};
  std::vector<float> d(4), d_copies(8);
  const double got = ch09::weighted_cross_entropy(d, logits, {0, 1}, {1, 3}, 2, 2);
  const std::vector<float> copies = {0.3f, -1.2f, 0.5f, 2.0f, 0.5f, 2.0f, 0.5f, 2.0f};
  const double want = ch09::weighted_cross_entropy(d_copies, copies, {0, 1, 1, 1}, {1, 1}, 4, 2);
  EXPECT_NEAR(got, want, 1e-6) << "the weighted mean divides by the sum of the weights, 1 + 3";
  EXPECT_NEAR(d[2], 3 * d_copies[2], 1e-6) << "the weighted example carries its three copies' gradient";
}

TEST(WeightedCrossEntropy, MatchesFiniteDifferencesAndIsStable) {
  std::vector<float> logits = random_vector(3 * 4, 21, 3.0f);
  logits[0] += 900;  // exp(900) overflows: subtract the row's largest logit
  const std::vector<int> labels = {2, 0, 3};
  const std::vector<float> weights = {0.5f, 1.0f, 2.0f, 1.5f};
  std::vector<float> d(12), scratch(12);
  const double loss = ch09::weighted_cross_entropy(d, logits, labels, weights, 3, 4);
  ASSERT_TRUE(std::isfinite(loss));
  const float h = 1e-2f;
  for (size_t i = 0; i < logits.size(); ++i) {
    std::vector<float> up = logits, down = logits;
    up[i] += h;
    down[i] -= h;
    const double fd = (ch09::weighted_cross_entropy(scratch, up, labels, weights, 3, 4) -
                       ch09::weighted_cross_entropy(scratch, down, labels, weights, 3, 4)) / (2 * h);
    EXPECT_NEAR(d[i], fd, 2e-3) << "dlogits[" << i << "]";
  }
}

// ---- LoRA: a test-side forward with the merged weight, in double ----

std::vector<double> merged_forward(const std::vector<float>& x, const std::vector<float>& W,
                                   const std::vector<float>& A, const std::vector<float>& Bm, float alpha, int N,
                                   int C, int OC, int R) {
  std::vector<double> out(size_t(N) * OC, 0.0);
  for (int row = 0; row < N; ++row)
    for (int unit = 0; unit < OC; ++unit)
      for (int ch = 0; ch < C; ++ch) {
        double wc = W[size_t(unit) * C + ch];
        for (int rank = 0; rank < R; ++rank) wc += double(alpha) / R * Bm[size_t(unit) * R + rank] * A[size_t(rank) * C + ch];
        out[size_t(row) * OC + unit] += double(x[size_t(row) * C + ch]) * wc;
      }
  return out;
}

// ---- lora_forward ----

TEST(LoraForward, AZeroBGivesTheFrozenLayer) {
  const int N = 2, C = 5, OC = 3, R = 2;
  const std::vector<float> x = random_vector(N * C, 31), W = random_vector(OC * C, 32), A = random_vector(R * C, 33);
  const std::vector<float> got = ch09::lora_forward(x, W, A, std::vector<float>(OC * R, 0.0f), 16.0f, N, C, OC, R);
  const std::vector<double> want = merged_forward(x, W, A, std::vector<float>(OC * R, 0.0f), 16.0f, N, C, OC, R);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-4) << "with B = 0 the adapter adds nothing: the first forward is the base model's";
}

TEST(LoraForward, AddsTheScaledLowRankPath) {
  // C = 2, OC = 1, R = 1: W = (1, 1), A = (1, -1), B = (2), alpha 4: the adapter adds (4/1)·2·(x0 - x1)
  const std::vector<float> got = ch09::lora_forward({3, 1}, {1, 1}, {1, -1}, {2}, 4.0f, 1, 2, 1, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NEAR(got[0], 4 + 4 * 2 * 2, 1e-5) << "x·W = 4; (alpha / R) · B · (x·A) = 4 · 2 · 2 = 16";
}

TEST(LoraForward, EqualsTheMergedWeight) {
  const int N = 3, C = 6, OC = 4, R = 2;
  const std::vector<float> x = random_vector(N * C, 41), W = random_vector(OC * C, 42), A = random_vector(R * C, 43),
                           Bm = random_vector(OC * R, 44);
  const std::vector<float> got = ch09::lora_forward(x, W, A, Bm, 8.0f, N, C, OC, R);
  const std::vector<double> want = merged_forward(x, W, A, Bm, 8.0f, N, C, OC, R);
  ASSERT_EQ(got.size(), want.size()) << "N x OC outputs";
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-3) << "output " << i << " (alpha / R = 4)";
}

// ---- merge_lora ----

TEST(MergeLora, AWorkedExample) {
  // W [1, 2] = (1, 1); A [1, 2] = (1, -1); B [1, 1] = (2); alpha 4, R 1: W + 4 · 2 · (1, -1) = (9, -7)
  EXPECT_EQ(ch09::merge_lora({1, 1}, {1, -1}, {2}, 4.0f, 2, 1, 1), (std::vector<float>{9, -7}));
}

TEST(MergeLora, APlainLayerWithTheMergedWeightGivesTheAdaptersOutput) {
  const int N = 2, C = 5, OC = 3, R = 2;
  const std::vector<float> x = random_vector(N * C, 51), W = random_vector(OC * C, 52), A = random_vector(R * C, 53),
                           Bm = random_vector(OC * R, 54);
  const std::vector<float> merged = ch09::merge_lora(W, A, Bm, 6.0f, C, OC, R);
  ASSERT_EQ(merged.size(), W.size()) << "the merged weight has W's shape [OC, C]";
  const std::vector<double> want = merged_forward(x, W, A, Bm, 6.0f, N, C, OC, R);
  for (int row = 0; row < N; ++row)
    for (int unit = 0; unit < OC; ++unit) {
      double y = 0;
      for (int ch = 0; ch < C; ++ch) y += double(x[size_t(row) * C + ch]) * merged[size_t(unit) * C + ch];
      EXPECT_NEAR(y, want[size_t(row) * OC + unit], 1e-3) << "row " << row << ", output " << unit;
    }
}

// ---- lora_backward ----

// Loss = sum of g ⊙ out, so dLoss/dout = g.
double lora_loss(const std::vector<float>& g, const std::vector<float>& x, const std::vector<float>& W,
                 const std::vector<float>& A, const std::vector<float>& Bm, float alpha, int N, int C, int OC, int R) {
  const std::vector<double> out = merged_forward(x, W, A, Bm, alpha, N, C, OC, R);
  double loss = 0;
  for (size_t i = 0; i < out.size(); ++i) loss += g[i] * out[i];
  return loss;
}

TEST(LoraBackward, MatchesFiniteDifferences) {
  const int N = 3, C = 5, OC = 4, R = 2;
  const float alpha = 4.0f;
  std::vector<float> x = random_vector(N * C, 61), W = random_vector(OC * C, 62), A = random_vector(R * C, 63),
                     Bm = random_vector(OC * R, 64);
  const std::vector<float> g = random_vector(N * OC, 65);
  std::vector<float> dx(N * C, 0.0f), dA(R * C, 0.0f), dB(OC * R, 0.0f);
  ch09::lora_backward(dx, dA, dB, g, x, W, A, Bm, alpha, N, C, OC, R);
  const float h = 1e-3f;
  auto check = [&](std::vector<float>& p, const std::vector<float>& grad, const char* name) {
    for (size_t i = 0; i < p.size(); ++i) {
      const float keep = p[i];
      p[i] = keep + h;
      const double up = lora_loss(g, x, W, A, Bm, alpha, N, C, OC, R);
      p[i] = keep - h;
      const double down = lora_loss(g, x, W, A, Bm, alpha, N, C, OC, R);
      p[i] = keep;
      EXPECT_NEAR(grad[i], (up - down) / (2 * h), 2e-3 * (1 + std::fabs(grad[i]))) << name << "[" << i << "]";
    }
  };
  check(x, dx, "dx");
  check(A, dA, "dA");
  check(Bm, dB, "dB");
}

TEST(LoraBackward, AtTheStartOnlyBLearns) {
  // B = 0: A's gradient goes through B, so it is zero; B's is not; dx is the frozen layer's alone
  const int N = 2, C = 3, OC = 2, R = 1;
  const std::vector<float> x = random_vector(N * C, 71), W = random_vector(OC * C, 72), A = random_vector(R * C, 73);
  const std::vector<float> g = random_vector(N * OC, 74);
  std::vector<float> dx(N * C, 0.0f), dA(R * C, 0.0f), dB(OC * R, 0.0f);
  ch09::lora_backward(dx, dA, dB, g, x, W, A, std::vector<float>(OC * R, 0.0f), 2.0f, N, C, OC, R);
  for (float v : dA) EXPECT_EQ(v, 0.0f) << "dA = (alpha / R) · (g · B)ᵀ · x, and B is 0";
  double dB_size = 0;
  for (float v : dB) dB_size += std::fabs(v);
  EXPECT_GT(dB_size, 0.0) << "B's gradient, (alpha / R) · gᵀ · (x · Aᵀ), is not zero: B moves first";
  for (int row = 0; row < N; ++row)
    for (int ch = 0; ch < C; ++ch) {
      double want = 0;
      for (int unit = 0; unit < OC; ++unit) want += double(g[size_t(row) * OC + unit]) * W[size_t(unit) * C + ch];
      EXPECT_NEAR(dx[size_t(row) * C + ch], want, 1e-5) << "dx[" << row << ", " << ch << "]";
    }
}

TEST(LoraBackward, Accumulates) {
  // N = C = OC = R = 1: out = x · (w + (alpha / R) · b · a), with x 2, w 1, a 3, b 0.5, alpha 2
  std::vector<float> dx = {1}, dA = {1}, dB = {1};
  ch09::lora_backward(dx, dA, dB, {1}, {2}, {1}, {3}, {0.5f}, 2.0f, 1, 1, 1, 1);
  EXPECT_NEAR(dx[0], 1 + 1 + 2 * 0.5 * 3, 1e-6) << "+= w + (alpha / R) · b · a";
  EXPECT_NEAR(dA[0], 1 + 2 * 0.5 * 2, 1e-6) << "+= (alpha / R) · b · x";
  EXPECT_NEAR(dB[0], 1 + 2 * 3 * 2, 1e-6) << "+= (alpha / R) · (x · a)";
}

}  // namespace
