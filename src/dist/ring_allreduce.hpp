#pragma once
// The ring all-reduce, simulated in one process (the plain form the lesson draws and the tests trust).
// buffers[r] is rank r's gradient, n floats, the same n on every rank. The ranks stand in a ring; in each
// step every rank sends one chunk to its right neighbour (r + 1) and receives one from its left (r - 1), all
// at once. The gradient is cut into N chunks by shard_range (sizes differ by at most one float).
//
//   reduce-scatter (N - 1 steps): in step s rank r sends chunk (r - s) mod N, and the receiver adds it to
//     its own copy of that chunk. Afterwards rank r holds the sum over all ranks of chunk (r + 1) mod N.
//   all-gather (N - 1 steps): in step s rank r sends chunk (r + 1 - s) mod N, and the receiver overwrites its
//     copy. Afterwards every rank holds every chunk's sum.
//
// Each rank sends about 2 (N - 1) / N of the gradient in all, however many ranks there are: that is why the
// ring is the bandwidth-optimal all-reduce and why the cost model's bandwidth term hardly grows with N.
#include <cstdint>
#include <vector>

namespace minillm::dist {

using RankBuffers = std::vector<std::vector<float>>;  // [N][n]

// Floats each rank sent, indexed by rank (uneven chunks make them differ by a few floats).
using Traffic = std::vector<int64_t>;

// The chunk rank r owns after reduce-scatter: (r + 1) mod N.
int owned_chunk(int rank, int ranks);

Traffic ring_reduce_scatter(RankBuffers& buffers);
Traffic ring_all_gather(RankBuffers& buffers);
// Both phases: every buffer becomes the element-wise sum of all of them. Divide by N for the mean.
Traffic ring_allreduce(RankBuffers& buffers);

}  // namespace minillm::dist
