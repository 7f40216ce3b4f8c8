// Chapter 08 practice tests. Run them with `./run practice 08`.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "practice/todo.hpp"
#include "search/bm25.hpp"
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

// ---- bm25_scores ----

TEST(Bm25Scores, ThreePassagesByHand) {
  // Passages (whale white whale), (the sea), (white sea): N = 3, average length 7/3; k1 = 1.2, b = 0.75.
  // idf(white) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6; idf(whale) = ln(1 + 2.5 / 1.5) = ln(8/3).
  // Passage 0: ln 1.6 * 1 * 2.2 / (1 + K0) + ln(8/3) * 2 * 2.2 / (2 + K0), K0 = 1.2 (0.25 + 0.75 * 3 / (7/3)).
  const std::vector<std::vector<std::string>> passages = {{"whale", "white", "whale"}, {"the", "sea"}, {"white", "sea"}};
  const std::vector<double> s = bm25_scores(passages, {"white", "whale"}, 1.2, 0.75);
  ASSERT_EQ(s.size(), 3u) << "one score per passage";
  EXPECT_NEAR(s[0], 1.669145343, 1e-6) << "both words, whale twice: ln 1.6 * 0.8953 + ln(8/3) * 1.2727";
  EXPECT_NEAR(s[1], 0.0, 1e-12) << "no query word in (the sea)";
  EXPECT_NEAR(s[2], 0.499176268, 1e-6) << "white once in a short passage: ln 1.6 * 2.2 / (1 + 1.2 (0.25 + 0.75 * 2 / (7/3)))";
  const std::vector<double> repeated = bm25_scores(passages, {"white", "whale", "whale"}, 1.2, 0.75);
  EXPECT_NEAR(repeated[0], s[0], 1e-9) << "a word repeated in the query counts once";
}

TEST(Bm25Scores, BZeroIgnoresLengthAndKeywordsOutsideTheCollectionScoreNothing) {
  // b = 0: no length normalisation, K = k1 = 1.2 for every passage.
  const std::vector<std::vector<std::string>> passages = {{"whale", "white", "whale"}, {"the", "sea"}, {"white", "sea"}};
  const std::vector<double> s = bm25_scores(passages, {"white", "whale", "kraken"}, 1.2, 0.0);
  EXPECT_NEAR(s[0], 1.818643852, 1e-6) << "ln 1.6 * 2.2 / 2.2 + ln(8/3) * 2 * 2.2 / 3.2; kraken is in no passage";
  EXPECT_NEAR(s[2], 0.470003629, 1e-6) << "with b = 0 one occurrence scores exactly idf: ln 1.6";
}

TEST(Bm25Scores, MatchesTheLibrarysBm25) {
  // The library's Bm25 (src/search/bm25.cpp) on random passages over a small vocabulary: same scores.
  const std::vector<std::string> vocab = {"ahab", "whale", "sea", "ship", "white", "the", "of", "mast"};
  minillm::Rng rng(5);
  std::vector<std::vector<std::string>> passages;
  std::vector<std::string> texts;
  for (int p = 0; p < 12; ++p) {
    std::vector<std::string> words;
    std::string text;
    const int length = 3 + static_cast<int>(rng.below(8));
    for (int i = 0; i < length; ++i) {
      words.push_back(vocab[rng.below(vocab.size())]);
      text += words.back() + " ";
    }
    passages.push_back(words);
    texts.push_back(text);
  }
  const minillm::search::Bm25 library(texts, 1.2, 0.75);
  const std::vector<double> s = bm25_scores(passages, {"white", "whale", "mast"}, 1.2, 0.75);
  for (const minillm::search::Hit& hit : library.search("white whale mast", 12))
    ASSERT_NEAR(s[static_cast<size_t>(hit.id)], hit.score, 1e-4) << "passage " << hit.id;
}

// ---- ivf_probe ----

// Six unit vectors in 2-D around two centroids: list 0 near (1, 0) holds ids 0, 2, 4; list 1 near (0, 1)
// holds ids 1, 3, 5.
struct TwoLists {
  std::vector<float> data = {1.0f, 0.0f,  0.0f, 1.0f,  0.8f, 0.6f,  0.6f, 0.8f,  0.96f, -0.28f,  -0.28f, 0.96f};
  std::vector<float> centroids = {1.0f, 0.0f, 0.0f, 1.0f};
  std::vector<std::vector<int>> lists = {{0, 2, 4}, {1, 3, 5}};
};

