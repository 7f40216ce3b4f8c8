// The in-process ring all-reduce against a plain sum, its partial state after reduce-scatter, and its traffic.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "dist/ring_allreduce.hpp"
#include "dist/shard.hpp"

namespace {

using minillm::dist::RankBuffers;
using minillm::dist::shard_range;

// Rank r's value at i: small whole numbers, so every order of summation gives the exact same float.
RankBuffers known_buffers(int N, int n) {
  RankBuffers b(static_cast<size_t>(N), std::vector<float>(static_cast<size_t>(n)));
  for (int r = 0; r < N; ++r)
    for (int i = 0; i < n; ++i) b[size_t(r)][size_t(i)] = float((r + 1) * 100 + i);
  return b;
}

TEST(RingAllreduce, EveryRankEndsWithTheSumForEveryRankCountAndSize) {
  for (int N = 1; N <= 7; ++N)
    for (int n : {0, 1, 5, 13, 64}) {
      RankBuffers b = known_buffers(N, n);
      minillm::dist::ring_allreduce(b);
      for (int r = 0; r < N; ++r)
        for (int i = 0; i < n; ++i)  // sum over ranks of (r + 1) * 100 + i
          ASSERT_EQ(b[size_t(r)][size_t(i)], float(100 * N * (N + 1) / 2 + N * i)) << N << " ranks, " << n
                                                                                   << " floats, rank " << r;
    }
}

TEST(RingAllreduce, MatchesAPlainSumOnRandomGradients) {
  minillm::Rng rng(7);
  const int N = 5, n = 1001;
  RankBuffers b(N, std::vector<float>(n));
  for (auto& v : b) rng.fill_normal(v, 0.0f, 1.0f);
  std::vector<double> sum(n, 0.0);
  for (const auto& v : b)
    for (int i = 0; i < n; ++i) sum[size_t(i)] += v[size_t(i)];
  minillm::dist::ring_allreduce(b);
  for (int r = 0; r < N; ++r)
    for (int i = 0; i < n; ++i) ASSERT_NEAR(b[size_t(r)][size_t(i)], sum[size_t(i)], 1e-5) << "rank " << r;
}

TEST(RingReduceScatter, RankROwnsChunkRPlusOneAndHoldsTheRingsPartialSums) {
  const int N = 4, n = 10;  // chunks of 3, 3, 2, 2 floats
  RankBuffers b = known_buffers(N, n);
  const RankBuffers before = b;
  minillm::dist::ring_reduce_scatter(b);
  for (int r = 0; r < N; ++r) {
    EXPECT_EQ(minillm::dist::owned_chunk(r, N), (r + 1) % N);
    for (int c = 0; c < N; ++c) {
      // The chunk started at rank c and travelled right, so rank r holds the sum of ranks c, c+1, ..., r.
      const auto range = shard_range(n, N, c);
      for (int64_t i = range.begin; i < range.end; ++i) {
        float want = 0;
        for (int k = c;; k = (k + 1) % N) {
          want += before[size_t(k)][size_t(i)];
          if (k == r) break;
        }
        ASSERT_EQ(b[size_t(r)][size_t(i)], want) << "rank " << r << ", chunk " << c << ", float " << i;
      }
    }
  }
}

TEST(RingAllGather, SpreadsEachRanksOwnedChunkAndReadsNothingElse) {
  const int N = 3, n = 8;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  RankBuffers b(N, std::vector<float>(n, nan));  // only the owned chunks hold numbers
  for (int r = 0; r < N; ++r) {
    const auto range = shard_range(n, N, minillm::dist::owned_chunk(r, N));
    for (int64_t i = range.begin; i < range.end; ++i) b[size_t(r)][size_t(i)] = float(i * i);
  }
  minillm::dist::ring_all_gather(b);
  for (int r = 0; r < N; ++r)
    for (int i = 0; i < n; ++i) ASSERT_EQ(b[size_t(r)][size_t(i)], float(i * i)) << "rank " << r << ", float " << i;
}

TEST(RingAllreduce, EachRankSendsTwoTimesNMinusOneOverNOfTheGradient) {
  const int N = 4, n = 1000;
  RankBuffers b = known_buffers(N, n);
  const auto traffic = minillm::dist::ring_allreduce(b);
  for (int r = 0; r < N; ++r) EXPECT_EQ(traffic[size_t(r)], 2 * 3 * 250) << "2 (N-1)/N x 1000 floats";
  RankBuffers uneven = known_buffers(3, 10);  // chunks of 4, 3, 3: ranks send 6 to 7 floats a phase
  const auto t = minillm::dist::ring_allreduce(uneven);
  int64_t total = 0;
  for (auto floats : t) total += floats;
  EXPECT_EQ(total, 2 * 2 * 10) << "every chunk crosses N - 1 links in each phase";
}

TEST(RingAllreduce, RefusesBuffersOfDifferentSizes) {
  RankBuffers b{{1, 2, 3}, {1, 2}};
  EXPECT_THROW(minillm::dist::ring_allreduce(b), minillm::Error);
  RankBuffers none;
  EXPECT_THROW(minillm::dist::ring_allreduce(none), minillm::Error);
}

}  // namespace
