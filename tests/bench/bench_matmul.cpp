// Matmul benchmark: the naive triple loop, the cache-blocked loop and OpenBLAS's sgemm on the same square
// products, with 1 and 2 threads, in GFLOP/s. Prints the BLAS/naive and BLAS/blocked ratios and the best
// sgemm rate ("sgemm peak"), which other benchmarks quote as this machine's practical ceiling.
//
//   bench_matmul            the full run (sizes 64..1024, and 2048 for BLAS only)
//   bench_matmul --quick    sizes 64..256 only (a few seconds)
//   bench_matmul --info     print the OpenBLAS build and exit
//
// Only the naive and blocked backends are single-threaded loops; the thread count changes BLAS alone, so the
// naive and blocked columns are measured once and repeated for the 2-thread row.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include <cblas.h>
#include <fmt/format.h>

#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"

namespace {

using minillm::GemmForm;
using Clock = std::chrono::steady_clock;

// Best-of-repeats wall time of one C = A·B, in seconds. Repeats until `budget` seconds were spent (at least
// once, at most 50 times): the minimum is the run least disturbed by other work on the machine.
double best_seconds(GemmForm gemm, int64_t n, const float* a, const float* b, float* c, double budget) {
  double best = 1e30, spent = 0.0;
  for (int rep = 0; rep < 50 && (rep == 0 || spent < budget); ++rep) {
    auto start = Clock::now();
    gemm(false, false, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, seconds);
    spent += seconds;
  }
  return best;
}

double max_abs_difference(const std::vector<float>& x, const std::vector<float>& y) {
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, double(std::fabs(x[i] - y[i])));
  return worst;
}

void print_info() {
  fmt::print("OpenBLAS: {} (core: {})\n", openblas_get_config(), openblas_get_corename());
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--info") == 0) {
      print_info();
      return 0;
    }
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else {
      fmt::print(stderr, "error: unknown option '{}' (use --quick or --info)\n", argv[i]);
      return 2;
    }
  }
  print_info();
  const std::vector<int64_t> sizes = quick ? std::vector<int64_t>{64, 128, 256}
                                           : std::vector<int64_t>{64, 128, 256, 512, 1024, 2048};
  constexpr int64_t kLargestForLoops = 1024;  // naive at 2048 takes minutes and teaches nothing new
  constexpr double kBudget = 0.5;             // seconds of repeats per measurement

  fmt::print("square C[n,n] = A[n,n]·B[n,n], float32, GFLOP/s = 2n³ / best time (higher is better)\n");
  fmt::print("{:>6} {:>8} {:>10} {:>10} {:>10} {:>11} {:>13}\n", "n", "threads", "naive", "blocked", "blas",
             "blas/naive", "blas/blocked");

  double peak = 0.0;
  int64_t peak_n = 0;
  int peak_threads = 0;
  std::map<int64_t, double> naive_rate, blocked_rate, blas_rate_1, blas_rate_2;
  for (int64_t n : sizes) {
    std::vector<float> a(size_t(n * n)), b(size_t(n * n)), c_blas(size_t(n * n)), c_loop(size_t(n * n));
    minillm::Rng rng{static_cast<uint64_t>(n)};
    rng.fill_uniform(a, -1.0f, 1.0f);
    rng.fill_uniform(b, -1.0f, 1.0f);
    const double flops = minillm::matmul_flops(n, n, n);
    const bool loops = n <= kLargestForLoops;

    double naive = 0.0, blocked = 0.0;
    if (loops) {
      naive = flops / best_seconds(minillm::gemm_naive, n, a.data(), b.data(), c_loop.data(), kBudget) / 1e9;
      blocked = flops / best_seconds(minillm::gemm_blocked, n, a.data(), b.data(), c_loop.data(), kBudget) / 1e9;
    }
    for (int threads : {1, 2}) {
      minillm::set_num_threads(threads);
      double blas = flops / best_seconds(minillm::gemm, n, a.data(), b.data(), c_blas.data(), kBudget) / 1e9;
      if (blas > peak) peak = blas, peak_n = n, peak_threads = threads;
      (threads == 1 ? blas_rate_1 : blas_rate_2)[n] = blas;
      if (loops) {
        fmt::print("{:>6} {:>8} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.1f}x {:>12.1f}x\n", n, threads, naive, blocked,
                   blas, blas / naive, blas / blocked);
      } else {
        fmt::print("{:>6} {:>8} {:>10} {:>10} {:>10.2f} {:>11} {:>13}\n", n, threads, "-", "-", blas, "-", "-");
      }
    }
    if (loops) {
      naive_rate[n] = naive;
      blocked_rate[n] = blocked;
      // Same inputs, so the blocked result (last in c_loop) must agree with BLAS to float32 rounding.
      const double diff = max_abs_difference(c_loop, c_blas);
      if (diff > 1e-3 * double(n)) {
        fmt::print(stderr, "error: blocked and BLAS results differ by {} at n={}: a backend is wrong\n", diff, n);
        return 1;
      }
    }
    std::fflush(stdout);
  }

  const int64_t reference_n = quick ? 256 : kLargestForLoops;
  fmt::print("\n");
  fmt::print("ratio: matmul blas/naive n={} 1 thread = {:.1f}x\n", reference_n,
             blas_rate_1[reference_n] / naive_rate[reference_n]);
  fmt::print("ratio: matmul blas/blocked n={} 1 thread = {:.1f}x\n", reference_n,
             blas_rate_1[reference_n] / blocked_rate[reference_n]);
  fmt::print("ratio: matmul blas/naive n={} 2 threads = {:.1f}x\n", reference_n,
             blas_rate_2[reference_n] / naive_rate[reference_n]);
  fmt::print("ratio: matmul blas/blocked n={} 2 threads = {:.1f}x\n", reference_n,
             blas_rate_2[reference_n] / blocked_rate[reference_n]);
  fmt::print("ratio: matmul blas 2 threads/1 thread n={} = {:.2f}x\n", sizes.back(),
             blas_rate_2[sizes.back()] / blas_rate_1[sizes.back()]);
  fmt::print("sgemm peak: {:.1f} GFLOP/s (n={}, {} thread{})\n", peak, peak_n, peak_threads,
             peak_threads == 1 ? "" : "s");
  return 0;
}
