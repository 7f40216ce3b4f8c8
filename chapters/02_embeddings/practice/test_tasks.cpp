// Chapter 02 practice tests. Run them with `./run practice 02`.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "embed/word2vec.hpp"
#include "practice/todo.hpp"
#include "tasks.hpp"

namespace ch02 {
namespace {

// A 4 x 3 table whose row r is {10r, 10r + 1, 10r + 2}.
std::vector<float> small_table() {
  std::vector<float> t;
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 3; c++) t.push_back(float(10 * r + c));
  return t;
}

TEST(LookupRows, CopiesOneRowPerId) {
  const std::vector<float> out = lookup_rows(small_table(), 4, 3, {2, 0, 2});
  EXPECT_EQ(out, (std::vector<float>{20, 21, 22, 0, 1, 2, 20, 21, 22}))
      << "ids {2, 0, 2} give rows 2, 0, 2: a [3, 3] result";
}

TEST(LookupRows, TheSeedExampleShape) {
  // The seed lesson: a 10,000 x 300 table and ids {1, 5, 42, 999} give a [4, 300] result.
  std::vector<float> table(10000 * 300);
  for (size_t i = 0; i < table.size(); i++) table[i] = float(i % 1000) * 0.001f;
  const std::vector<float> out = lookup_rows(table, 10000, 300, {1, 5, 42, 999});
  ASSERT_EQ(out.size(), 4u * 300u) << "4 ids x 300 numbers";
  ASSERT_EQ(out[3 * 300 + 7], table[999 * 300 + 7]) << "row 3 of the result is row 999 of the table";
}

TEST(LookupRows, AnIdOutsideTheTableIsAnError) {
  try {
    lookup_rows(small_table(), 4, 3, {1, 7});
    FAIL() << "id 7 in a table of 4 rows (valid ids 0..3) must throw minillm::Error";
  } catch (const minillm::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find('7'), std::string::npos) << "the message should name the id (7): " << message;
    EXPECT_NE(message.find('4'), std::string::npos) << "and the table's size V (4): " << message;
  }
  EXPECT_THROW(lookup_rows(small_table(), 4, 3, {4}), minillm::Error) << "id V itself is one past the end";
  EXPECT_THROW(lookup_rows(small_table(), 4, 3, {-1}), minillm::Error) << "negative ids are outside too";
}

TEST(Cosine, KnownValues) {
  const std::vector<float> x = {1, 0}, y = {0, 2}, d = {3, 3}, minus = {-2, 0};
  EXPECT_NEAR(cosine(x, x), 1.0f, 1e-6) << "same direction: 1";
  EXPECT_NEAR(cosine(x, y), 0.0f, 1e-6) << "perpendicular: 0";
  EXPECT_NEAR(cosine(x, d), 0.70710678f, 1e-6) << "45 degrees: 1/sqrt(2)";
  EXPECT_NEAR(cosine(x, minus), -1.0f, 1e-6) << "opposite: -1 (length does not matter)";
  const std::vector<float> zero = {0, 0};
  EXPECT_THROW(cosine(x, zero), minillm::Error) << "a zero vector has no direction";
}

TEST(ClosestRow, FindsTheMostSimilarOtherRow) {
  // cat and dog point the same way, car elsewhere.
  const std::vector<float> table = {1.0f, 0.1f,   // 0 cat
                                    0.0f, 1.0f,   // 1 car
                                    2.0f, 0.3f};  // 2 dog
  EXPECT_EQ(closest_row(table, 3, 2, 0), 2) << "cat's closest is dog, not itself";
  EXPECT_EQ(closest_row(table, 3, 2, 1), 2) << "car (0, 1): dog's angle to it is smaller than cat's";
  // Similarity is the angle, not the dot product: a long vector pointing elsewhere is not close.
  const std::vector<float> lengths = {1.0f, 0.0f,    // 0 short, pointing right
                                      0.9f, 0.1f,    // 1 short, almost the same direction
                                      10.0f, 10.0f}; // 2 long, 45 degrees away: the largest dot product
  EXPECT_EQ(closest_row(lengths, 3, 2, 0), 1) << "cosine picks row 1; a raw dot product would pick row 2";
}

