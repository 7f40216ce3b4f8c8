// Tests for chapter 03's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "tasks.hpp"

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// ---- stable_softmax ----

TEST(StableSoftmax, SmallKnownValues) {
  const float logits[2] = {0.0f, std::log(3.0f)};
  float probs[2];
  ch03::stable_softmax(logits, probs, 2);
  EXPECT_NEAR(probs[0], 0.25f, 1e-6f) << "softmax(0, ln 3) = (1, 3) / 4";
  EXPECT_NEAR(probs[1], 0.75f, 1e-6f) << "softmax(0, ln 3) = (1, 3) / 4";
}

TEST(StableSoftmax, HugeAndTinyLogitsDoNotOverflow) {
  for (float offset : {1000.0f, -1000.0f}) {
    const float logits[3] = {offset, offset + std::log(3.0f), offset - 200.0f};
    float probs[3];
    ch03::stable_softmax(logits, probs, 3);
    EXPECT_NEAR(probs[0], 0.25f, 1e-4f) << "adding " << offset << " to every logit must not change softmax";
    EXPECT_NEAR(probs[1], 0.75f, 1e-4f) << "adding " << offset << " to every logit must not change softmax";
    EXPECT_EQ(probs[2], 0.0f) << "exp(-200) relative to the others is 0 in float32";
  }
  // The largest logit is not the first one: subtract the maximum, not logits[0].
  const float logits[2] = {0.0f, 1000.0f};
  float probs[2];
  ch03::stable_softmax(logits, probs, 2);
  EXPECT_NEAR(probs[1], 1.0f, 1e-6f) << "softmax(0, 1000) is (0, 1): exp(1000) overflows unless the max is subtracted";
  EXPECT_NEAR(probs[0], 0.0f, 1e-6f);
}

TEST(StableSoftmax, SingleValueAndMinusInfinity) {
  float one[1] = {42.0f}, p1[1];
  ch03::stable_softmax(one, p1, 1);
  EXPECT_EQ(p1[0], 1.0f) << "one value gets all the probability";
  const float masked[3] = {1.0f, 2.0f, -kInf};
  float p3[3];
  ch03::stable_softmax(masked, p3, 3);
  EXPECT_EQ(p3[2], 0.0f) << "a -infinity logit (a masked position) gets probability exactly 0";
  EXPECT_NEAR(p3[0] + p3[1], 1.0f, 1e-6f) << "the rest still sums to 1";
}

// ---- causal_mask ----

TEST(CausalMask, HidesExactlyTheFuture) {
  const int T = 4;
  std::vector<float> scores(T * T);
  for (int i = 0; i < T * T; ++i) scores[i] = static_cast<float>(i);
  ch03::causal_mask(scores.data(), T);
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < T; ++s) {
      if (s > t)
        ASSERT_EQ(scores[t * T + s], -kInf) << "query " << t << " must not see the later key " << s;
      else
        EXPECT_EQ(scores[t * T + s], static_cast<float>(t * T + s))
            << "query " << t << " may see key " << s << ": leave its score alone";
    }
}

TEST(CausalMask, OneByOneHasNothingToHide) {
  float score = 3.5f;
  ch03::causal_mask(&score, 1);
  EXPECT_EQ(score, 3.5f) << "a single position sees only itself";
  std::vector<float> two = {1, 2, 3, 4};
  ch03::causal_mask(two.data(), 2);
  EXPECT_EQ(two[1], -kInf) << "in a 2x2 score matrix only (0, 1) is in the future";
}

// ---- single_head_attention ----

TEST(SingleHeadAttention, TwoPositionsByHand) {
  // hs = 1 (scale 1/sqrt(1) = 1), T = 2, q = (1, 1), k = (0, ln 3), v = (10, 20).
  // Row 1's scores are (1*0, 1*ln 3) = (0, ln 3): probabilities (1/4, 3/4).
  const float q[2] = {1.0f, 1.0f}, k[2] = {0.0f, std::log(3.0f)}, v[2] = {10.0f, 20.0f};
  float att[4], out[2];
  ch03::single_head_attention(q, k, v, att, out, 2, 1);
  EXPECT_NEAR(out[0], 10.0f, 1e-5f) << "position 0 can only attend to itself, so it copies v[0]";
  EXPECT_NEAR(out[1], 0.25f * 10.0f + 0.75f * 20.0f, 1e-4f) << "position 1 mixes v with weights (1/4, 3/4)";
  EXPECT_EQ(att[1], 0.0f) << "att(0, 1) is in the future: probability 0";
  EXPECT_NEAR(att[2], 0.25f, 1e-6f) << "att(1, 0)";
  EXPECT_NEAR(att[3], 0.75f, 1e-6f) << "att(1, 1)";
}

TEST(SingleHeadAttention, MatchesTheLibraryOnRandomInputs) {
  // The library's attention_forward (checked against PyTorch in tests/unit/nn) with one head: q, k, v are
  // packed side by side into qkv[T, 3*hs] the way GPT-2's c_attn lays them out.
  const int T = 6, hs = 8;
  minillm::Rng rng(3);
  std::vector<float> q(T * hs), k(T * hs), v(T * hs);
  rng.fill_normal(q, 0.0f, 1.0f);
  rng.fill_normal(k, 0.0f, 1.0f);
  rng.fill_normal(v, 0.0f, 1.0f);
  std::vector<float> qkv(T * 3 * hs);
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < hs; ++i) {
      qkv[t * 3 * hs + i] = q[t * hs + i];
      qkv[t * 3 * hs + hs + i] = k[t * hs + i];
      qkv[t * 3 * hs + 2 * hs + i] = v[t * hs + i];
    }
  std::vector<float> want(T * hs), preatt(T * T), want_att(T * T);
  minillm::attention_forward(want.data(), preatt.data(), want_att.data(), qkv.data(), 1, T, hs, 1);
  std::vector<float> att(T * T), out(T * hs);
  ch03::single_head_attention(q.data(), k.data(), v.data(), att.data(), out.data(), T, hs);
  for (int i = 0; i < T * T; ++i)
    ASSERT_NEAR(att[i], want_att[i], 1e-5f) << "att(" << i / T << ", " << i % T << "): did you scale by 1/sqrt(hs)?";
  for (int i = 0; i < T * hs; ++i)
    ASSERT_NEAR(out[i], want[i], 1e-4f) << "out(" << i / hs << ", " << i % hs << ")";
}

}  // namespace
