// Vector search: minillm's flat index (tests/bench/search.sh runs it beside FAISS IndexFlatIP,
// tests/bench/search_faiss.py, on the same files) and its IVF index (recall@10 against speed).
//   bench_search data DIR N DIM NQ          writes DIR/base.f32 [N, DIM] and DIR/queries.f32 [NQ, DIM]: unit
//                                           vectors, uniform random directions (seed 1)
//   bench_search flat DIR DIM THREADS REPS  batched (all queries in one call) and single (one call per query)
//                                           queries/s, best of REPS; writes DIR/minillm_ids.i64 and
//                                           DIR/minillm_scores.f32 (k = 10, batched)
//   bench_search bandwidth THREADS          the machine's read bandwidth (GB/s), summing a 256 MB array
//   bench_search ivf OUT_PNG N NQ LISTS     clustered data (N around 1000 centres, 128-d): recall@10 and
//                                           queries/s over nprobe, against the flat index; a PNG of the curve
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <omp.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "io/atomic_file.hpp"
#include "plot/charts.hpp"
#include "search/flat_index.hpp"
#include "search/ivf_index.hpp"
#include "search/vectors.hpp"
#include "search_bench_common.hpp"

using namespace minillm;
using bench::Clock;
using bench::since;

namespace {

std::vector<float> read_floats(const std::string& path) {
  const std::string bytes = read_file(path);
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

void write_bytes(const std::string& path, const void* data, size_t bytes) {
  write_file_atomically(path, std::string_view(static_cast<const char*>(data), bytes));
}

std::vector<float> unit_rows(int64_t n, int dim, Rng& rng) {
  std::vector<float> v(size_t(n * dim));
  rng.fill_normal(v, 0, 1);
  search::normalise_rows(v.data(), n, dim);
  return v;
}

int make_data(const std::string& dir, int64_t n, int dim, int64_t nq) {
  Rng rng(1);
  const auto base = unit_rows(n, dim, rng), queries = unit_rows(nq, dim, rng);
  write_bytes(dir + "/base.f32", base.data(), base.size() * sizeof(float));
  write_bytes(dir + "/queries.f32", queries.data(), queries.size() * sizeof(float));
  return 0;
}

int flat(const std::string& dir, int dim, int threads, int reps) {
  set_num_threads(threads);
  const auto base = read_floats(dir + "/base.f32"), queries = read_floats(dir + "/queries.f32");
  search::FlatIndex index(dim);
  index.add(base.data(), int64_t(base.size()) / dim);
  const int64_t nq = int64_t(queries.size()) / dim;
  double batched = 1e30, single = 1e30;
  search::SearchResults r;
  for (int rep = 0; rep < reps; ++rep) {
    auto t = Clock::now();
    r = index.search(queries.data(), nq, 10);
    batched = std::min(batched, since(t));
    t = Clock::now();
    int64_t mismatched = 0;
    for (int64_t q = 0; q < nq; ++q) {
      const search::SearchResults one = index.search(queries.data() + q * dim, 1, 10);
      mismatched += one.ids[0] != r.ids[size_t(q * 10)];
    }
    single = std::min(single, since(t));
    if (mismatched > 0) fmt::print("single_vs_batched_top1_differences {}\n", mismatched);
  }
  // The other way to use the threads, for comparison: one scan over all rows from the main thread, with
  // OpenBLAS's own pool splitting each sgemm (no OpenMP). FlatIndex::search instead gives each OpenMP thread
  // a slice and keeps BLAS on the calling thread.
  const double blas_pool = bench::best_seconds(reps, [&] {
    std::vector<search::TopK> tops(static_cast<size_t>(nq), search::TopK(10));
    search::scan_rows(index.data(), dim, 0, index.size(), queries.data(), nq, tops.data());
    for (auto& top : tops) top.take_sorted();
  });
  fmt::print("batched_qps_blas_pool {:.1f}\n", double(nq) / blas_pool);
  write_bytes(dir + "/minillm_ids.i64", r.ids.data(), r.ids.size() * sizeof(int64_t));
  write_bytes(dir + "/minillm_scores.f32", r.scores.data(), r.scores.size() * sizeof(float));
  fmt::print("batched_qps {:.1f}\nsingle_qps {:.1f}\nsingle_seconds_per_query {:.6f}\nmatrix_bytes {}\n",
             double(nq) / batched, double(nq) / single, single / double(nq), base.size() * sizeof(float));
  return 0;
}

int bandwidth(int threads) {
  const size_t n = (size_t(256) << 20) / sizeof(float);
  std::vector<float> a(n, 1.0f);
  double best = 1e30, total = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t = Clock::now();
    double sum = 0;
#pragma omp parallel for num_threads(threads) reduction(+ : sum) schedule(static)
    for (int64_t i = 0; i < int64_t(n); i += 16) {
      float s = 0;
      for (int j = 0; j < 16; ++j) s += a[size_t(i + j)];
      sum += s;
    }
    best = std::min(best, since(t));
    total += sum;
  }
  fmt::print("read_gb_per_s {:.2f}\n(check {})\n", double(n * sizeof(float)) / best / 1e9, total > 0);
  return 0;
}

std::vector<float> clustered(int64_t n, int dim, int centres, Rng& rng) {
  const auto c = unit_rows(centres, dim, rng);
  std::vector<float> v(size_t(n * dim));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t centre = int64_t(rng.below(uint64_t(centres)));
    for (int j = 0; j < dim; ++j) v[size_t(i * dim + j)] = c[size_t(centre * dim + j)] + rng.normal(0, 0.08f);
  }
  search::normalise_rows(v.data(), n, dim);
  return v;
}

int ivf(const std::string& png, int64_t n, int64_t nq, int lists) {
  const int dim = 128;
  Rng rng(3);
  const auto data = clustered(n + nq, dim, 1000, rng);
  search::FlatIndex flat(dim);
  flat.add(data.data(), n);
  const float* queries = data.data() + n * dim;
  const auto t = Clock::now();
  const search::IvfIndex index = search::IvfIndex::train(flat, lists, rng);
  fmt::print("ivf_train_seconds {:.2f} (k-means on {} sampled vectors, {} lists)\n", since(t), std::min<int64_t>(n, 40 * lists), lists);
  plot::Series s{"clustered, 100k x 128 (1000 centres)", {}, {}, std::nullopt, 2.5, true};
  for (const bench::IvfPoint& p : bench::ivf_recall_and_speed(flat, index, queries, nq, "")) {
    s.x.push_back(p.speedup);
    s.y.push_back(p.recall_at_10);
  }
  plot::line_chart(png, {"IVF over k-means: recall@10 against speed", "times the flat index's queries/s", "recall@10",
                         {s}, true, false, {}, 900, 600, {}});
  fmt::print("wrote {}\n", png);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "data" && argc == 6) return make_data(argv[2], std::atoll(argv[3]), std::atoi(argv[4]), std::atoll(argv[5]));
    if (mode == "flat" && argc == 6) return flat(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]));
    if (mode == "bandwidth" && argc == 3) return bandwidth(std::atoi(argv[2]));
    if (mode == "ivf" && argc == 6) return ivf(argv[2], std::atoll(argv[3]), std::atoll(argv[4]), std::atoi(argv[5]));
    std::fprintf(stderr, "usage: see the comment at the top of tests/bench/bench_search.cpp\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