TEST(FirstPrincipalAxis, FindsTheDirectionOfMostSpread) {
  // Points on the line y = 2x (direction (1, 2)/sqrt 5), with a little sideways wobble.
  std::vector<float> data;
  for (int i = -10; i <= 10; i++) {
    const float wobble = (i % 2 == 0 ? 0.1f : -0.1f);
    data.push_back(float(i) - 2 * wobble / std::sqrt(5.0f) + 3);
    data.push_back(2.0f * float(i) + wobble / std::sqrt(5.0f) - 1);
  }
  const std::vector<float> found = first_principal_axis(data, 21, 2);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NEAR(found[0], 1 / std::sqrt(5.0f), 1e-3) << "the axis is (1, 2)/sqrt(5), largest entry positive";
  EXPECT_NEAR(found[1], 2 / std::sqrt(5.0f), 1e-3);
}

TEST(ProjectTo2d, GivesEachPointsCoordinatesAlongTheTwoMainAxes) {
  // 15 points in 3D: mean + 5s * (0.6, 0.8, 0) + 2t * (0, 0, 1) for s in -2..2 and t in -1..1. The spread
  // along the first direction (5s) is larger than along the second (2t), and the two are uncorrelated,
  // so PCA's 2D map must put each point at (5s, 2t) exactly.
  std::vector<float> data;
  for (int s = -2; s <= 2; s++)
    for (int t = -1; t <= 1; t++) {
      data.push_back(7 + 5.0f * s * 0.6f);
      data.push_back(-3 + 5.0f * s * 0.8f);
      data.push_back(1 + 2.0f * t);
    }
  const std::vector<float> map = project_to_2d(data, 15, 3);
  ASSERT_EQ(map.size(), 30u) << "two coordinates per point";
  int point = 0;
  for (int s = -2; s <= 2; s++)
    for (int t = -1; t <= 1; ++t, ++point) {
      ASSERT_NEAR(map[size_t(point * 2)], 5.0f * s, 1e-3) << "point " << point << ": x is its position along (0.6, 0.8, 0)";
      ASSERT_NEAR(map[size_t(point * 2 + 1)], 2.0f * t, 1e-3) << "point " << point << ": y is its position along (0, 0, 1)";
    }
}

TEST(ProjectTo2d, TheTwoCoordinatesAreUncorrelatedAndXSpreadsMore) {
  // Any cloud: x and y of PCA's map have mean 0, no correlation, and x varies at least as much as y.
  std::vector<float> data;
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 4; j++) data.push_back(float((i * 7 + j * 13) % 11) + 0.5f * float(j) * float(i % 5));
  const std::vector<float> map = project_to_2d(data, 40, 4);
  ASSERT_EQ(map.size(), 80u);
  double mx = 0, my = 0, xx = 0, yy = 0, xy_sum = 0;
  for (int i = 0; i < 40; i++) mx += map[size_t(2 * i)] / 40.0, my += map[size_t(2 * i + 1)] / 40.0;
  for (int i = 0; i < 40; i++) {
    const double x = map[size_t(2 * i)] - mx, y = map[size_t(2 * i + 1)] - my;
    xx += x * x, yy += y * y, xy_sum += x * y;
  }
  EXPECT_NEAR(mx, 0, 1e-3) << "coordinates are measured from the mean";
  EXPECT_NEAR(my, 0, 1e-3);
  EXPECT_NEAR(xy_sum / std::sqrt(xx * yy), 0, 1e-3) << "the second axis is perpendicular to the first";
  EXPECT_GE(xx, yy) << "the first axis is the one with the most spread";
  EXPECT_GT(yy, 0) << "the second axis still carries spread";
}

TEST(KmeansStep, AssignsToNearestAndMovesCentroids) {
  const std::vector<float> data = {0, 0, 0, 2, 10, 10, 10, 12};  // two pairs of points
  std::vector<float> centroids = {1, 1, 9, 9};
  const std::vector<int> assignment = kmeans_step(data, 4, 2, centroids, 2);
  EXPECT_EQ(assignment, (std::vector<int>{0, 0, 1, 1})) << "the first two points are near (1,1), the rest near (9,9)";
  EXPECT_EQ(centroids, (std::vector<float>{0, 1, 10, 11})) << "each centroid moves to the mean of its points";
}

