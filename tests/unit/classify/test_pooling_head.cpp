// The head and the two poolings against central differences of their own forward (each backward checked
// alone), the backward's accumulation, and the padding rule: pooling never reads a padded position.
#include <vector>

#include <gtest/gtest.h>

#include "../nn/check.hpp"
#include "classify/pooling_head.hpp"
#include "core/rng.hpp"

namespace minillm {
namespace {

using minillm::testing::GradCheck;

std::vector<float> random_values(size_t n, uint64_t seed) {
  std::vector<float> v(n);
  Rng rng(seed);
  rng.fill_normal(v, 0.0f, 1.0f);
  return v;
}

TEST(ClassifierHead, BackwardMatchesFiniteDifferences) {
  const int B = 3, C = 5, K = 4;
  std::vector<float> pooled = random_values(B * C, 1), weight = random_values(K * C, 2), bias = random_values(K, 3);
  std::vector<float> logits(B * K);
  GradCheck gc{[&] { classifier_head_forward(logits.data(), pooled.data(), weight.data(), bias.data(), B, C, K); },
               logits.data(), logits.size(), random_values(B * K, 4)};
  gc.forward();
  std::vector<float> dpooled(B * C, 0.0f), dweight(K * C, 0.0f), dbias(K, 0.0f);
  classifier_head_backward(dpooled.data(), dweight.data(), dbias.data(), gc.weights.data(), pooled.data(),
                           weight.data(), B, C, K);
  EXPECT_TRUE(gc.check("dpooled", pooled.data(), dpooled.data(), dpooled.size()));
  EXPECT_TRUE(gc.check("dweight", weight.data(), dweight.data(), dweight.size()));
  EXPECT_TRUE(gc.check("dbias", bias.data(), dbias.data(), dbias.size()));
}

TEST(ClassifierHead, ForwardIsTheLinearMapWrittenOut) {
  // 1 row, C = 2, K = 2: logits = bias + weight · pooled, worked by hand.
  const float pooled[] = {2, -1}, weight[] = {1, 3, -2, 0.5f}, bias[] = {0.25f, -1};
  float logits[2];
  classifier_head_forward(logits, pooled, weight, bias, 1, 2, 2);
  EXPECT_FLOAT_EQ(logits[0], 0.25f + 2 - 3);
  EXPECT_FLOAT_EQ(logits[1], -1 - 4 - 0.5f);
}

TEST(ClassifierHead, BackwardAccumulatesAndTakesNoInputGradientWhenNull) {
  const int B = 2, C = 3, K = 2;
  std::vector<float> pooled = random_values(B * C, 5), weight = random_values(K * C, 6), dlogits = random_values(B * K, 7);
  std::vector<float> once_w(K * C, 0.0f), once_b(K, 0.0f), twice_w(K * C, 0.0f), twice_b(K, 0.0f);
  classifier_head_backward(nullptr, once_w.data(), once_b.data(), dlogits.data(), pooled.data(), weight.data(), B, C, K);
  for (int i = 0; i < 2; ++i)
    classifier_head_backward(nullptr, twice_w.data(), twice_b.data(), dlogits.data(), pooled.data(), weight.data(), B,
                             C, K);
  for (int i = 0; i < K * C; ++i) EXPECT_FLOAT_EQ(twice_w[i], 2 * once_w[i]);
  for (int k = 0; k < K; ++k) EXPECT_FLOAT_EQ(twice_b[k], 2 * once_b[k]);
}

// hidden[B,T,C] with rows of 3 and 1 real tokens padded to T = 4.
struct PaddedHidden {
  static constexpr int B = 2, T = 4, C = 3;
  std::vector<float> hidden = random_values(B * T * C, 8);
  std::vector<int> lengths{3, 1};
};

TEST(Pooling, LastTokenReadsEachRowsLastRealTokenAndNoPadding) {
  PaddedHidden h;
  std::vector<float> out(h.B * h.C);
  last_token_pool_forward(out.data(), h.hidden.data(), h.lengths.data(), h.B, h.T, h.C);
  for (int c = 0; c < h.C; ++c) {
    EXPECT_EQ(out[c], h.hidden[(0 * h.T + 2) * h.C + c]);          // row 0: position 2
    EXPECT_EQ(out[h.C + c], h.hidden[(1 * h.T + 0) * h.C + c]);    // row 1: position 0
  }
}

TEST(Pooling, MeanIsOverRealTokensOnly) {
  PaddedHidden h;
  std::vector<float> out(h.B * h.C);
  mean_pool_forward(out.data(), h.hidden.data(), h.lengths.data(), h.B, h.T, h.C);
  for (int c = 0; c < h.C; ++c) {
    const float want = (h.hidden[0 * h.C + c] + h.hidden[1 * h.C + c] + h.hidden[2 * h.C + c]) / 3.0f;
    EXPECT_NEAR(out[c], want, 1e-6);
    EXPECT_EQ(out[h.C + c], h.hidden[(1 * h.T) * h.C + c]);
  }
}

TEST(Pooling, BackwardsMatchFiniteDifferencesAndLeavePaddingAtZero) {
  for (const bool mean : {false, true}) {
    PaddedHidden h;
    std::vector<float> out(h.B * h.C);
    GradCheck gc{[&] {
                   if (mean) mean_pool_forward(out.data(), h.hidden.data(), h.lengths.data(), h.B, h.T, h.C);
                   else last_token_pool_forward(out.data(), h.hidden.data(), h.lengths.data(), h.B, h.T, h.C);
                 },
                 out.data(), out.size(), random_values(h.B * h.C, 9)};
    gc.forward();
    std::vector<float> dhidden(h.hidden.size(), 0.0f);
    if (mean) mean_pool_backward(dhidden.data(), gc.weights.data(), h.lengths.data(), h.B, h.T, h.C);
    else last_token_pool_backward(dhidden.data(), gc.weights.data(), h.lengths.data(), h.B, h.T, h.C);
    EXPECT_TRUE(gc.check(mean ? "mean dhidden" : "last dhidden", h.hidden.data(), dhidden.data(), dhidden.size()));
    for (int b = 0; b < h.B; ++b)
      for (int t = h.lengths[b]; t < h.T; ++t)
        for (int c = 0; c < h.C; ++c) EXPECT_EQ(dhidden[(b * h.T + t) * h.C + c], 0.0f) << b << "," << t;
  }
}

}  // namespace
}  // namespace minillm
