#pragma once
// This machine's memory read bandwidth, for the decoding benchmarks' limits (tokens/s cannot beat bandwidth
// divided by the bytes a token must read): a vectorised streaming read (sum) of a 1 GiB buffer, best of 5.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace minillm::bench {

// The probe's inner loop: 16 independent partial sums, which the compiler turns into vector adds (a
// single running sum would be one dependent scalar add per float: far below what memory can deliver).
__attribute__((target_clones("avx2", "default"))) inline float sum_floats(const float* x, size_t n) {
  float acc[16] = {};
  for (size_t i = 0; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; ++j) acc[j] += x[i + j];
  float s = 0;
  for (float a : acc) s += a;
  return s;
}

// GB/s of reading `buffer` once, split between `threads` threads (best of 5 reads).
inline double read_bandwidth(const std::vector<float>& buffer, int threads) {
  using Clock = std::chrono::steady_clock;
  const size_t n = buffer.size(), chunk = (n / static_cast<size_t>(threads)) & ~size_t{15};
  double best = 1e30;
  volatile float sink = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto start = Clock::now();
    float total = 0;
#pragma omp parallel for num_threads(threads) reduction(+ : total) schedule(static)
    for (int t = 0; t < threads; ++t) total += sum_floats(buffer.data() + static_cast<size_t>(t) * chunk, chunk);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    sink = sink + total;
  }
  return static_cast<double>(chunk) * threads * sizeof(float) / best / 1e9;
}

// The bandwidth on 1 and 2 threads, [0] and [1], of a 1 GiB buffer (touched, so not lazily zero pages).
inline std::vector<double> read_bandwidths() {
  std::vector<float> buffer((size_t{1} << 30) / sizeof(float), 1.0f);
  return {read_bandwidth(buffer, 1), read_bandwidth(buffer, 2)};
}

}  // namespace minillm::bench