TEST(KmeansStep, AnEmptyClusterStaysPut) {
  const std::vector<float> data = {0, 0, 1, 0};
  std::vector<float> centroids = {0, 0, 100, 100};
  kmeans_step(data, 2, 2, centroids, 2);
  EXPECT_EQ(centroids, (std::vector<float>{0.5f, 0, 100, 100})) << "centroid 1 has no points and keeps its place";
}

TEST(EmbeddingBackward, RepeatedIdsAccumulate) {
  std::vector<float> dtable = {5, 5, 0, 0, 0, 0};  // row 0 already holds a gradient
  embedding_backward(dtable, 2, {1, 0, 1}, {1, 2, 10, 20, 3, 4});
  EXPECT_EQ(dtable, (std::vector<float>{15, 25, 4, 6, 0, 0}))
      << "row 1 is used twice: {1,2} + {3,4}; row 0 keeps its 5s and adds {10,20}; row 2 is untouched";
}

// ---- keep_probabilities ----

TEST(KeepProbabilities, WorkedOutByHand) {
  // 1000 words: shares f = 0.6, 0.3, 0.1, 0 with t = 0.1. keep = min(1, sqrt(t/f) + t/f):
  //   0.6: sqrt(1/6) + 1/6 = 0.408248 + 0.166667 = 0.574915
  //   0.3: sqrt(1/3) + 1/3 = 0.577350 + 0.333333 = 0.910684
  //   0.1: 1 + 1 = 2, capped at 1; a word that never occurs is kept (probability 1)
  const std::vector<double> keep = keep_probabilities({600, 300, 100, 0}, 0.1);
  ASSERT_EQ(keep.size(), 4u) << "one probability per word";
  EXPECT_NEAR(keep[0], 0.5749149571305296, 1e-9) << "share 0.6: sqrt(t/f) + t/f with t/f = 1/6";
  EXPECT_NEAR(keep[1], 0.9106836025229590, 1e-9) << "share 0.3: sqrt(t/f) + t/f with t/f = 1/3";
  EXPECT_EQ(keep[2], 1.0) << "share 0.1 = t: the formula gives 2, and a probability is at most 1";
  EXPECT_EQ(keep[3], 1.0) << "a word with count 0 gets 1 (and no division by zero)";
}

TEST(KeepProbabilities, FrequentWordsAreDroppedMoreAndRareOnesAlwaysKept) {
  // "the" at 6% of the text with word2vec's t = 1e-3: sqrt(1/60) + 1/60 = 0.129099 + 0.016667 = 0.145766.
  const std::vector<double> keep = keep_probabilities({60, 900, 40}, 1e-3);
  EXPECT_NEAR(keep[0], 0.1457661115, 1e-9) << "a word that is 6% of the text is kept about 15% of the time";
  EXPECT_LT(keep[1], keep[0]) << "the more frequent a word, the more of its occurrences are dropped";
  const std::vector<double> rare = keep_probabilities({1, 1999999}, 1e-3);
  EXPECT_EQ(rare[0], 1.0) << "a word far rarer than the threshold is always kept";
}

// ---- negative_sampling_distribution ----

TEST(NegativeSamplingDistribution, CountsToTheThreeQuarters) {
  // Counts 1 and 16: weights 1^0.75 = 1 and 16^0.75 = 8, so (1/9, 8/9). By raw frequency the rare word would
  // get only 1/17: the power gives it almost twice as many draws.
  const std::vector<double> p = negative_sampling_distribution({1, 16});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NEAR(p[0], 1.0 / 9.0, 1e-12) << "1^0.75 / (1 + 16^0.75) = 1 / 9";
  EXPECT_NEAR(p[1], 8.0 / 9.0, 1e-12) << "16^0.75 / (1 + 16^0.75) = 8 / 9";
}

