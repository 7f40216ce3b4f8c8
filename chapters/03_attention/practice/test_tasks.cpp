// Tests for chapter 03's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "nn/softmax.hpp"
#include "tasks.hpp"

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// ---- stable_softmax ----

TEST(StableSoftmax, SmallKnownValues) {
  const float logits[2] = {0.0f, std::log(3.0f)};
  float probs[2];
  ch03::stable_softmax(probs, logits, 2);
  EXPECT_NEAR(probs[0], 0.25f, 1e-6f) << "softmax(0, ln 3) = (1, 3) / 4";
  EXPECT_NEAR(probs[1], 0.75f, 1e-6f) << "softmax(0, ln 3) = (1, 3) / 4";
}

TEST(StableSoftmax, TheLessonsWorkedExample) {
  // How It Works, step 4: exp(2, 1, 0) = (7.389056, 2.718282, 1), sum 11.107338, so
  // softmax(2, 1, 0) = (0.665241, 0.244728, 0.090031); the same for (1002, 1001, 1000).
  for (float offset : {0.0f, 1000.0f}) {
    const float logits[3] = {offset + 2.0f, offset + 1.0f, offset};
    float probs[3];
    ch03::stable_softmax(probs, logits, 3);
    EXPECT_NEAR(probs[0], 0.665241f, 1e-5f) << "softmax(" << logits[0] << ", " << logits[1] << ", " << logits[2] << ")[0]";
    EXPECT_NEAR(probs[1], 0.244728f, 1e-5f) << "softmax(" << logits[0] << ", " << logits[1] << ", " << logits[2] << ")[1]";
    EXPECT_NEAR(probs[2], 0.090031f, 1e-5f) << "softmax(" << logits[0] << ", " << logits[1] << ", " << logits[2] << ")[2]";
  }
}

TEST(StableSoftmax, HugeAndTinyLogitsDoNotOverflow) {
  for (float offset : {1000.0f, -1000.0f}) {
    const float logits[3] = {offset, offset + std::log(3.0f), offset - 200.0f};
    float probs[3];
    ch03::stable_softmax(probs, logits, 3);
    EXPECT_NEAR(probs[0], 0.25f, 1e-4f) << "adding " << offset << " to every logit must not change softmax";
    EXPECT_NEAR(probs[1], 0.75f, 1e-4f) << "adding " << offset << " to every logit must not change softmax";
    EXPECT_EQ(probs[2], 0.0f) << "exp(-200) relative to the others is 0 in float32";
  }
  // The largest logit is not the first one: subtract the maximum, not logits[0].
  const float logits[2] = {0.0f, 1000.0f};
  float probs[2];
  ch03::stable_softmax(probs, logits, 2);
  EXPECT_NEAR(probs[1], 1.0f, 1e-6f) << "softmax(0, 1000) is (0, 1): exp(1000) overflows unless the max is subtracted";
  EXPECT_NEAR(probs[0], 0.0f, 1e-6f);
}

TEST(StableSoftmax, SingleValueAndMinusInfinity) {
  float one[1] = {42.0f}, p1[1];
  ch03::stable_softmax(p1, one, 1);
  EXPECT_EQ(p1[0], 1.0f) << "one value gets all the probability";
  const float masked[3] = {1.0f, 2.0f, -kInf};
  float p3[3];
  ch03::stable_softmax(p3, masked, 3);
  EXPECT_EQ(p3[2], 0.0f) << "a -infinity logit (a masked position) gets probability exactly 0";
  EXPECT_NEAR(p3[0] + p3[1], 1.0f, 1e-6f) << "the rest still sums to 1";
}

// ---- causal_mask ----