TEST(IvfProbe, OneProbeScansOnlyTheNearestList) {
  // The query (0.6, 0.8) is nearest to centroid 1; with nprobe 1 only ids 1, 3, 5 are scored:
  // dots 0.8, 1.0, 0.6. Id 2 (0.8, 0.6) would score 0.96 but sits in the list that was not probed.
  TwoLists f;
  EXPECT_EQ(ivf_probe(f.data, 2, f.centroids, f.lists, {0.6f, 0.8f}, 1, 2), (std::vector<int>{3, 1}))
      << "list 1's best two: id 3 (dot 1.0), then id 1 (0.8)";
  EXPECT_EQ(ivf_probe(f.data, 2, f.centroids, f.lists, {0.6f, 0.8f}, 1, 5), (std::vector<int>{3, 1, 5}))
      << "k = 5 but the probed list holds only three vectors";
}

TEST(IvfProbe, TwoProbesFindWhatOneMissed) {
  TwoLists f;
  EXPECT_EQ(ivf_probe(f.data, 2, f.centroids, f.lists, {0.6f, 0.8f}, 2, 3), (std::vector<int>{3, 2, 1}))
      << "both lists: id 3 (1.0), id 2 (0.96), id 1 (0.8); id 2 was missed with nprobe 1";
}

TEST(IvfProbe, ProbingEveryListIsTheExactSearch) {
  // 200 random unit vectors in 8 dimensions, split into 5 lists (any split will do: with every list probed,
  // every vector is scored): with nprobe = 5 the answer must be the exact top 10 by dot product, worked out
  // here by brute force.
  const int n = 200, dim = 8, L = 5;
  minillm::Rng rng(9);
  std::vector<float> data(n * dim), centroids(L * dim), query(dim);
  rng.fill_normal(data, 0.0f, 1.0f);
  rng.fill_normal(centroids, 0.0f, 1.0f);
  rng.fill_normal(query, 0.0f, 1.0f);
  std::vector<std::vector<int>> lists(L);
  std::vector<std::pair<double, int>> exact;
  for (int row = 0; row < n; ++row) {
    float* v = data.data() + row * dim;
    double length = 0, dot = 0;
    for (int col = 0; col < dim; ++col) length += double(v[col]) * v[col];
    for (int col = 0; col < dim; ++col) v[col] = static_cast<float>(v[col] / std::sqrt(length));
    for (int col = 0; col < dim; ++col) dot += double(query[col]) * v[col];
    lists[static_cast<size_t>(row % L)].push_back(row);
    exact.push_back({-dot, row});
  }
  std::sort(exact.begin(), exact.end());
  std::vector<int> want;
  for (int rank = 0; rank < 10; ++rank) want.push_back(exact[static_cast<size_t>(rank)].second);
  EXPECT_EQ(ivf_probe(data, dim, centroids, lists, query, L, 10), want) << "every list probed: exact";
}

// ---- rag_prompt ----

TEST(RagPrompt, PassagesInRankOrderThenTheQuestion) {
  const std::vector<std::string> passages = {"Ahab had one leg.", "The mast held a doubloon.", "Call me Ishmael."};
  EXPECT_EQ(rag_prompt(passages, {1, 0}, "What was on the mast?", 1000),
            "Context 1: The mast held a doubloon.\nContext 2: Ahab had one leg.\n"
            "Question: What was on the mast?\nAnswer:")
      << "the retrieved passages in rank order, numbered from 1, then the question and \"Answer:\"";
}

TEST(RagPrompt, ThePassagesThatDoNotFitAreLeftOut) {
  const std::vector<std::string> passages = {"Ahab had one leg.", "The mast held a doubloon.", "Call me Ishmael."};
  const std::string tail = "Question: Who?\nAnswer:";  // 22 bytes
  const std::string first = "Context 1: Call me Ishmael.\n";  // 28 bytes
  EXPECT_EQ(rag_prompt(passages, {2, 1, 0}, "Who?", tail.size() + first.size()), first + tail)
      << "room for exactly one passage: the best one";
  EXPECT_EQ(rag_prompt(passages, {2, 1, 0}, "Who?", tail.size() + first.size() - 1), tail)
      << "one byte short of the first passage: no passage at all";
  EXPECT_EQ(rag_prompt(passages, {2, 1, 0}, "Who?", 5), tail) << "the question is always there";
}

}  // namespace
}  // namespace ch08
