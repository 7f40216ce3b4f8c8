// Chapter 11 practice: the reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace ch11 {

namespace {

int ring_size(const Buffers& buffers) {
  if (buffers.empty()) throw std::invalid_argument("no ranks");
  for (const auto& b : buffers)
    if (b.size() != buffers[0].size()) throw std::invalid_argument("ranks hold buffers of different sizes");
  return static_cast<int>(buffers.size());
}

int wrap(int i, int n) { return ((i % n) + n) % n; }

// One ring step: rank r sends chunk which(r) to rank r + 1, all sends first, then all receives.
template <class Which, class Merge>
void step(Buffers& buffers, Traffic& sent, Which which, Merge merge) {
  const int N = ring_size(buffers);
  const int64_t n = static_cast<int64_t>(buffers[0].size());
  Buffers outbox(buffers.size());
  std::vector<Shard> chunks(buffers.size());
  for (int r = 0; r < N; ++r) {
    chunks[size_t(r)] = zero1_shard(n, N, which(r));
    const auto first = buffers[size_t(r)].begin() + chunks[size_t(r)].offset;
    outbox[size_t(r)].assign(first, first + chunks[size_t(r)].count);
    sent[size_t(r)] += chunks[size_t(r)].count;
  }
  for (int r = 0; r < N; ++r) {
    std::vector<float>& receiver = buffers[size_t(wrap(r + 1, N))];
    for (int64_t k = 0; k < chunks[size_t(r)].count; ++k)
      merge(receiver[size_t(chunks[size_t(r)].offset + k)], outbox[size_t(r)][size_t(k)]);
  }
}

}  // namespace

Rows shard_batch(int global_batch, int ranks, int rank) {
  if (ranks < 1 || rank < 0 || rank >= ranks) throw std::invalid_argument("no such rank");
  if (global_batch % ranks != 0) throw std::invalid_argument("the batch does not divide by the ranks");
  const int rows_each = global_batch / ranks;
  return {rank * rows_each, (rank + 1) * rows_each};
}

Shard zero1_shard(int64_t n, int ranks, int rank) {
  if (ranks < 1 || rank < 0 || rank >= ranks) throw std::invalid_argument("no such rank");
  const int64_t small = n / ranks, bigger = n % ranks;  // the first `bigger` ranks hold small + 1
  Shard s;
  s.count = rank < bigger ? small + 1 : small;
  s.offset = rank < bigger ? rank * (small + 1) : bigger * (small + 1) + (rank - bigger) * small;
  return s;
}

Traffic naive_ring_allreduce(Buffers& buffers) {
  const int N = ring_size(buffers);
  Traffic sent(size_t(N), 0);
  Buffers passing = buffers;  // passing[r]: what rank r sends next (its own buffer first)
  for (int s = 0; s + 1 < N; ++s) {
    Buffers arrived(buffers.size());
    for (int r = 0; r < N; ++r) {
      arrived[size_t(wrap(r + 1, N))] = passing[size_t(r)];
      sent[size_t(r)] += static_cast<int64_t>(passing[size_t(r)].size());
    }
    for (int r = 0; r < N; ++r)
      for (size_t k = 0; k < arrived[size_t(r)].size(); ++k) buffers[size_t(r)][k] += arrived[size_t(r)][k];
    passing = std::move(arrived);
  }
  return sent;
}

Traffic reduce_scatter(Buffers& buffers) {
  const int N = ring_size(buffers);
  Traffic sent(size_t(N), 0);
  for (int s = 0; s + 1 < N; ++s)  // rank r starts with its own chunk r and passes on what it just summed
    step(buffers, sent, [&](int r) { return wrap(r - s, N); }, [](float& kept, float got) { kept += got; });
  return sent;
}

Traffic all_gather(Buffers& buffers) {
  const int N = ring_size(buffers);
  Traffic sent(size_t(N), 0);
  for (int s = 0; s + 1 < N; ++s)  // the owned chunk first, then the chunk that arrived in the step before
    step(buffers, sent, [&](int r) { return wrap(r + 1 - s, N); }, [](float& kept, float got) { kept = got; });
  return sent;
}

CostPrediction predict_step(const CostInput& in) {
  CostPrediction out;
  out.compute_seconds = in.tokens_per_rank * in.flops_per_token / in.flops_per_second;
  const double N = in.nodes, link_bytes_per_second = in.link_gbps * 1e9 / 8;
  const double volume = 2 * (N - 1) / N * (4 * in.parameters);  // bytes each rank sends
  out.allreduce_seconds = volume / link_bytes_per_second + 2 * (N - 1) * in.latency_seconds;
  out.step_seconds = out.compute_seconds + out.allreduce_seconds;
  out.efficiency = out.compute_seconds / out.step_seconds;
  return out;
}

std::vector<std::vector<int>> bucket_gradients(const std::vector<int64_t>& sizes, int64_t cap_floats) {
  if (cap_floats < 1) throw std::invalid_argument("a bucket must hold at least one float");
  std::vector<std::vector<int>> buckets;
  int64_t filled = 0;
  for (size_t t = 0; t < sizes.size(); ++t) {
    if (buckets.empty() || filled + sizes[t] > cap_floats) {
      buckets.emplace_back();
      filled = 0;
    }
    buckets.back().push_back(static_cast<int>(t));
    filled += sizes[t];
  }
  return buckets;
}

std::vector<int> diverged_ranks(const Buffers& parameters) {
  std::vector<uint64_t> hashes;
  for (const auto& p : parameters) {
    uint64_t h = 14695981039346656037ull;
    const auto* bytes = reinterpret_cast<const unsigned char*>(p.data());
    for (size_t k = 0; k < p.size() * sizeof(float); ++k) h = (h ^ bytes[k]) * 1099511628211ull;
    hashes.push_back(h);
  }
  std::map<uint64_t, int> votes;
  for (uint64_t h : hashes) ++votes[h];
  const auto winner = std::max_element(votes.begin(), votes.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
  if (winner == votes.end() || 2 * winner->second <= static_cast<int>(hashes.size()))
    throw std::runtime_error("no majority of ranks agrees on the parameters");
  std::vector<int> odd_ones;
  for (size_t r = 0; r < hashes.size(); ++r)
    if (hashes[r] != winner->first) odd_ones.push_back(static_cast<int>(r));
  return odd_ones;
}

}  // namespace ch11