TEST(CausalMask, HidesExactlyTheFuture) {
  const int T = 4;
  std::vector<float> scores(T * T);
  for (int i = 0; i < T * T; i++) scores[i] = static_cast<float>(i);
  ch03::causal_mask(scores.data(), T);
  for (int t = 0; t < T; t++)
    for (int s = 0; s < T; s++) {
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

// ---- sliding_window_mask ----

// scores[T, T] whose entry (t, s) holds its own offset t * T + s, so a test can see what was left alone.
std::vector<float> labelled_scores(int T) {
  std::vector<float> scores(static_cast<size_t>(T) * T);
  for (size_t at = 0; at < scores.size(); at++) scores[at] = static_cast<float>(at);
  return scores;
}

TEST(SlidingWindowMask, WindowOfTwoByHand) {
  // T = 4, window = 2: query t sees keys t - 1 and t (only key 0 at t = 0). Worked out by hand:
  //   row 0: [ 0  -   -   - ]    row 1: [ 4  5  -   - ]
  //   row 2: [ -  9  10   - ]    row 3: [ -  -  14 15 ]
  std::vector<float> scores = labelled_scores(4);
  ch03::sliding_window_mask(scores.data(), 4, 2);
  const std::vector<float> want = {0, -kInf, -kInf, -kInf, 4, 5, -kInf, -kInf, -kInf, 9, 10, -kInf, -kInf, -kInf, 14, 15};
  EXPECT_EQ(scores, want) << "window 2: each query keeps itself and the key just before it; "
                             "the future and keys 2 or more steps back become -inf";
}

TEST(SlidingWindowMask, WindowOfOneKeepsOnlyTheDiagonal) {
  std::vector<float> scores = labelled_scores(3);
  ch03::sliding_window_mask(scores.data(), 3, 1);
  EXPECT_EQ(scores, (std::vector<float>{0, -kInf, -kInf, -kInf, 4, -kInf, -kInf, -kInf, 8}))
      << "window 1: every query sees only its own key";
}

TEST(SlidingWindowMask, AWindowAsLongAsTheSequenceIsTheCausalMask) {
  const std::vector<float> causal = {0, -kInf, -kInf, 3, 4, -kInf, 6, 7, 8};  // worked out by hand, T = 3
  for (int window : {3, 10}) {
    std::vector<float> scores = labelled_scores(3);
    ch03::sliding_window_mask(scores.data(), 3, window);
    EXPECT_EQ(scores, causal) << "window " << window << " >= T = 3: nothing is too far back, only the future is hidden";
  }
}

// ---- alibi_scores ----

TEST(AlibiScores, ZeroScoresBecomeMinusTheDistance) {
  // All scores 0, slope 0.5: entry (t, s) becomes -0.5 * (t - s) for s <= t, -inf for s > t.
  std::vector<float> scores(9, 0.0f);
  ch03::alibi_scores(scores.data(), 3, 0.5f);
  EXPECT_EQ(scores, (std::vector<float>{0, -kInf, -kInf, -0.5f, 0, -kInf, -1.0f, -0.5f, 0}))
      << "slope 0.5: one step back costs 0.5, two steps back 1.0; the diagonal keeps 0; the future is -inf";
}

TEST(AlibiScores, ThePenaltyIsSubtractedFromTheScores) {
  // Scores labelled 0..8 (T = 3), slope 2: row 1 = (3 - 2, 4), row 2 = (6 - 4, 7 - 2, 8).
  std::vector<float> scores = labelled_scores(3);
  ch03::alibi_scores(scores.data(), 3, 2.0f);
  EXPECT_EQ(scores, (std::vector<float>{0, -kInf, -kInf, 1, 4, -kInf, 2, 5, 8}))
      << "the distance penalty is subtracted from the score that was there, it does not replace it";
}

TEST(AlibiScores, SlopeZeroIsTheCausalMaskAndLnTwoHalvesPerStep) {
  std::vector<float> scores = labelled_scores(3);
  ch03::alibi_scores(scores.data(), 3, 0.0f);
  EXPECT_EQ(scores, (std::vector<float>{0, -kInf, -kInf, 3, 4, -kInf, 6, 7, 8})) << "slope 0: only the mask is left";
  // With slope ln 2 each step back multiplies exp(score) by 1/2: row 2 of all-zero scores then gets the
  // attention (1, 2, 4) / 7 after a softmax.
  std::vector<float> zeros(9, 0.0f);
  ch03::alibi_scores(zeros.data(), 3, std::log(2.0f));
  EXPECT_NEAR(std::exp(zeros[6] - zeros[8]), 0.25f, 1e-6f) << "two steps back: exp(-2 ln 2) = 1/4 of the diagonal's weight";
  EXPECT_NEAR(std::exp(zeros[7] - zeros[8]), 0.5f, 1e-6f) << "one step back: exp(-ln 2) = 1/2 of the diagonal's weight";
}

// ---- single_head_attention ----

TEST(SingleHeadAttention, TwoPositionsByHand) {
  // hs = 1 (scale 1/sqrt(1) = 1), T = 2, q = (1, 1), k = (0, ln 3), v = (10, 20).
  // Row 1's scores are (1*0, 1*ln 3) = (0, ln 3): probabilities (1/4, 3/4).
  const float q[2] = {1.0f, 1.0f}, k[2] = {0.0f, std::log(3.0f)}, v[2] = {10.0f, 20.0f};
  float att[4], out[2];
  ch03::single_head_attention(out, att, q, k, v, 2, 1);
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
  for (int t = 0; t < T; t++)
    for (int i = 0; i < hs; i++) {
      qkv[t * 3 * hs + i] = q[t * hs + i];
      qkv[t * 3 * hs + hs + i] = k[t * hs + i];
      qkv[t * 3 * hs + 2 * hs + i] = v[t * hs + i];
    }
  std::vector<float> want(T * hs), preatt(T * T), want_att(T * T);
  minillm::attention_forward(want.data(), preatt.data(), want_att.data(), qkv.data(), 1, T, hs, 1);
  std::vector<float> att(T * T), out(T * hs);
  ch03::single_head_attention(out.data(), att.data(), q.data(), k.data(), v.data(), T, hs);
  for (int i = 0; i < T * T; i++)
    ASSERT_NEAR(att[i], want_att[i], 1e-5f) << "att(" << i / T << ", " << i % T << "): did you scale by 1/sqrt(hs)?";
  for (int i = 0; i < T * hs; i++)
    ASSERT_NEAR(out[i], want[i], 1e-4f) << "out(" << i / hs << ", " << i % hs << ")";
}

std::vector<float> normal_values(int count, uint64_t seed) {
  minillm::Rng rng(seed);
  std::vector<float> values(static_cast<size_t>(count));
  rng.fill_normal(values, 0.0f, 1.0f);
  return values;
}

// softmax of one row in double, written out here so the tests do not depend on the task's own softmax.
std::vector<double> softmax64(const std::vector<double>& z) {
  double max = z[0];
  for (double x : z) max = std::max(max, x);
  std::vector<double> p(z.size());
  double sum = 0.0;
  for (size_t i = 0; i < z.size(); i++) sum += (p[i] = std::exp(z[i] - max));
  for (double& x : p) x /= sum;
  return p;
}

// ---- softmax_backward ----

TEST(SoftmaxBackward, TwoValuesByHand) {
  // probs = (1/4, 3/4) and dprobs = (1, 0): the loss is probs[0]. sum_i dprobs_i p_i = 1/4, so
  // dlogits = (1/4 * (1 - 1/4), 3/4 * (0 - 1/4)) = (3/16, -3/16): raising logit 0 raises probs[0].
  const float probs[2] = {0.25f, 0.75f}, dprobs[2] = {1.0f, 0.0f};
  float dlogits[2] = {0.0f, 0.0f};
  ch03::softmax_backward(dlogits, probs, dprobs, 2);
  EXPECT_NEAR(dlogits[0], 0.1875f, 1e-6f) << "d probs[0] / d logits[0] = p0 (1 - p0) = 3/16";
  EXPECT_NEAR(dlogits[1], -0.1875f, 1e-6f) << "d probs[0] / d logits[1] = -p0 p1 = -3/16: the other logit counts too";
}

TEST(SoftmaxBackward, AnEqualGradientOnEveryProbabilityChangesNothing) {
  // The probabilities always sum to 1, so a loss that weighs them all equally is constant: zero gradient.
  const float probs[3] = {0.2f, 0.5f, 0.3f}, dprobs[3] = {2.0f, 2.0f, 2.0f};
  float dlogits[3] = {1.0f, 1.0f, 1.0f};
  ch03::softmax_backward(dlogits, probs, dprobs, 3);
  for (int i = 0; i < 3; i++)
    EXPECT_NEAR(dlogits[i], 1.0f, 1e-6f) << "dlogits[" << i << "]: it started at 1 and must be ADDED 0 to";
}

TEST(SoftmaxBackward, MatchesFiniteDifferencesAndTheLibrary) {
  const int n = 7;
  const std::vector<float> logits = normal_values(n, 21), dprobs = normal_values(n, 22);
  std::vector<double> z(logits.begin(), logits.end());
  const std::vector<double> p64 = softmax64(z);
  const std::vector<float> probs(p64.begin(), p64.end());
  std::vector<float> dlogits(n + 1, 0.0f), library(n, 0.0f);
  dlogits[n] = -777.0f;
  ch03::softmax_backward(dlogits.data(), probs.data(), dprobs.data(), n);
  minillm::softmax_backward(library.data(), probs.data(), dprobs.data(), 1, n);
  EXPECT_EQ(dlogits[n], -777.0f) << "dlogits has n values: nothing may be written past them";
  // loss(z) = sum_i dprobs_i softmax(z)_i, differentiated by central differences in double.
  const auto loss = [&](const std::vector<double>& zz) {
    const std::vector<double> pp = softmax64(zz);
    double total = 0.0;
    for (int i = 0; i < n; i++) total += dprobs[i] * pp[i];
    return total;
  };
  const double h = 1e-5;
  for (int j = 0; j < n; j++) {
    std::vector<double> up = z, down = z;
    up[j] += h;
    down[j] -= h;
    EXPECT_NEAR(dlogits[j], (loss(up) - loss(down)) / (2 * h), 1e-5) << "dlogits[" << j << "] vs finite differences";
    EXPECT_NEAR(dlogits[j], library[j], 1e-6) << "dlogits[" << j << "] vs the library's softmax_backward";
  }
}

// ---- split_heads / merge_heads ----

// qkv[T, 3C] whose every number says where it came from: 1000 * t + channel.
std::vector<float> labelled_qkv(int T, int C) {
  std::vector<float> qkv(static_cast<size_t>(T) * 3 * C);
  for (int t = 0; t < T; t++)
    for (int c = 0; c < 3 * C; c++) qkv[t * 3 * C + c] = static_cast<float>(1000 * t + c);
  return qkv;
}

TEST(SplitHeads, TwoHeadsByHand) {
  // T = 2, C = 4, NH = 2, hs = 2. Row t of qkv holds channels 0..11: q = 0..3, k = 4..7, v = 8..11;
  // head 0 owns the first two of each part, head 1 the last two.
  const int T = 2, C = 4, NH = 2;
  const std::vector<float> qkv = labelled_qkv(T, C);
  std::vector<float> q(8), k(8), v(8);
  ch03::split_heads(q.data(), k.data(), v.data(), qkv.data(), T, C, NH);
  EXPECT_EQ(q, (std::vector<float>{0, 1, 1000, 1001, 2, 3, 1002, 1003}))
      << "q[h, t, :]: head 0 is channels 0-1 of rows 0 and 1, then head 1 is channels 2-3";
  EXPECT_EQ(k, (std::vector<float>{4, 5, 1004, 1005, 6, 7, 1006, 1007})) << "keys start at channel C = 4";
  EXPECT_EQ(v, (std::vector<float>{8, 9, 1008, 1009, 10, 11, 1010, 1011})) << "values start at channel 2C = 8";
}

TEST(SplitHeads, EveryNumberLandsInItsHead) {
  const int T = 3, C = 12, NH = 3, hs = 4;
  const std::vector<float> qkv = labelled_qkv(T, C);
  std::vector<float> q(T * C + 1, -1.0f), k(T * C + 1, -1.0f), v(T * C + 1, -1.0f);
  ch03::split_heads(q.data(), k.data(), v.data(), qkv.data(), T, C, NH);
  for (int at = 0; at < T * C; at++) {  // q, k, v are [NH, T, hs]: decode the flat index into (h, t, i)
    const int h = at / (T * hs), t = at / hs % T, i = at % hs;
    ASSERT_EQ(q[at], 1000 * t + h * hs + i) << "q[" << h << ", " << t << ", " << i << "]";
    ASSERT_EQ(k[at], 1000 * t + C + h * hs + i) << "k[" << h << ", " << t << ", " << i << "]";
    ASSERT_EQ(v[at], 1000 * t + 2 * C + h * hs + i) << "v[" << h << ", " << t << ", " << i << "]";
  }
  EXPECT_EQ(q[T * C], -1.0f) << "q is [NH, T, hs] = T*C numbers: nothing may be written past it";
}

TEST(MergeHeads, TwoHeadsByHand) {
  // heads[2, 2, 2] = head 0: rows (1, 2), (3, 4); head 1: rows (5, 6), (7, 8). Row t of out is head 0's row t
  // followed by head 1's row t.
  const std::vector<float> heads = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<float> out(8, 0.0f);
  ch03::merge_heads(out.data(), heads.data(), 2, 4, 2);
  EXPECT_EQ(out, (std::vector<float>{1, 2, 5, 6, 3, 4, 7, 8}));
}

TEST(MergeHeads, HeadsSideBySideGiveTheLibrarysMultiHeadAttention) {
  // Each head's attention computed here by a plain double-precision loop on the heads cut out of qkv; merged
  // side by side, they must equal the library's multi-head attention_forward (checked against PyTorch).
  const int T = 5, C = 12, NH = 3, hs = 4;
  const std::vector<float> qkv = normal_values(T * 3 * C, 23);
  std::vector<float> heads(NH * T * hs);
  for (int h = 0; h < NH; h++)
    for (int t = 0; t < T; t++) {
      std::vector<double> scores(t + 1);
      for (int s = 0; s <= t; s++) {
        double dot = 0.0;
        for (int c = h * hs; c < (h + 1) * hs; c++) dot += double(qkv[t * 3 * C + c]) * qkv[s * 3 * C + C + c];
        scores[s] = dot / std::sqrt(double(hs));
      }
      const std::vector<double> p = softmax64(scores);
      for (int i = 0; i < hs; i++) {
        double sum = 0.0;
        for (int s = 0; s <= t; s++) sum += p[s] * qkv[s * 3 * C + 2 * C + h * hs + i];
        heads[(h * T + t) * hs + i] = static_cast<float>(sum);
      }
    }
  std::vector<float> out(T * C + 1, 0.0f), want(T * C), preatt(NH * T * T), att(NH * T * T);
  out[T * C] = -777.0f;
  ch03::merge_heads(out.data(), heads.data(), T, C, NH);
  minillm::attention_forward(want.data(), preatt.data(), att.data(), qkv.data(), 1, T, C, NH);
  for (int i = 0; i < T * C; i++) ASSERT_NEAR(out[i], want[i], 1e-5f) << "out(" << i / C << ", " << i % C << ")";
  EXPECT_EQ(out[T * C], -777.0f) << "out is [T, C]: nothing may be written past it";
}

// ---- single_head_attention_backward ----

// One head's output in double (T, hs as the task), for finite differences.
std::vector<double> attention64(const std::vector<double>& q, const std::vector<double>& k, const std::vector<double>& v,
                                int T, int hs) {
  std::vector<double> out(static_cast<size_t>(T) * hs, 0.0);
  for (int t = 0; t < T; t++) {
    std::vector<double> scores(t + 1);
    for (int s = 0; s <= t; s++) {
      const double dot = std::inner_product(q.begin() + t * hs, q.begin() + (t + 1) * hs, k.begin() + s * hs, 0.0);
      scores[s] = dot / std::sqrt(double(hs));
    }
    const std::vector<double> p = softmax64(scores);
    for (int s = 0; s <= t; s++)
      for (int i = 0; i < hs; i++) out[t * hs + i] += p[s] * v[s * hs + i];
  }
  return out;
}

// Probabilities att[T, T] in float, from the double reference (0 above the diagonal).
std::vector<float> attention_probs(const std::vector<float>& q, const std::vector<float>& k, int T, int hs) {
  std::vector<float> att(static_cast<size_t>(T) * T, 0.0f);
  for (int t = 0; t < T; t++) {
    std::vector<double> scores(t + 1);
    for (int s = 0; s <= t; s++) {
      const double dot = std::inner_product(q.begin() + t * hs, q.begin() + (t + 1) * hs, k.begin() + s * hs, 0.0,
                                            std::plus<>(), [](float a, float b) { return double(a) * b; });
      scores[s] = dot / std::sqrt(double(hs));
    }
    const std::vector<double> p = softmax64(scores);
    for (int s = 0; s <= t; s++) att[t * T + s] = static_cast<float>(p[s]);
  }
  return att;
}

TEST(SingleHeadAttentionBackward, OnePositionCopiesItsValue) {
  // T = 1: the only probability is 1 whatever q and k are, so out = v: dv = dout and dq = dk = 0.
  const float q[2] = {0.5f, -1.0f}, k[2] = {2.0f, 1.0f}, v[2] = {3.0f, 4.0f}, att[1] = {1.0f}, dout[2] = {1.0f, -2.0f};
  float dq[2] = {0, 0}, dk[2] = {0, 0}, dv[2] = {10, 10};
  ch03::single_head_attention_backward(dq, dk, dv, dout, q, k, v, att, 1, 2);
  EXPECT_NEAR(dv[0], 11.0f, 1e-6f) << "dv = dout ADDED to what dv held (10)";
  EXPECT_NEAR(dv[1], 8.0f, 1e-6f) << "dv = dout ADDED to what dv held (10)";
  for (int i = 0; i < 2; i++) {
    EXPECT_NEAR(dq[i], 0.0f, 1e-6f) << "a softmax over one score is always 1: q has no influence";
    EXPECT_NEAR(dk[i], 0.0f, 1e-6f) << "a softmax over one score is always 1: k has no influence";
  }
}

TEST(SingleHeadAttentionBackward, MatchesFiniteDifferences) {
  const int T = 4, hs = 3;
  const std::vector<float> q = normal_values(T * hs, 24), k = normal_values(T * hs, 25), v = normal_values(T * hs, 26);
  const std::vector<float> dout = normal_values(T * hs, 27), att = attention_probs(q, k, T, hs);
  std::vector<float> dq(T * hs, 0.0f), dk(T * hs, 0.0f), dv(T * hs, 0.0f);
  ch03::single_head_attention_backward(dq.data(), dk.data(), dv.data(), dout.data(), q.data(), k.data(), v.data(),
                                       att.data(), T, hs);
  std::vector<double> x[3] = {{q.begin(), q.end()}, {k.begin(), k.end()}, {v.begin(), v.end()}};
  const std::vector<float>* analytic[3] = {&dq, &dk, &dv};
  const char* names[3] = {"dq", "dk", "dv"};
  const auto loss = [&] {
    const std::vector<double> out = attention64(x[0], x[1], x[2], T, hs);
    double total = 0.0;
    for (int i = 0; i < T * hs; i++) total += out[i] * dout[i];
    return total;
  };
  const double h = 1e-5;
  for (int which = 0; which < 3; which++)
    for (int i = 0; i < T * hs; i++) {
      const double saved = x[which][i];
      x[which][i] = saved + h;
      const double up = loss();
      x[which][i] = saved - h;
      const double down = loss();
      x[which][i] = saved;
      EXPECT_NEAR((*analytic[which])[i], (up - down) / (2 * h), 1e-4)
          << names[which] << "(" << i / hs << ", " << i % hs << ") vs finite differences";
    }
}

TEST(SingleHeadAttentionBackward, MatchesTheLibraryAndAccumulates) {
  // The library's attention_backward with one head (q, k, v packed into qkv[T, 3hs] as c_attn lays them out).
  const int T = 6, hs = 4;
  const std::vector<float> q = normal_values(T * hs, 28), k = normal_values(T * hs, 29), v = normal_values(T * hs, 30);
  const std::vector<float> dout = normal_values(T * hs, 31);
  std::vector<float> qkv(T * 3 * hs);
  for (int t = 0; t < T; t++)
    for (int i = 0; i < hs; i++) {
      qkv[t * 3 * hs + i] = q[t * hs + i];
      qkv[t * 3 * hs + hs + i] = k[t * hs + i];
      qkv[t * 3 * hs + 2 * hs + i] = v[t * hs + i];
    }
  std::vector<float> out(T * hs), preatt(T * T), att(T * T), dqkv(T * 3 * hs, 0.0f), dpreatt(T * T), datt(T * T);
  minillm::attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), 1, T, hs, 1);
  minillm::attention_backward(dqkv.data(), dpreatt.data(), datt.data(), dout.data(), qkv.data(), att.data(), 1, T, hs, 1);
  std::vector<float> dq(T * hs, 1.0f), dk(T * hs, 1.0f), dv(T * hs, 1.0f);  // start at 1: the task must add
  ch03::single_head_attention_backward(dq.data(), dk.data(), dv.data(), dout.data(), q.data(), k.data(), v.data(),
                                       att.data(), T, hs);
  for (int t = 0; t < T; t++)
    for (int i = 0; i < hs; i++) {
      ASSERT_NEAR(dq[t * hs + i], 1.0f + dqkv[t * 3 * hs + i], 1e-4f) << "dq(" << t << ", " << i << ") (started at 1)";
      ASSERT_NEAR(dk[t * hs + i], 1.0f + dqkv[t * 3 * hs + hs + i], 1e-4f) << "dk(" << t << ", " << i << ") (started at 1)";
      ASSERT_NEAR(dv[t * hs + i], 1.0f + dqkv[t * 3 * hs + 2 * hs + i], 1e-4f) << "dv(" << t << ", " << i << ") (started at 1)";
    }
}