TEST(NegativeSamplingDistribution, SumsToOneAndEqualCountsAreEqual) {
  const std::vector<double> p = negative_sampling_distribution({81, 5, 81, 1, 625});
  ASSERT_EQ(p.size(), 5u);
  double sum = 0.0;
  for (double x : p) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-12) << "probabilities sum to 1";
  EXPECT_EQ(p[0], p[2]) << "equal counts, equal probabilities";
  // 81^0.75 = 27, 625^0.75 = 125, 1^0.75 = 1.
  EXPECT_NEAR(p[4] / p[0], 125.0 / 27.0, 1e-9) << "625^0.75 / 81^0.75 = 125 / 27";
  EXPECT_NEAR(p[0] / p[3], 27.0, 1e-9) << "81^0.75 / 1^0.75 = 27";
}

// ---- sgns_bce ----

TEST(SgnsBce, ScoreZeroIsACoinFlip) {
  // σ(0) = 1/2 whatever the label: the loss is -log(1/2) = ln 2 = 0.693147..., the derivative σ(0) - label.
  for (int label : {0, 1}) {
    const ch02::BceTerm term = ch02::sgns_bce(0.0, label);
    EXPECT_NEAR(term.loss, 0.6931471805599453, 1e-12) << "label " << label << ": -log(1/2) = ln 2";
    EXPECT_NEAR(term.dscore, 0.5 - label, 1e-12) << "label " << label << ": dloss/dscore = σ(0) - label";
  }
}

TEST(SgnsBce, ScoreLnThreeByHand) {
  // σ(ln 3) = 3 / (3 + 1) = 3/4. Label 1: loss -ln(3/4) = 0.287682..., derivative 3/4 - 1 = -1/4.
  // Label 0: the probability of "no" is 1/4, loss -ln(1/4) = 1.386294..., derivative 3/4.
  const ch02::BceTerm yes = ch02::sgns_bce(std::log(3.0), 1), no = ch02::sgns_bce(std::log(3.0), 0);
  EXPECT_NEAR(yes.loss, 0.2876820724517809, 1e-12) << "label 1: -log σ(ln 3) = -ln(3/4)";
  EXPECT_NEAR(yes.dscore, -0.25, 1e-12) << "label 1: σ(ln 3) - 1 = -1/4 (raising the score lowers the loss)";
  EXPECT_NEAR(no.loss, 1.3862943611198906, 1e-12) << "label 0: -log(1 - σ(ln 3)) = -ln(1/4)";
  EXPECT_NEAR(no.dscore, 0.75, 1e-12) << "label 0: σ(ln 3) - 0 = 3/4";
  const ch02::BceTerm flipped = ch02::sgns_bce(-std::log(3.0), 0);
  EXPECT_NEAR(flipped.loss, yes.loss, 1e-12) << "score -ln 3 with label 0 is the mirror image of ln 3 with label 1";
  EXPECT_NEAR(flipped.dscore, 0.25, 1e-12) << "σ(-ln 3) = 1/4";
}

TEST(SgnsBce, HugeScoresStayFinite) {
  // A confident wrong answer costs about its score: -log σ(-800) = log(1 + e^800) = 800 + log(1 + e^-800).
  const ch02::BceTerm wrong_no = ch02::sgns_bce(800.0, 0), wrong_yes = ch02::sgns_bce(-800.0, 1);
  EXPECT_NEAR(wrong_no.loss, 800.0, 1e-9) << "score 800, label 0: the loss is 800, not infinity (1 - σ(800) is 0 in double)";
  EXPECT_NEAR(wrong_no.dscore, 1.0, 1e-12) << "score 800, label 0: σ(800) - 0 = 1";
  EXPECT_NEAR(wrong_yes.loss, 800.0, 1e-9) << "score -800, label 1: the loss is 800, not infinity";
  EXPECT_NEAR(wrong_yes.dscore, -1.0, 1e-12) << "score -800, label 1: σ(-800) - 1 = -1";
  const ch02::BceTerm right = ch02::sgns_bce(800.0, 1);
  EXPECT_EQ(right.loss, 0.0) << "a confident right answer costs log(1 + e^-800), which is 0 in double";
  EXPECT_NEAR(right.dscore, 0.0, 1e-12);
  // log(1 + e^-40) = e^-40 (1 - e^-40 / 2 + ...) = 4.248354255291589e-18: tiny, but not 0. -log(σ(40))
  // computed as written rounds σ(40) to 1 and gives exactly 0.
  EXPECT_NEAR(ch02::sgns_bce(40.0, 1).loss, 4.248354255291589e-18, 1e-24)
      << "score 40, label 1: compute log(1 + e^-40) without first rounding σ(40) to 1 (std::log1p helps)";
}

