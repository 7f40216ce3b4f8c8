#include "dist/shard.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace minillm::dist {

void require_batch_divides(int batch, int ranks) {
  require(ranks >= 1, "a run needs at least 1 rank, not {}", ranks);
  if (batch % ranks == 0) return;
  const int below = batch / ranks * ranks, above = below + ranks;
  const std::string choices = below > 0 ? fmt::format("--batch {} or --batch {}", below, above)
                                        : fmt::format("--batch {}", above);
  fail("--batch {} does not divide among {} ranks (each rank trains on an equal share of every batch): pass {}, "
       "a multiple of {}", batch, ranks, choices, ranks);
}

// lesson: batch_rows
RowRange batch_rows(int batch, int rank, int ranks) {
  require_batch_divides(batch, ranks);
  require(rank >= 0 && rank < ranks, "rank {} of {} ranks does not exist", rank, ranks);
  const int rows = batch / ranks;  // every rank the same number: their mean losses weigh the same
  return {rank * rows, (rank + 1) * rows};
}
// end lesson: batch_rows

// lesson: shard_range
ShardRange shard_range(int64_t n, int rank, int ranks) {
  require(n >= 0 && ranks >= 1 && rank >= 0 && rank < ranks, "shard_range: rank {} of {} over {} floats", rank,
          ranks, n);
  const int64_t base = n / ranks, extra = n % ranks;  // the first `extra` ranks hold one float more
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}
// end lesson: shard_range

std::vector<int> shard_counts(int64_t n, int ranks) {
  std::vector<int> counts;
  for (int r = 0; r < ranks; ++r) {
    const int64_t size = shard_range(n, r, ranks).size();
    require(size <= std::numeric_limits<int>::max(), "a shard of {} floats is too large for one MPI message", size);
    counts.push_back(static_cast<int>(size));
  }
  return counts;
}

}  // namespace minillm::dist
