#pragma once
// What the two search benchmarks share (bench_search.cpp on synthetic vectors, bench_retrieval.cpp on Moby
// Dick's passages): timing, the nprobe values to try, and IVF's recall@10 and speed against the flat index.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "search/flat_index.hpp"
#include "search/ivf_index.hpp"
#include "search/recall.hpp"

namespace minillm::bench {

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The fastest of `reps` runs of fn(), in seconds.
template <typename F>
double best_seconds(int reps, F&& fn) {
  double best = 1e30;
  for (int rep = 0; rep < reps; ++rep) {
    const auto t = Clock::now();
    fn();
    best = std::min(best, since(t));
  }
  return best;
}

// 1, 2, 3, 4, 6, 8, 12, 16, ... up to lists: doubling, with the midpoints, so the curve has enough points
// near where recall crosses 0.95.
inline std::vector<int> nprobe_sweep(int lists) {
  std::vector<int> out;
  for (int p = 1; p <= lists; p *= 2) {
    out.push_back(p);
    if (p >= 2 && p + p / 2 < lists) out.push_back(p + p / 2);
  }
  return out;
}

struct IvfPoint {
  int nprobe;
  double recall_at_10, speedup;  // speedup: times the flat index's queries/s
};

// The flat index's top 10 of the queries [nq, dim] as the truth (best of 3 for its speed), then the IVF index
// at every nprobe of the sweep (best of 3 each). Prints "<prefix>flat_qps" and one "<prefix>ivf nprobe" line
// per point.
inline std::vector<IvfPoint> ivf_recall_and_speed(const search::FlatIndex& flat, const search::IvfIndex& ivf,
                                                  const float* queries, int64_t nq, const std::string& prefix) {
  search::SearchResults exact, approximate;
  const double flat_seconds = best_seconds(3, [&] { exact = flat.search(queries, nq, 10); });
  fmt::print("{}flat_qps {:.1f}\n", prefix, double(nq) / flat_seconds);
  std::vector<IvfPoint> points;
  for (int nprobe : nprobe_sweep(ivf.lists())) {
    const double seconds = best_seconds(3, [&] { approximate = ivf.search(queries, nq, 10, nprobe); });
    points.push_back({nprobe, search::recall_at_k(exact, approximate, 10), flat_seconds / seconds});
    fmt::print("{}ivf nprobe {} recall@10 {:.4f} qps {:.1f} speedup {:.2f}x\n", prefix, nprobe,
               points.back().recall_at_10, double(nq) / seconds, points.back().speedup);
  }
  return points;
}

}  // namespace minillm::bench
