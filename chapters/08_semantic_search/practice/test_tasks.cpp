// Chapter 08 practice tests. Run them with `./run practice 08`.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "practice/todo.hpp"
#include "tasks.hpp"

namespace ch08 {
namespace {

TEST(NormaliseRows, EveryRowGetsLengthOne) {
  std::vector<float> m = {3, 4, 0, 0, 0, 2, 1, 1, 1};
  normalise_rows(m, 3, 3);
  EXPECT_NEAR(m[0], 0.6, 1e-6) << "the row (3, 4, 0) has length 5, so it becomes (0.6, 0.8, 0)";
  EXPECT_NEAR(m[1], 0.8, 1e-6) << "the row (3, 4, 0) has length 5, so it becomes (0.6, 0.8, 0)";
  EXPECT_NEAR(m[5], 1.0, 1e-6) << "the row (0, 0, 2) becomes (0, 0, 1)";
  EXPECT_NEAR(m[6], 1 / std::sqrt(3.0), 1e-6) << "the row (1, 1, 1) becomes (1/sqrt(3), 1/sqrt(3), 1/sqrt(3))";
}

TEST(NormaliseRows, AZeroRowStaysZero) {
  std::vector<float> m = {0, 0, 5, 0};
  normalise_rows(m, 2, 2);
  EXPECT_EQ(m[0], 0.0f) << "a row of zeros has no direction: leave it zero (dividing by 0 gives nan)";
  EXPECT_EQ(m[1], 0.0f) << "a row of zeros has no direction: leave it zero (dividing by 0 gives nan)";
  EXPECT_NEAR(m[2], 1.0, 1e-6) << "the second row (5, 0) becomes (1, 0)";
}

TEST(CosineScores, TheAngleNotTheLength) {
  const std::vector<float> m = {2, 0, 0, 3, 1, 1, -4, 0};
  const std::vector<float> s = cosine_scores(m, 4, 2, {5, 0});
  ASSERT_EQ(s.size(), 4u) << "one score per row of the matrix";
  EXPECT_NEAR(s[0], 1.0, 1e-6) << "(2, 0) points the same way as the query (5, 0): cosine 1, whatever the lengths";
  EXPECT_NEAR(s[1], 0.0, 1e-6) << "(0, 3) is at a right angle to (5, 0): cosine 0";
  EXPECT_NEAR(s[2], 1 / std::sqrt(2.0), 1e-6) << "(1, 1) is 45 degrees from (5, 0): cosine 1/sqrt(2)";
  EXPECT_NEAR(s[3], -1.0, 1e-6) << "(-4, 0) points the opposite way: cosine -1";
}

TEST(CosineScores, ZeroVectorsScoreZero) {
  const std::vector<float> s = cosine_scores({0, 0, 1, 0}, 2, 2, {1, 0});
  ASSERT_EQ(s.size(), 2u) << "one score per row of the matrix";
  EXPECT_EQ(s[0], 0.0f) << "a zero row has no direction: its score is 0, not nan";
  EXPECT_EQ(cosine_scores({1, 0}, 1, 2, {0, 0}).at(0), 0.0f) << "a zero query has no direction: every score is 0";
}

TEST(TopK, HighestFirst) {
  const std::vector<int> ids = top_k({0.1f, 0.9f, -0.5f, 0.7f, 0.3f}, 3);
  EXPECT_EQ(ids, (std::vector<int>{1, 3, 4})) << "the three highest scores are 0.9 (id 1), 0.7 (id 3), 0.3 (id 4)";
}

TEST(TopK, TiesGoToTheLowerIdAndKMayExceedN) {
  EXPECT_EQ(top_k({0.5f, 0.8f, 0.5f, 0.8f}, 3), (std::vector<int>{1, 3, 0}))
      << "0.8 twice (ids 1 and 3, lower id first), then the first 0.5 (id 0)";
  EXPECT_EQ(top_k({0.2f, 0.4f}, 5), (std::vector<int>{1, 0})) << "k = 5 of 2 scores returns both, best first";
}

TEST(RecallAtK, CountsTrueNeighboursFoundAtAnyRank) {
  const std::vector<std::vector<int>> exact = {{1, 2, 3}, {4, 5, 6}};
  const std::vector<std::vector<int>> approx = {{3, 1, 9}, {7, 8, 6}};
  EXPECT_NEAR(recall_at_k(exact, approx, 3), 0.5, 1e-12)
      << "query 0 found 1 and 3 (2 of 3), query 1 found 6 (1 of 3): 3 of 6 in all";
  EXPECT_NEAR(recall_at_k(exact, approx, 1), 0.0, 1e-12) << "@1 compares only the first ids: 1 vs 3 and 4 vs 7";
}

TEST(RecallAtK, PerfectSearchScoresOne) {
  const std::vector<std::vector<int>> same = {{5, 2}, {0, 1}};
  EXPECT_NEAR(recall_at_k(same, same, 2), 1.0, 1e-12) << "an approximate search that found everything has recall 1";
  EXPECT_NEAR(recall_at_k({{5, 2}}, {{2, 5}}, 2), 1.0, 1e-12) << "the order within the top k does not matter";
}

TEST(NearestCentroid, TheClosestByEuclideanDistance) {
  const std::vector<float> centroids = {0, 0, 10, 0, 0, 10};
  const std::vector<float> points = {1, 1, 9, -1, 2, 7, 6, 0};
  EXPECT_EQ(nearest_centroid(points, 4, 2, centroids, 3), (std::vector<int>{0, 1, 2, 1}))
      << "(1,1) is nearest (0,0); (9,-1) nearest (10,0); (2,7) nearest (0,10); (6,0) nearest (10,0)";
}

TEST(NearestCentroid, TiesGoToTheLowerCentroid) {
  EXPECT_EQ(nearest_centroid({5, 0}, 1, 2, {10, 0, 0, 0}, 2), (std::vector<int>{0}))
      << "(5, 0) is 5 away from both (10, 0) and (0, 0): the lower centroid, 0, wins";
}

}  // namespace
}  // namespace ch08