// ---- analogy ----

TEST(Analogy, ManIsToKingAsWomanIsToQueen) {
  // Rows (2D): 0 king (3, 0), 1 queen (3, 1), 2 man (1, 0), 3 woman (1, 1), 4 apple (0, -2).
  // king - man + woman = (3, 1): queen exactly (cosine 1); woman only 4 / (sqrt 2 sqrt 10) = 0.894.
  const std::vector<float> table = {3, 0, 3, 1, 1, 0, 1, 1, 0, -2};
  EXPECT_EQ(ch02::analogy(table, 5, 2, /*a=*/2, /*b=*/0, /*c=*/3), 1) << "man : king = woman : queen";
  // queen - woman + man = (3, 0): king.
  EXPECT_EQ(ch02::analogy(table, 5, 2, /*a=*/3, /*b=*/1, /*c=*/2), 0) << "woman : queen = man : king";
}

TEST(Analogy, TheQuestionsWordsAreNeverTheAnswer) {
  // Rows: 0 (1, 0), 1 (1, 0.2), 2 (5, 0), 3 (4, 1), 4 (0, 1). b - a + c = (5, 0.2): row 2 (c itself) has
  // cosine 0.9992, row 3 has (20 + 0.2) / (5.004 * 4.123) = 0.979, row 4 only 0.04.
  const std::vector<float> table = {1, 0, 1, 0.2f, 5, 0, 4, 1, 0, 1};
  EXPECT_EQ(ch02::analogy(table, 5, 2, 0, 1, 2), 3) << "row 2 is the closest, but it is c, a word of the question";
  // Two rows equally close: a = (1, 0), b = (2, 1), c = (1, 1) give b - a + c = (2, 2), and rows 3 and 4 are
  // both (2, 2): the smaller one wins.
  const std::vector<float> tie = {1, 0, 2, 1, 1, 1, 2, 2, 2, 2};
  EXPECT_EQ(ch02::analogy(tie, 5, 2, 0, 1, 2), 3) << "rows 3 and 4 are both (2, 2): the smaller row wins";
}

// ---- sgns_pair_update ----

TEST(SgnsPairUpdate, TablesThatStartAtZeroNeverMove) {
  // All vectors 0: every score is 0, σ(0) = 1/2, so L = -log(1/2) per target = 3 ln 2 for a context and two
  // negatives. But each gradient is (σ - label) times the OTHER vector, which is 0: nothing moves, ever.
  // (This is why word2vec starts the input vectors at small random values.)
  std::vector<float> inputs(4 * 3, 0.0f), outputs(4 * 3, 0.0f);
  const double loss = sgns_pair_update(inputs, outputs, 3, 0, 1, {2, 3}, 0.5f);
  EXPECT_NEAR(loss, 3.0 * std::log(2.0), 1e-6) << "three targets, each -log σ(0) = ln 2";
  for (float x : inputs) EXPECT_EQ(x, 0.0f) << "input vectors must stay 0";
  for (float x : outputs) EXPECT_EQ(x, 0.0f) << "output vectors must stay 0";
}

TEST(SgnsPairUpdate, OneDimensionByHand) {
  // dim 1, V 3. v_centre(0) = 1; u_context(1) = 0 and u_negative(2) = 0: both scores 0, σ = 1/2, L = 2 ln 2.
  //   g_context = 1/2 - 1 = -1/2: u_context -= 0.1 * (-1/2) * 1 -> +0.05
  //   g_negative = 1/2 - 0 = 1/2: u_negative -= 0.1 * (1/2) * 1 -> -0.05
  //   dv = g_context * 0 + g_negative * 0 = 0 (the old u's): v stays 1
  std::vector<float> inputs = {1.0f, 7.0f, 7.0f}, outputs = {7.0f, 0.0f, 0.0f};
  const double loss = sgns_pair_update(inputs, outputs, 1, 0, 1, {2}, 0.1f);
  EXPECT_NEAR(loss, 2.0 * std::log(2.0), 1e-6);
  EXPECT_NEAR(outputs[1], 0.05f, 1e-7f) << "the context's output vector moves towards v_centre";
  EXPECT_NEAR(outputs[2], -0.05f, 1e-7f) << "the negative's output vector moves away from v_centre";
  EXPECT_NEAR(inputs[0], 1.0f, 1e-7f) << "v_centre's gradient uses the u's from BEFORE the step (both 0)";
  EXPECT_EQ(inputs[1], 7.0f) << "rows not in the pair are untouched";
  EXPECT_EQ(outputs[0], 7.0f) << "rows not in the pair are untouched";
}

