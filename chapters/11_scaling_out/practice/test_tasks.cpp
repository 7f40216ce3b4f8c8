// Tests for chapter 11's practice tasks. Each suite is one task of manifest.json.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "tasks.hpp"

namespace {

// Rank r's float i is (r + 1) * 100 + i: small whole numbers, so every order of summing gives the same float.
ch11::Buffers known_buffers(int N, int n) {
  ch11::Buffers b(static_cast<size_t>(N), std::vector<float>(static_cast<size_t>(n)));
  for (int r = 0; r < N; ++r)
    for (int i = 0; i < n; ++i) b[size_t(r)][size_t(i)] = float((r + 1) * 100 + i);
  return b;
}

float known_sum(int N, int i) { return float(100 * N * (N + 1) / 2 + N * i); }

// ---- shard_batch ----

TEST(ShardBatch, SixteenRowsOverFourRanks) {
  EXPECT_EQ(ch11::shard_batch(16, 4, 0), (ch11::Rows{0, 4})) << "rank 0 takes the first 4 rows";
  EXPECT_EQ(ch11::shard_batch(16, 4, 1), (ch11::Rows{4, 8}));
  EXPECT_EQ(ch11::shard_batch(16, 4, 3), (ch11::Rows{12, 16}));
  EXPECT_EQ(ch11::shard_batch(16, 1, 0), (ch11::Rows{0, 16})) << "one rank takes the whole batch";
}

TEST(ShardBatch, TheRanksRowsAreDisjointAndCoverTheBatch) {
  for (int ranks : {1, 2, 3, 4, 6, 8, 12, 24}) {
    std::vector<int> seen(24, 0);
    for (int r = 0; r < ranks; ++r) {
      const ch11::Rows rows = ch11::shard_batch(24, ranks, r);
      EXPECT_EQ(rows.end - rows.begin, 24 / ranks) << ranks << " ranks, rank " << r;
      for (int i = rows.begin; i < rows.end; ++i) ++seen[size_t(i)];
    }
    for (int i = 0; i < 24; ++i) ASSERT_EQ(seen[size_t(i)], 1) << "row " << i << " with " << ranks << " ranks";
  }
}

TEST(ShardBatch, RefusesABatchThatDoesNotDivideAndARankThatDoesNotExist) {
  EXPECT_THROW(ch11::shard_batch(16, 3, 0), std::invalid_argument) << "16 rows do not divide over 3 ranks";
  EXPECT_THROW(ch11::shard_batch(16, 4, 4), std::invalid_argument) << "4 ranks are 0..3";
  EXPECT_THROW(ch11::shard_batch(16, 4, -1), std::invalid_argument);
  EXPECT_THROW(ch11::shard_batch(16, 0, 0), std::invalid_argument);
}

// ---- zero1_shard ----

TEST(Zero1Shard, TenFloatsOverThreeRanks) {
  EXPECT_EQ(ch11::zero1_shard(10, 3, 0), (ch11::Shard{0, 4})) << "10 = 4 + 3 + 3: the larger shard first";
  EXPECT_EQ(ch11::zero1_shard(10, 3, 1), (ch11::Shard{4, 3}));
  EXPECT_EQ(ch11::zero1_shard(10, 3, 2), (ch11::Shard{7, 3}));
}

TEST(Zero1Shard, GptTwoOverSevenRanks) {
  // 124,439,808 = 7 x 17,777,115 + 3: ranks 0-2 hold 17,777,116 floats, ranks 3-6 hold 17,777,115.
  EXPECT_EQ(ch11::zero1_shard(124'439'808, 7, 2), (ch11::Shard{2 * 17'777'116, 17'777'116}));
  EXPECT_EQ(ch11::zero1_shard(124'439'808, 7, 3), (ch11::Shard{3 * 17'777'116, 17'777'115}));
  EXPECT_EQ(ch11::zero1_shard(124'439'808, 7, 6), (ch11::Shard{3 * 17'777'116 + 3 * 17'777'115, 17'777'115}));
}

TEST(Zero1Shard, EverySizeCoversEachFloatOnceInRankOrder) {
  for (int64_t n = 0; n <= 30; ++n)
    for (int ranks = 1; ranks <= 7; ++ranks) {
      int64_t next = 0, previous = n + 1;
      for (int r = 0; r < ranks; ++r) {
        const ch11::Shard s = ch11::zero1_shard(n, ranks, r);
        ASSERT_EQ(s.offset, next) << n << " floats over " << ranks << " ranks: rank " << r << " starts where rank "
                                  << r - 1 << " ended";
        ASSERT_TRUE(s.count == n / ranks || s.count == n / ranks + 1) << n << " over " << ranks << ", rank " << r;
        ASSERT_LE(s.count, previous) << "the larger shards come first";
        previous = s.count;
        next += s.count;
      }
      ASSERT_EQ(next, n) << n << " over " << ranks;
    }
}

TEST(Zero1Shard, FewerFloatsThanRanksLeavesTheLastRanksEmpty) {
  EXPECT_EQ(ch11::zero1_shard(2, 4, 1), (ch11::Shard{1, 1}));
  EXPECT_EQ(ch11::zero1_shard(2, 4, 3), (ch11::Shard{2, 0}));
}

// ---- naive_ring_allreduce ----

TEST(NaiveRingAllreduce, EveryRankEndsWithTheSum) {
  for (int N = 1; N <= 6; ++N) {
    ch11::Buffers b = known_buffers(N, 7);
    ch11::naive_ring_allreduce(b);
    for (int r = 0; r < N; ++r)
      for (int i = 0; i < 7; ++i)
        ASSERT_EQ(b[size_t(r)][size_t(i)], known_sum(N, i)) << N << " ranks: rank " << r << ", float " << i;
  }
}

TEST(NaiveRingAllreduce, EachRankSendsTheWholeBufferNMinusOneTimes) {
  ch11::Buffers b = known_buffers(5, 100);
  const ch11::Traffic sent = ch11::naive_ring_allreduce(b);
  ASSERT_EQ(sent.size(), 5u) << "one count per rank";
  for (int r = 0; r < 5; ++r) EXPECT_EQ(sent[size_t(r)], 4 * 100) << "N - 1 = 4 steps of 100 floats, rank " << r;
}

// ---- reduce_scatter ----

TEST(ReduceScatter, EachRankOwnsTheSumOfTheNextChunk) {
  for (int N = 2; N <= 6; ++N) {
    const int n = 11;
    ch11::Buffers b = known_buffers(N, n);
    ch11::reduce_scatter(b);
    for (int r = 0; r < N; ++r) {
      const ch11::Shard owned = ch11::zero1_shard(n, N, (r + 1) % N);
      for (int64_t i = owned.offset; i < owned.offset + owned.count; ++i)
        ASSERT_EQ(b[size_t(r)][size_t(i)], known_sum(N, int(i))) << N << " ranks: rank " << r << " owns chunk "
                                                                 << (r + 1) % N << "; float " << i;
    }
  }
}

TEST(ReduceScatter, TheOtherChunksHoldTheRingsPartialSums) {
  const int N = 4, n = 10;  // chunks of 3, 3, 2, 2 floats
  ch11::Buffers b = known_buffers(N, n);
  const ch11::Buffers before = b;
  ch11::reduce_scatter(b);
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) {
      const ch11::Shard chunk = ch11::zero1_shard(n, N, c);
      for (int64_t i = chunk.offset; i < chunk.offset + chunk.count; ++i) {
        float want = 0;  // ranks c, c + 1, ..., r around the ring
        for (int k = c;; k = (k + 1) % N) {
          want += before[size_t(k)][size_t(i)];
          if (k == r) break;
        }
        ASSERT_EQ(b[size_t(r)][size_t(i)], want) << "rank " << r << ", chunk " << c << ": the sum of ranks " << c
                                                 << " to " << r << " (walking right)";
      }
    }
}

