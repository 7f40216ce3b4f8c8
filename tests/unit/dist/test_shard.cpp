// Data parallelism's arithmetic (src/dist/shard.hpp), checked for many batch and buffer sizes without mpirun.
#include <gtest/gtest.h>

#include <vector>

#include "core/error.hpp"
#include "dist/shard.hpp"

namespace minillm::dist {
namespace {

TEST(Shard, BatchRowsAreDisjointAndCoverTheBatch) {
  for (int ranks = 1; ranks <= 8; ++ranks) {
    for (int batch = ranks; batch <= 64; batch += ranks) {
      std::vector<int> owner(static_cast<size_t>(batch), -1);
      for (int r = 0; r < ranks; ++r) {
        const RowRange rows = batch_rows(batch, r, ranks);
        EXPECT_EQ(rows.count(), batch / ranks);
        for (int b = rows.begin; b < rows.end; ++b) {
          ASSERT_EQ(owner[size_t(b)], -1) << "row " << b << " of " << batch << " is taken twice";
          owner[size_t(b)] = r;
        }
      }
      for (int b = 0; b < batch; ++b) EXPECT_NE(owner[size_t(b)], -1) << "row " << b << " of " << batch;
    }
  }
}

TEST(Shard, ABatchThatDoesNotDivideIsRefusedNamingWhatToPass) {
  try {
    require_batch_divides(16, 3);
    FAIL() << "16 rows among 3 ranks were accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--batch 16 does not divide among 3 ranks (each rank trains on an equal share of every "
                           "batch): pass --batch 15 or --batch 18, a multiple of 3");
  }
  EXPECT_THROW(require_batch_divides(2, 3), Error);
  EXPECT_NO_THROW(require_batch_divides(18, 3));
  EXPECT_THROW(batch_rows(16, 0, 3), Error);
  EXPECT_THROW(batch_rows(16, 2, 2), Error);  // no rank 2 among 2
}

TEST(Shard, ShardsTileTheBufferInRankOrderAndDifferByAtMostOne) {
  for (int ranks = 1; ranks <= 7; ++ranks) {
    for (int64_t n : {0, 1, 2, 5, 6, 7, 100, 1001, 36096}) {
      int64_t next = 0, smallest = n, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const ShardRange s = shard_range(n, r, ranks);
        EXPECT_EQ(s.begin, next) << n << " floats, rank " << r << " of " << ranks;
        next = s.end;
        smallest = std::min(smallest, s.size());
        largest = std::max(largest, s.size());
      }
      EXPECT_EQ(next, n);
      EXPECT_LE(largest - smallest, 1);
      const std::vector<int> counts = shard_counts(n, ranks);
      ASSERT_EQ(counts.size(), size_t(ranks));
      EXPECT_EQ(counts.front(), shard_range(n, 0, ranks).size());
    }
  }
  // 10 floats among 4 ranks: 3, 3, 2, 2.
  EXPECT_EQ(shard_counts(10, 4), (std::vector<int>{3, 3, 2, 2}));
}

}  // namespace
}  // namespace minillm::dist
