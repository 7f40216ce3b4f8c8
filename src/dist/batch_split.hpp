#pragma once
// How data-parallel training splits its work over the ranks, without MPI: which rows of the global batch a
// rank trains on, and each rank's share of a buffer as the counts MPI's collectives take. Pure functions of
// (size, ranks, rank), so every rank knows every other rank's share without asking.
#include <vector>

#include "dist/shard.hpp"

namespace minillm::dist {

// An Error unless `batch` sequences divide evenly among `ranks`: every rank must average the same number of
// sequences, or the mean of the ranks' mean losses is not the batch's mean. The message names the nearest
// batches that do divide.
void require_batch_divides(int batch, int ranks);

// Rank `rank`'s rows of a global batch of `batch` sequences: batch / ranks consecutive rows.
Range batch_rows(int batch, int ranks, int rank);

// Every rank's shard_range size over n floats, in rank order (MPI's counts: an Error if one exceeds an int).
std::vector<int> shard_counts(int64_t n, int ranks);

}  // namespace minillm::dist