TEST(ReduceScatter, EachRankSendsNMinusOneChunks) {
  ch11::Buffers b = known_buffers(4, 10);
  const ch11::Traffic sent = ch11::reduce_scatter(b);
  // Chunks of 3, 3, 2, 2. Rank 0 sends chunks 0, 3, 2; rank 1: 1, 0, 3; rank 2: 2, 1, 0; rank 3: 3, 2, 1.
  EXPECT_EQ(sent, (ch11::Traffic{7, 8, 8, 7}));
}

// ---- all_gather ----

TEST(AllGather, SpreadsTheOwnedChunksAndReadsNothingElse) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int N = 2; N <= 5; ++N) {
    const int n = 9;
    ch11::Buffers b(static_cast<size_t>(N), std::vector<float>(n, nan));  // only the owned chunks hold numbers
    for (int r = 0; r < N; ++r) {
      const ch11::Shard owned = ch11::zero1_shard(n, N, (r + 1) % N);
      for (int64_t i = owned.offset; i < owned.offset + owned.count; ++i) b[size_t(r)][size_t(i)] = float(i * i);
    }
    ch11::all_gather(b);
    for (int r = 0; r < N; ++r)
      for (int i = 0; i < n; ++i)
        ASSERT_EQ(b[size_t(r)][size_t(i)], float(i * i)) << N << " ranks: rank " << r << ", float " << i
                                                         << " (NaN means a chunk that was not owned got through)";
  }
}

