// How data-parallel training splits a batch and a buffer (src/dist/batch_split.hpp), for many sizes, without mpirun.
#include <gtest/gtest.h>

#include <vector>

#include "core/error.hpp"
#include "dist/batch_split.hpp"

namespace minillm::dist {
namespace {

TEST(BatchSplit, BatchRowsAreDisjointAndCoverTheBatch) {
  for (int ranks = 1; ranks <= 8; ++ranks) {
    for (int batch = ranks; batch <= 64; batch += ranks) {
      std::vector<int> owner(static_cast<size_t>(batch), -1);
      for (int r = 0; r < ranks; ++r) {
        const Range rows = batch_rows(batch, ranks, r);
        EXPECT_EQ(rows.size(), batch / ranks);
        for (int64_t b = rows.begin; b < rows.end; ++b) {
          ASSERT_EQ(owner[size_t(b)], -1) << "row " << b << " of " << batch << " is taken twice";
          owner[size_t(b)] = r;
        }
      }
      for (int b = 0; b < batch; ++b) EXPECT_NE(owner[size_t(b)], -1) << "row " << b << " of " << batch;
    }
  }
}

TEST(BatchSplit, ABatchThatDoesNotDivideIsRefusedNamingWhatToPass) {
  try {
    require_batch_divides(16, 3);
    FAIL() << "16 rows among 3 ranks were accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--batch 16 does not divide among 3 ranks (each rank trains on an equal share of every "
                           "batch): pass --batch 15 or --batch 18, a multiple of 3");
  }
  EXPECT_THROW(require_batch_divides(2, 3), Error);
  EXPECT_NO_THROW(require_batch_divides(18, 3));
  EXPECT_THROW(batch_rows(16, 3, 0), Error);
  EXPECT_THROW(batch_rows(16, 2, 2), Error);  // no rank 2 among 2
}

TEST(BatchSplit, ShardCountsAreTheShardRangesSizesInRankOrder) {
  for (int ranks = 1; ranks <= 7; ++ranks) {
    for (int64_t n : {0, 1, 5, 1001, 36096}) {
      const std::vector<int> counts = shard_counts(n, ranks);
      ASSERT_EQ(counts.size(), size_t(ranks));
      int64_t total = 0;
      for (int r = 0; r < ranks; ++r) {
        EXPECT_EQ(counts[size_t(r)], shard_range(n, ranks, r).size());
        total += counts[size_t(r)];
      }
      EXPECT_EQ(total, n);
    }
  }
  EXPECT_EQ(shard_counts(10, 4), (std::vector<int>{3, 3, 2, 2}));  // 10 floats among 4 ranks
}

}  // namespace
}  // namespace minillm::dist
