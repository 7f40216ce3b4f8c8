#include "dist/batch_split.hpp"

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
Range batch_rows(int batch, int ranks, int rank) {
  require_batch_divides(batch, ranks);
  require(rank >= 0 && rank < ranks, "rank {} of {} ranks does not exist", rank, ranks);
  const int rows = batch / ranks;  // every rank the same number: their mean losses weigh the same
  return {int64_t{rank} * rows, int64_t{rank + 1} * rows};
}
// end lesson: batch_rows

std::vector<int> shard_counts(int64_t n, int ranks) {
  std::vector<int> counts;
  for (int r = 0; r < ranks; ++r) {
    const int64_t size = shard_range(n, ranks, r).size();
    require(size <= std::numeric_limits<int>::max(), "a shard of {} floats is too large for one MPI message", size);
    counts.push_back(static_cast<int>(size));
  }
  return counts;
}

}  // namespace minillm::dist