TEST(AllGather, EachRankSendsNMinusOneChunks) {
  ch11::Buffers b = known_buffers(4, 10);
  const ch11::Traffic sent = ch11::all_gather(b);
  // Chunks of 3, 3, 2, 2. Rank 0 sends chunks 1, 0, 3; rank 1: 2, 1, 0; rank 2: 3, 2, 1; rank 3: 0, 3, 2.
  EXPECT_EQ(sent, (ch11::Traffic{8, 8, 7, 7}));
}

TEST(AllGather, AfterReduceScatterGivesAnAllReduce) {
  minillm::Rng rng(11);
  for (int N = 2; N <= 6; ++N) {
    const int n = 101;
    ch11::Buffers b(static_cast<size_t>(N), std::vector<float>(n));
    for (auto& v : b) rng.fill_normal(v, 0.0f, 1.0f);
    std::vector<double> sum(n, 0.0);
    for (const auto& v : b)
      for (int i = 0; i < n; ++i) sum[size_t(i)] += v[size_t(i)];
    const ch11::Traffic a = ch11::reduce_scatter(b), g = ch11::all_gather(b);
    for (int r = 0; r < N; ++r)
      for (int i = 0; i < n; ++i) ASSERT_NEAR(b[size_t(r)][size_t(i)], sum[size_t(i)], 1e-5) << "rank " << r;
    int64_t total = 0;
    for (int r = 0; r < N; ++r) total += a[size_t(r)] + g[size_t(r)];
    EXPECT_EQ(total, 2 * (N - 1) * n) << "every float crosses N - 1 links in each phase";
  }
}

// ---- predict_step ----

TEST(PredictStep, WorkedOutByHand) {
  // 1000 tokens x 1 MFLOP at 10 GFLOP/s: 0.1 s. 1 M floats = 4 MB; at 8 Gb/s = 1 GB/s over 4 nodes:
  // 2 x 3/4 x 4 MB / 1 GB/s = 6 ms.
  const ch11::CostInput in{.parameters = 1e6, .flops_per_token = 1e6, .tokens_per_rank = 1000,
                           .flops_per_second = 1e10, .link_gbps = 8, .latency_seconds = 0, .nodes = 4};
  const ch11::CostPrediction p = ch11::predict_step(in);
  EXPECT_DOUBLE_EQ(p.compute_seconds, 0.1);
  EXPECT_DOUBLE_EQ(p.allreduce_seconds, 0.006) << "2 (N-1)/N x gradient bytes / bytes a second";
  EXPECT_DOUBLE_EQ(p.step_seconds, 0.106);
  EXPECT_DOUBLE_EQ(p.efficiency, 0.1 / 0.106);
}

TEST(PredictStep, OneNodeHasNothingToAllReduce) {
  const ch11::CostPrediction p = ch11::predict_step({.parameters = 1e6, .flops_per_token = 1e6, .tokens_per_rank = 1000,
                                                     .flops_per_second = 1e10, .link_gbps = 8,
                                                     .latency_seconds = 1e-3, .nodes = 1});
  EXPECT_DOUBLE_EQ(p.allreduce_seconds, 0.0) << "no messages at all, so no latency either";
  EXPECT_DOUBLE_EQ(p.efficiency, 1.0);
}

TEST(PredictStep, ChapterSixModelOnTwoNodes) {
  // 4,240,896 parameters, 27,018,240 FLOPs a token, 2,048 tokens a rank, 100 GFLOP/s, 10 Gb/s, 20 us:
  // compute 0.5533335552 s; all-reduce 16,963,584 B / 1.25e9 B/s + 2 x 20 us = 0.0136108672 s.
  const ch11::CostPrediction p = ch11::predict_step({.parameters = 4'240'896, .flops_per_token = 27'018'240,
                                                     .tokens_per_rank = 2048, .flops_per_second = 1e11,
                                                     .link_gbps = 10, .latency_seconds = 20e-6, .nodes = 2});
  EXPECT_NEAR(p.compute_seconds, 0.5533335552, 1e-12);
  EXPECT_NEAR(p.allreduce_seconds, 0.0136108672, 1e-12) << "gigabits are 1e9 bits; a float is 4 bytes";
  EXPECT_NEAR(p.efficiency, 0.5533335552 / (0.5533335552 + 0.0136108672), 1e-12);
}

TEST(PredictStep, LatencyIsPaidTwiceForEveryHop) {
  const ch11::CostPrediction p = ch11::predict_step({.parameters = 0, .flops_per_token = 1, .tokens_per_rank = 1,
                                                     .flops_per_second = 1, .link_gbps = 1,
                                                     .latency_seconds = 1e-5, .nodes = 8});
  EXPECT_NEAR(p.allreduce_seconds, 2 * 7 * 1e-5, 1e-15) << "2 (N - 1) messages in a row, even with no bytes";
}

