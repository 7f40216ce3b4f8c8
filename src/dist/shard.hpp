#pragma once
// Data parallelism's arithmetic, without MPI: which rows of the global batch a rank trains on, and which
// floats of the parameter buffer a rank owns under ZeRO-1. Pure functions of (size, rank, ranks), so every
// rank computes every other rank's share without asking, and a unit test checks them without mpirun.
#include <cstdint>
#include <vector>

namespace minillm::dist {

// Rows [begin, end) of a batch.
struct RowRange {
  int begin = 0, end = 0;
  int count() const { return end - begin; }
};

// An Error unless `batch` sequences divide evenly among `ranks` (every rank must average the same number
// of sequences, or the average of the ranks' means is not the batch's mean). The message names the nearest
// batches that do divide.
void require_batch_divides(int batch, int ranks);

// Rank `rank`'s rows of a global batch of `batch` sequences: batch / ranks consecutive rows.
RowRange batch_rows(int batch, int rank, int ranks);

// Floats [begin, end) of a buffer.
struct ShardRange {
  int64_t begin = 0, end = 0;
  int64_t size() const { return end - begin; }
};

// Rank `rank`'s shard of n floats: n / ranks each, and the first n % ranks ranks one more, so shards differ
// by at most one float and lie in rank order, together covering [0, n) once.
ShardRange shard_range(int64_t n, int rank, int ranks);

// Every rank's shard size, in rank order (MPI's per-rank counts; an Error if one does not fit in an int).
std::vector<int> shard_counts(int64_t n, int ranks);

}  // namespace minillm::dist