TEST(SgnsPairUpdate, StepsAlongTheLibrarysGradient) {
  // The library's sgns_loss_backward (the gradient word2vec trains with, checked by finite differences in
  // tests/unit/embed) gives the loss and every gradient; one SGD step must move each vector by -lr times it.
  const int V = 6, dim = 4, centre = 2, context = 5;
  const std::vector<int> negatives = {0, 3, 4};
  minillm::Rng rng(7);
  std::vector<float> inputs(V * dim), outputs(V * dim);
  rng.fill_uniform(inputs, -0.5f, 0.5f);
  rng.fill_uniform(outputs, -0.5f, 0.5f);
  const std::vector<float> inputs0 = inputs, outputs0 = outputs;

  const std::vector<int> targets = {context, negatives[0], negatives[1], negatives[2]};  // the context first
  std::vector<const float*> target_rows;
  std::vector<std::vector<float>> dtargets(targets.size(), std::vector<float>(dim, 0.0f));
  std::vector<float*> dtarget_rows;
  for (size_t t = 0; t < targets.size(); t++) {
    target_rows.push_back(outputs0.data() + targets[t] * dim);
    dtarget_rows.push_back(dtargets[t].data());
  }
  std::vector<float> dcentre(dim, 0.0f);
  const double want_loss = minillm::embed::sgns_loss_backward(inputs0.data() + centre * dim, target_rows, dim,
                                                              dcentre.data(), dtarget_rows);
  const float lr = 0.25f;
  const double loss = sgns_pair_update(inputs, outputs, dim, centre, context, negatives, lr);
  EXPECT_NEAR(loss, want_loss, 1e-5) << "the loss before the step";
  for (int i = 0; i < dim; i++)
    EXPECT_NEAR(inputs[centre * dim + i], inputs0[centre * dim + i] - lr * dcentre[i], 1e-6f) << "v_centre[" << i << "]";
  for (size_t t = 0; t < targets.size(); t++)
    for (int i = 0; i < dim; i++)
      EXPECT_NEAR(outputs[targets[t] * dim + i], outputs0[targets[t] * dim + i] - lr * dtargets[t][i], 1e-6f)
          << (t == 0 ? "u_context" : "u_negative") << " (word " << targets[t] << ")[" << i << "]";
  for (int r : {0, 1, 3, 4, 5})
    for (int i = 0; i < dim; i++) EXPECT_EQ(inputs[r * dim + i], inputs0[r * dim + i]) << "input row " << r << " is not the centre";
  for (int i = 0; i < dim; i++) EXPECT_EQ(outputs[1 * dim + i], outputs0[1 * dim + i]) << "output row 1 is not a target";
}

TEST(SgnsPairUpdate, TheLossGoesDown) {
  const int V = 5, dim = 8;
  minillm::Rng rng(8);
  std::vector<float> inputs(V * dim), outputs(V * dim);
  rng.fill_uniform(inputs, -0.5f, 0.5f);
  rng.fill_uniform(outputs, -0.5f, 0.5f);
  double previous = sgns_pair_update(inputs, outputs, dim, 0, 1, {2, 3}, 0.1f);
  for (int step = 0; step < 20; step++) {
    const double loss = sgns_pair_update(inputs, outputs, dim, 0, 1, {2, 3}, 0.1f);
    ASSERT_LT(loss, previous) << "repeating the same pair with a small learning rate must lower its loss (step "
                              << step << ")";
    previous = loss;
  }
}

}  // namespace
}  // namespace ch02
