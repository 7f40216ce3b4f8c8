// shard_range: contiguous ranges, sizes within one, covering [0, n) exactly once in rank order.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "dist/shard.hpp"

namespace {

using minillm::dist::Range;
using minillm::dist::shard_range;

TEST(ShardRange, TenOverThreeGivesTheFirstRankTheExtraItem) {
  EXPECT_EQ(shard_range(10, 3, 0), (Range{0, 4}));
  EXPECT_EQ(shard_range(10, 3, 1), (Range{4, 7}));
  EXPECT_EQ(shard_range(10, 3, 2), (Range{7, 10}));
}

TEST(ShardRange, EveryCountAndRankCoversEachItemOnce) {
  for (int64_t n = 0; n <= 40; ++n)
    for (int ranks = 1; ranks <= 9; ++ranks) {
      int64_t next = 0;
      for (int r = 0; r < ranks; ++r) {
        const Range got = shard_range(n, ranks, r);
        ASSERT_EQ(got.begin, next) << n << " over " << ranks << ", rank " << r;
        ASSERT_TRUE(got.size() == n / ranks || got.size() == n / ranks + 1);
        next = got.end;
      }
      ASSERT_EQ(next, n);
    }
}

TEST(ShardRange, FewerItemsThanRanksLeavesSomeEmpty) {
  EXPECT_EQ(shard_range(2, 4, 1).size(), 1);
  EXPECT_EQ(shard_range(2, 4, 3), (Range{2, 2}));
}

TEST(ShardRange, RefusesARankThatDoesNotExist) {
  EXPECT_THROW(shard_range(10, 3, 3), minillm::Error);
  EXPECT_THROW(shard_range(10, 0, 0), minillm::Error);
  EXPECT_THROW(shard_range(-1, 2, 0), minillm::Error);
}

}  // namespace
