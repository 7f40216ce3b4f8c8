#include "dist/shard.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace minillm::dist {

// lesson: shard_range
Range shard_range(int64_t n, int ranks, int rank) {
  require(ranks >= 1 && rank >= 0 && rank < ranks, "shard_range: rank {} of {} ranks does not exist", rank, ranks);
  require(n >= 0, "shard_range: {} items cannot be split", n);
  const int64_t base = n / ranks, extra = n % ranks;  // the first `extra` ranks hold base + 1 items
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}
// end lesson: shard_range

}  // namespace minillm::dist