// ---- bucket_gradients ----

TEST(BucketGradients, WorkedOutByHand) {
  const std::vector<std::vector<int>> want = {{0, 1}, {2}, {3}, {4}, {5, 6}};
  EXPECT_EQ(ch11::bucket_gradients({3, 3, 3, 5, 10, 1, 1}, 6), want)
      << "3+3 fits a cap of 6; a third 3 would make 9; 5 then 10 would not fit beside anything; 10 alone is over the "
         "cap, so it is a bucket of its own";
}

TEST(BucketGradients, AnExactFitStaysInOneBucket) {
  EXPECT_EQ(ch11::bucket_gradients({2, 2, 2}, 6), (std::vector<std::vector<int>>{{0, 1, 2}}));
  EXPECT_EQ(ch11::bucket_gradients({7}, 6), (std::vector<std::vector<int>>{{0}}));
  EXPECT_TRUE(ch11::bucket_gradients({}, 6).empty()) << "no tensors, no buckets";
  EXPECT_THROW(ch11::bucket_gradients({1}, 0), std::invalid_argument);
}

TEST(BucketGradients, EveryTensorOnceInOrderAndNoBucketOverTheCapButASingleTensor) {
  minillm::Rng rng(3);
  std::vector<int64_t> sizes(200);
  for (auto& s : sizes) s = rng.between(1, 3000);
  const auto buckets = ch11::bucket_gradients(sizes, 2500);
  int next = 0;
  for (size_t b = 0; b < buckets.size(); ++b) {
    ASSERT_FALSE(buckets[b].empty());
    int64_t total = 0;
    for (int t : buckets[b]) {
      ASSERT_EQ(t, next++) << "tensors stay in backward's order";
      total += sizes[size_t(t)];
    }
    if (buckets[b].size() > 1) {
      ASSERT_LE(total, 2500) << "bucket " << b;
    }
    if (b + 1 < buckets.size()) {
      ASSERT_GT(total + sizes[size_t(buckets[b + 1].front())], 2500) << "bucket " << b << " closed too early";
    }
  }
  EXPECT_EQ(next, 200);
}

// ---- diverged_ranks ----

ch11::Buffers same_parameters(int ranks) {
  minillm::Rng rng(9);
  std::vector<float> p(257);
  rng.fill_normal(p, 0.0f, 0.02f);
  return ch11::Buffers(static_cast<size_t>(ranks), p);
}

TEST(DivergedRanks, IdenticalRanksAllAgree) {
  EXPECT_TRUE(ch11::diverged_ranks(same_parameters(4)).empty());
  EXPECT_TRUE(ch11::diverged_ranks(same_parameters(1)).empty()) << "one rank agrees with itself";
}

TEST(DivergedRanks, OneFloatOneStepOffIsFound) {
  ch11::Buffers p = same_parameters(4);
  p[2][100] = std::nextafter(p[2][100], 1.0f);  // the smallest change a float can make
  EXPECT_EQ(ch11::diverged_ranks(p), (std::vector<int>{2}));
  p = same_parameters(5);
  p[1][0] += 1;
  p[3][256] -= 1;
  EXPECT_EQ(ch11::diverged_ranks(p), (std::vector<int>{1, 3})) << "in increasing order";
}

TEST(DivergedRanks, ComparesBitsNotValues) {
  ch11::Buffers p = same_parameters(3);
  for (auto& rank : p) rank[5] = 0.0f;
  p[1][5] = -0.0f;  // == says 0.0 == -0.0, but a rank holding -0.0 has taken a different path
  EXPECT_EQ(ch11::diverged_ranks(p), (std::vector<int>{1}));
  ch11::Buffers q = same_parameters(3);
  for (auto& rank : q) rank[7] = std::numeric_limits<float>::quiet_NaN();  // the same bits on every rank
  EXPECT_TRUE(ch11::diverged_ranks(q).empty()) << "NaN != NaN, but identical bytes are identical";
}

TEST(DivergedRanks, TheSameNumbersInAnotherOrderDiffer) {
  ch11::Buffers p = same_parameters(3);
  std::swap(p[0][10], p[0][11]);  // a checksum that only adds the floats would miss this
  EXPECT_EQ(ch11::diverged_ranks(p), (std::vector<int>{0}));
}

TEST(DivergedRanks, NoMajorityIsAnError) {
  ch11::Buffers p = same_parameters(4);
  p[2][0] += 1;
  p[3][0] += 1;  // two against two: no way to tell which half went wrong
  EXPECT_THROW(ch11::diverged_ranks(p), std::runtime_error);
}

}  // namespace