// ---- multi_head_attention ----

TEST(MultiHeadAttention, OneHeadIsTheSingleHead) {
  // B = 1, NH = 1: the "heads" are the whole q, k, v. With hs = 1, T = 2, q = (1, 1), k = (0, ln 3),
  // v = (10, 20) (as in SingleHeadAttention.TwoPositionsByHand): out = (10, 0.25 * 10 + 0.75 * 20).
  const float qkv[6] = {1.0f, 0.0f, 10.0f, 1.0f, std::log(3.0f), 20.0f};  // rows (q, k, v) for t = 0, 1
  float preatt[4], att[4], out[2];
  ch03::multi_head_attention(out, preatt, att, qkv, 1, 2, 1, 1);
  EXPECT_NEAR(out[0], 10.0f, 1e-5f) << "position 0 attends only to itself";
  EXPECT_NEAR(out[1], 17.5f, 1e-4f) << "position 1 mixes v with weights (1/4, 3/4)";
  EXPECT_NEAR(att[2], 0.25f, 1e-6f) << "att(1, 0)";
  EXPECT_NEAR(preatt[3], std::log(3.0f), 1e-6f) << "preatt(1, 1) = q1 · k1 / sqrt(1)";
}

// The library's attention_forward (checked against PyTorch in tests/unit/nn) on the same qkv: out, att and
// the causal part of preatt (above the diagonal both must be masked: -infinity).
void expect_matches_library(int B, int T, int C, int NH) {
  const std::vector<float> qkv = normal_values(B * T * 3 * C, 32);
  const int squares = B * NH * T * T;
  std::vector<float> want(B * T * C), want_preatt(squares), want_att(squares);
  minillm::attention_forward(want.data(), want_preatt.data(), want_att.data(), qkv.data(), B, T, C, NH);
  std::vector<float> preatt(squares + 1, -777.0f), att(squares + 1, -777.0f), out(B * T * C + 1, -777.0f);
  ch03::multi_head_attention(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  for (int i = 0; i < squares; i++) {
    const int t = i % (T * T) / T, s = i % T;
    const std::string where = "head " + std::to_string(i / (T * T) % NH) + " of sequence " +
                              std::to_string(i / (NH * T * T)) + " at (" + std::to_string(t) + ", " +
                              std::to_string(s) + ")";
    ASSERT_NEAR(att[i], want_att[i], 1e-5f) << "att of " << where;
    if (s <= t) ASSERT_NEAR(preatt[i], want_preatt[i], 1e-4f) << "preatt of " << where;
    else ASSERT_TRUE(std::isinf(preatt[i]) && preatt[i] < 0) << "preatt of " << where << " is masked: -infinity";
  }
  for (int i = 0; i < B * T * C; i++) ASSERT_NEAR(out[i], want[i], 1e-5f) << "out(" << i / C << ", " << i % C << ")";
  EXPECT_EQ(att[squares], -777.0f) << "att is [B, NH, T, T]: nothing may be written past it";
  EXPECT_EQ(preatt[squares], -777.0f) << "preatt is [B, NH, T, T]: nothing may be written past it";
  EXPECT_EQ(out[B * T * C], -777.0f) << "out is [B, T, C]: nothing may be written past it";
}

TEST(MultiHeadAttention, MatchesTheLibrary) { expect_matches_library(1, 5, 12, 3); }

TEST(MultiHeadAttention, EachSequenceOfTheBatchOnItsOwn) { expect_matches_library(3, 4, 8, 2); }

// ---- multi_head_attention_backward ----

// Against the library's attention_backward (checked against PyTorch in tests/unit/nn) on the same inputs,
// starting from dqkv = 1 everywhere: the task must add to it.
void expect_backward_matches_library(int B, int T, int C, int NH) {
  const std::vector<float> qkv = normal_values(B * T * 3 * C, 41), dout = normal_values(B * T * C, 42);
  const int squares = B * NH * T * T;
  std::vector<float> out(B * T * C), preatt(squares), att(squares), dpreatt(squares), datt(squares);
  minillm::attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  std::vector<float> want(B * T * 3 * C, 1.0f), dqkv(B * T * 3 * C + 1, 1.0f);
  minillm::attention_backward(want.data(), dpreatt.data(), datt.data(), dout.data(), qkv.data(), att.data(), B, T,
                              C, NH);
  std::vector<float> scratch_pre(squares), scratch_att(squares);
  ch03::multi_head_attention_backward(dqkv.data(), scratch_pre.data(), scratch_att.data(), dout.data(), qkv.data(),
                                      att.data(), B, T, C, NH);
  const char* part[3] = {"dq", "dk", "dv"};
  for (int i = 0; i < B * T * 3 * C; ++i) {
    const int row = i / (3 * C), c = i % (3 * C);
    ASSERT_NEAR(dqkv[i], want[i], 1e-4f) << part[c / C] << " of sequence " << row / T << ", position " << row % T
                                         << ", channel " << c % C << " (dqkv started at 1: add to it)";
  }
  EXPECT_EQ(dqkv[B * T * 3 * C], 1.0f) << "dqkv is [B, T, 3C]: nothing may be written past it";
}

TEST(MultiHeadAttentionBackward, OneHeadMatchesTheLibrary) { expect_backward_matches_library(1, 4, 4, 1); }

TEST(MultiHeadAttentionBackward, HeadsAndSequencesMatchTheLibrary) { expect_backward_matches_library(2, 5, 12, 3); }

}  // namespace
