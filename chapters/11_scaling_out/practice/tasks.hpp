#pragma once
// Chapter 11 practice: data parallelism without a network. Every task runs in one process: N ranks are N
// vectors in memory, and "rank r sends x to rank r + 1" is a copy you make. Ranks stand in a ring: rank r's
// right neighbour is (r + 1) mod N, its left neighbour (r - 1 + N) mod N.
#include <cstdint>
#include <vector>

namespace ch11 {

using Buffers = std::vector<std::vector<float>>;  // [N ranks][n floats], the same n on every rank
using Traffic = std::vector<int64_t>;             // floats each rank sent, indexed by rank

// 1. The rows of a global batch that one rank trains on (lesson: How It Works, step 2). Every rank gets the
// same number of rows, in one contiguous block, in rank order: rank 0 the first rows. Together the ranks
// cover rows [0, global_batch) once. Throws std::invalid_argument when global_batch does not divide by
// ranks, or rank is not in [0, ranks).
struct Rows {
  int begin = 0, end = 0;  // [begin, end)
  bool operator==(const Rows&) const = default;
};
Rows shard_batch(int global_batch, int ranks, int rank);

// 2. ZeRO-1's shard (step 7): the floats [offset, offset + count) of a gradient of n floats whose AdamW m and
// v rank `rank` of `ranks` keeps and updates. Contiguous, in rank order, covering [0, n) once, sizes
// differing by at most one, the larger shards first. n need not divide by ranks; a shard may be empty when
// n < ranks. The ring's chunks (tasks 4 and 5) are these shards too, chunk c being shard c.
struct Shard {
  int64_t offset = 0, count = 0;
  bool operator==(const Shard&) const = default;
};
Shard zero1_shard(int64_t n, int ranks, int rank);

// 3. The simplest all-reduce on a ring (step 5): every rank's whole buffer travels around the ring, one hop
// a step, for N - 1 steps; each rank adds every buffer that reaches it to its own running sum. In each step
// all ranks send at once, so what a rank sends in step s is what it received in step s - 1 (its own buffer in
// step 0). Afterwards every buffers[r] holds the element-wise sum of all the buffers it started with.
// Returns the floats each rank sent.
Traffic naive_ring_allreduce(Buffers& buffers);

// 4. Reduce-scatter on a ring (step 6), chunks as in zero1_shard. N - 1 steps; in each, every rank sends one
// chunk of its buffer to its right neighbour, who adds it into its own copy of that chunk, all ranks at
// once. Afterwards:
//   - rank r's chunk (r + 1) mod N holds the sum over all ranks of that chunk (rank r "owns" it);
//   - rank r's chunk c holds the sum of the starting chunks c of ranks c, c + 1, ..., r (walking right around
//     the ring from c to r): the chunk began at rank c and gathered one rank's values per hop.
// Returns the floats each rank sent.
Traffic reduce_scatter(Buffers& buffers);

// 5. All-gather on a ring (step 6). On entry only rank r's chunk (r + 1) mod N is meaningful (what
// reduce_scatter leaves it owning); every other float may be anything, NaN included, and must not be read
// into the result. N - 1 steps; in each, every rank sends one chunk to its right neighbour, who overwrites
// its copy. Afterwards every rank holds every rank's owned chunk. Returns the floats each rank sent.
Traffic all_gather(Buffers& buffers);

// 6. The cost model (step 10): one data-parallel step on `nodes` nodes.
struct CostInput {
  double parameters = 0;       // float32 gradients to all-reduce
  double flops_per_token = 0;  // training FLOPs per token, forward + backward
  double tokens_per_rank = 0;  // per step
  double flops_per_second = 0; // one node's training rate
  double link_gbps = 0;        // link bandwidth, gigabits (1e9 bits) a second
  double latency_seconds = 0;  // one message's latency
  int nodes = 1;
};
struct CostPrediction {
  double compute_seconds = 0;    // one rank's forward + backward
  double allreduce_seconds = 0;  // the ring all-reduce of the gradients (0 on one node)
  double step_seconds = 0;       // compute, then all-reduce (no overlap)
  double efficiency = 0;         // the share of the step spent computing
};
CostPrediction predict_step(const CostInput& in);

// 7. Gradient buckets (step 8): tensors' sizes in floats, in the order backward finishes them, grouped into
// buckets to all-reduce one at a time. Each bucket is a run of consecutive tensors (their indices, in order).
// A tensor goes into the current bucket unless that would take the bucket past cap_floats; then the current
// bucket is closed and the tensor starts the next one. A tensor larger than the cap gets a bucket of its own.
// No bucket is empty; no sizes, no buckets. Throws std::invalid_argument for cap_floats < 1.
std::vector<std::vector<int>> bucket_gradients(const std::vector<int64_t>& sizes, int64_t cap_floats);

// 8. Finding a rank that diverged (step 9). parameters[r] is rank r's copy of the model. Compare each rank's
// 64-bit FNV-1a hash of its floats' bytes (as the ranks of a real job would, 8 bytes each instead of the
// model): start from 14695981039346656037, and for each byte, xor it in and multiply by 1099511628211 (mod
// 2^64). Returns, in increasing order, the ranks whose hash differs from the hash most ranks share (more
// than half of them). Throws std::runtime_error when no hash is shared by more than half of the ranks.
std::vector<int> diverged_ranks(const Buffers& parameters);

}  // namespace ch11
