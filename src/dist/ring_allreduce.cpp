#include "dist/ring_allreduce.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "dist/shard.hpp"

namespace minillm::dist {

namespace {

int ranks_of(const RankBuffers& buffers) {
  require(!buffers.empty(), "ring all-reduce: there are no ranks");
  for (const auto& b : buffers)
    require(b.size() == buffers.front().size(), "ring all-reduce: rank buffers differ in size ({} and {} floats)",
            b.size(), buffers.front().size());
  return int(buffers.size());
}

int mod(int a, int n) { return ((a % n) + n) % n; }

// lesson: ring_step
// One step of the ring. Every rank r sends chunk send_chunk(r) of its buffer to rank r + 1; the messages are
// copied out first and delivered after, because on a real network all N sends are in flight at once and no
// rank sees a chunk its neighbour changed in the same step. `combine` adds (reduce-scatter) or overwrites
// (all-gather) the receiver's copy of that chunk.
template <class SendChunk, class Combine>
void ring_step(RankBuffers& buffers, Traffic& traffic, SendChunk send_chunk, Combine combine) {
  const int N = int(buffers.size());
  const int64_t n = int64_t(buffers.front().size());
  RankBuffers in_flight(static_cast<size_t>(N));  // in_flight[r]: the message rank r sent
  for (int r = 0; r < N; ++r) {
    const Range c = shard_range(n, N, send_chunk(r));
    in_flight[size_t(r)].assign(buffers[size_t(r)].begin() + c.begin, buffers[size_t(r)].begin() + c.end);
    traffic[size_t(r)] += c.size();
  }
  for (int r = 0; r < N; ++r) {
    const int to = (r + 1) % N;
    const Range c = shard_range(n, N, send_chunk(r));
    float* dst = buffers[size_t(to)].data() + c.begin;
    for (int64_t i = 0; i < c.size(); ++i) combine(dst[i], in_flight[size_t(r)][size_t(i)]);
  }
}
// end lesson: ring_step

}  // namespace

int owned_chunk(int rank, int ranks) { return (rank + 1) % ranks; }

// lesson: ring_reduce_scatter
Traffic ring_reduce_scatter(RankBuffers& buffers) {
  const int N = ranks_of(buffers);
  Traffic traffic(size_t(N), 0);
  for (int s = 0; s < N - 1; ++s)  // after step s, a chunk's running sum covers s + 2 ranks
    ring_step(buffers, traffic, [&](int r) { return mod(r - s, N); }, [](float& mine, float in) { mine += in; });
  return traffic;
}
// end lesson: ring_reduce_scatter

// lesson: ring_all_gather
Traffic ring_all_gather(RankBuffers& buffers) {
  const int N = ranks_of(buffers);
  Traffic traffic(size_t(N), 0);
  for (int s = 0; s < N - 1; ++s)  // step 0 passes on the chunk each rank owns; then what it just received
    ring_step(buffers, traffic, [&](int r) { return mod(owned_chunk(r, N) - s, N); },
              [](float& mine, float in) { mine = in; });
  return traffic;
}
// end lesson: ring_all_gather

Traffic ring_allreduce(RankBuffers& buffers) {
  Traffic traffic = ring_reduce_scatter(buffers);
  const Traffic gather = ring_all_gather(buffers);
  for (size_t r = 0; r < traffic.size(); ++r) traffic[r] += gather[r];
  return traffic;
}

}  // namespace minillm::dist
