#pragma once
// Splitting n things (a batch's rows, a gradient's floats, AdamW's m and v) over N ranks: each rank gets one
// contiguous range, the sizes differ by at most one, and the ranges in rank order cover [0, n) exactly once.
// The ring all-reduce cuts a gradient into its chunks this way, and ZeRO-1 the optimizer state.
#include <cstdint>

namespace minillm::dist {

struct Range {
  int64_t begin = 0, end = 0;  // [begin, end)
  int64_t size() const { return end - begin; }
  bool operator==(const Range&) const = default;
};

// Rank `rank`'s part of n items over `ranks` ranks: the first n % ranks ranks get one item more.
// An Error when ranks < 1, rank is outside [0, ranks) or n < 0.
Range shard_range(int64_t n, int ranks, int rank);

}  // namespace minillm::dist
