// The collectives data-parallel training relies on (src/mpi/mpi_world.cpp), run under mpirun with 2 and 3
// ranks (tests/cmake/mpi.cmake): each rank fills buffers with values the test knows, so every result has a
// known answer computed here by formula, as llm.c's all-reduce test does. Rank 0 prints the results; every
// rank's failures make the job fail.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "dist/communicator.hpp"
#include "dist/batch_split.hpp"
#include "mpi/mpi_world.hpp"

namespace minillm {
namespace {

dist::Communicator* g_world = nullptr;

// Rank r's value at i: small integers and halves, so float sums are exact and the expected sum is exact too.
float value(int rank, int64_t i) { return float(rank + 1) + 0.5f * float(i % 7); }
float sum_over_ranks(int ranks, int64_t i) {
  float s = 0;
  for (int r = 0; r < ranks; ++r) s += value(r, i);
  return s;
}

TEST(MpiCollectives, AllReduceGivesTheKnownSumOnEveryRank) {
  const int rank = g_world->rank(), ranks = g_world->size();
  std::vector<float> x(1001);
  for (size_t i = 0; i < x.size(); ++i) x[i] = value(rank, int64_t(i));
  g_world->all_reduce_sum(x);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x[i], sum_over_ranks(ranks, int64_t(i))) << "at " << i;
  double d[2] = {double(rank), 1.0};
  g_world->all_reduce_sum(d);
  EXPECT_EQ(d[0], ranks * (ranks - 1) / 2.0);
  EXPECT_EQ(d[1], double(ranks));
}

TEST(MpiCollectives, BucketsStartedOneByOneAllArriveAtWaitAll) {
  const int rank = g_world->rank(), ranks = g_world->size();
  std::vector<float> x(5000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = value(rank, int64_t(i));
  const std::span<float> all(x);
  for (size_t begin : {4000, 1500, 0}) {  // buckets in the backward's order: the last layer's first
    const size_t end = begin == 4000 ? 5000 : begin == 1500 ? 4000 : 1500;
    g_world->start_all_reduce_sum(all.subspan(begin, end - begin));
    g_world->progress();
  }
  g_world->wait_all();
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x[i], sum_over_ranks(ranks, int64_t(i))) << "at " << i;
}

TEST(MpiCollectives, ReduceScatterThenAllGatherOfUnevenShardsIsTheAllReduce) {
  const int rank = g_world->rank(), ranks = g_world->size();
  const int64_t n = 1000 + ranks - 1;  // does not divide by 2 or 3: uneven shards
  const std::vector<int> counts = dist::shard_counts(n, ranks);
  const dist::Range mine = dist::shard_range(n, ranks, rank);
  std::vector<float> x(static_cast<size_t>(n)), shard(static_cast<size_t>(mine.size()));
  for (int64_t i = 0; i < n; ++i) x[size_t(i)] = value(rank, i);
  g_world->reduce_scatter_sum(x, shard, counts);
  for (int64_t i = 0; i < mine.size(); ++i) ASSERT_EQ(shard[size_t(i)], sum_over_ranks(ranks, mine.begin + i));
  std::fill(x.begin(), x.end(), -1.0f);
  std::copy(shard.begin(), shard.end(), x.begin() + mine.begin);
  g_world->all_gather(x, counts);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(x[size_t(i)], sum_over_ranks(ranks, i)) << "at " << i;
  std::vector<float> whole(rank == 0 ? size_t(n) : 0);
  g_world->gather_to_first(shard, whole, counts);
  for (int64_t i = 0; rank == 0 && i < n; ++i) ASSERT_EQ(whole[size_t(i)], sum_over_ranks(ranks, i)) << "at " << i;
}

TEST(MpiCollectives, BroadcastAndGatherOfValues) {
  const int rank = g_world->rank(), ranks = g_world->size();
  EXPECT_EQ(g_world->broadcast_from_first(rank == 0 ? 42 : -1), 42);
  std::vector<float> x(10, float(rank));
  g_world->broadcast_from_first(std::span<float>(x));
  EXPECT_EQ(x, std::vector<float>(10, 0.0f));
  const uint64_t mine[2] = {uint64_t(rank), uint64_t(rank) * 10};
  const std::vector<uint64_t> all = g_world->all_gather(mine);
  ASSERT_EQ(all.size(), size_t(2 * ranks));
  for (int r = 0; r < ranks; ++r) EXPECT_EQ(all[size_t(2 * r + 1)], uint64_t(r) * 10);
}

// Every rank takes its rows of the batch; gathered, the rows are disjoint and cover the batch once.
TEST(MpiCollectives, TheRanksRowsAreDisjointAndCoverTheBatch) {
  const int ranks = g_world->size(), batch = 6 * ranks;
  const dist::Range rows = dist::batch_rows(batch, ranks, g_world->rank());
  const uint64_t mine[2] = {uint64_t(rows.begin), uint64_t(rows.end)};
  const std::vector<uint64_t> all = g_world->all_gather(mine);
  std::vector<int> taken(size_t(batch), 0);
  for (int r = 0; r < ranks; ++r)
    for (uint64_t b = all[size_t(2 * r)]; b < all[size_t(2 * r + 1)]; ++b) ++taken[b];
  EXPECT_EQ(taken, std::vector<int>(size_t(batch), 1));
}

}  // namespace
}  // namespace minillm

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  minillm::mpi::Session session;
  if (session.world() == nullptr) {
    std::fprintf(stderr, "run this test under mpirun (tests/cmake/mpi.cmake does)\n");
    return 1;
  }
  minillm::g_world = session.world();
  if (session.world()->rank() != 0) {  // one rank's report is enough; failures still set the exit status
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  std::printf("ranks: %d\n", session.world()->size());
  return RUN_ALL_TESTS();
}
