// Chapter 00 demo: how a matrix sits in memory, what a matrix multiply costs, and why BLAS is so much
// faster than the loops you would write yourself.
//
//   ch00_demo              multiply two 1024x1024 matrices three ways and compare
//   ch00_demo --size 512   another size
//   ch00_demo --lr 0.5     another learning rate for the line fit at the end
//   ch00_demo --smoke      a 64x64 run that finishes in a blink (used by the tests)
// It times every method over a range of sizes and draws GFLOP/s against n as a PNG in data/out/, then
// builds gradients from nothing: it fits a line by gradient descent and draws the loss going down.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/cpu_peak.hpp"
#include "core/error.hpp"
#include "core/line_fit.hpp"
#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "core/threads.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "ui/usage.hpp"

namespace {

using minillm::GemmForm;

struct Options {
  int64_t size = 1024;
  double lr = 0.2;  // the line fit's learning rate
  bool smoke = false;
};

Options parse_options(int argc, char** argv) {
  Options options;
  minillm::ui::DemoOptions parser;
  parser.number("--size", options.size, 1, 4096, "a matrix size, a whole number from 1 to 4096")
      .number("--lr", options.lr, 1e-9, 10.0, "a learning rate above 0 and at most 10, e.g. 0.2")
      .flag("--smoke", options.smoke)
      .parse(argc, argv);
  if (options.smoke && !parser.given("--size")) options.size = 64;
  return options;
}

void show_row_major_layout() {
  fmt::print("Step 1: a matrix is one flat row of numbers.\n");
  minillm::Tensor m(minillm::Shape{3, 4});
  for (int64_t i = 0; i < m.numel(); ++i) m[i] = float(i);
  fmt::print("  A 3x4 matrix, as we draw it:\n");
  for (int64_t i = 0; i < 3; ++i) fmt::print("    [{:>2} {:>2} {:>2} {:>2}]\n", m.at(i, 0), m.at(i, 1), m.at(i, 2), m.at(i, 3));
  fmt::print("  ...and as it sits in memory (row-major: row 0, then row 1, then row 2):\n    [");
  for (int64_t i = 0; i < m.numel(); ++i) fmt::print("{}{}", i ? " " : "", m[i]);
  fmt::print("]\n");
  fmt::print("  Element (row 1, column 2) lives at offset 1*4 + 2 = 6, and holds {}.\n", m.at(1, 2));
  fmt::print("  Neighbours in a row are neighbours in memory; neighbours in a column are 4 floats apart.\n\n");
}

// lesson: time_backend
// Multiplies c = a[n,n]·b[n,n] with one form of gemm (naive, blocked or OpenBLAS), `repeats` times, and
// returns the fastest time in seconds. The fastest run is the one least disturbed by whatever else the
// computer was doing.
double time_backend(GemmForm gemm, const std::vector<float>& a, const std::vector<float>& b,
                    std::vector<float>& c, int64_t n, int repeats) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    gemm(false, false, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);  // c = 1·a·b + 0·c
    const auto stop = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(stop - start).count());
  }
  return best;
}
// end lesson: time_backend

double max_difference(const std::vector<float>& x, const std::vector<float>& y) {
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, double(std::fabs(x[i] - y[i])));
  return worst;
}

std::string format_duration(double seconds) {
  if (seconds >= 1.0) return fmt::format("{:.2f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.2f} ms", seconds * 1e3);
  return fmt::format("{:.1f} us", seconds * 1e6);
}

struct Result {
  std::string name;
  double seconds;
  std::vector<float> c;
};

// Step 4: the hardware's FMA peak, computed from what the CPU reports, beside the measured sgemm rates, and
// the kernel OpenBLAS chose. `threads_rate` is 0 when only one thread is available.
void explain_peak(double blas_rate, double threads_rate, int threads, double naive_rate) {
  const minillm::CpuPeak peak = minillm::this_cpu_peak();
  fmt::print("Step 4: how close is that to the machine's peak?\n");
  fmt::print("  peak FLOP/s = cores x FMA units x floats per vector x 2 (multiply + add) x clock.\n");
  fmt::print("  From /proc/cpuinfo: the widest vectors are {} ({} floats), FMA {}.\n", peak.vector_isa,
             peak.vector_floats, peak.fma ? "listed" : "not listed");
  fmt::print("  Assumed (no file says it): {} FMA units per core.{}\n", peak.fma_units,
             peak.half_width_avx512 ? " This is a Zen 4, which runs 512-bit work in two 256-bit halves." : "");
  fmt::print("  So one core finishes at most {} FLOPs per cycle.\n", peak.flops_per_cycle());
  if (peak.ghz > 0) {
    const double per_core = peak.gflops_per_core();
    fmt::print("  Clock: /proc/cpuinfo reports {:.2f} GHz (a virtual machine often reports its base clock; a core\n",
               peak.ghz);
    fmt::print("  may run faster). Peak: {} x {:.2f} = {:.0f} GFLOP/s per core, {:.0f} on {} cores.\n",
               peak.flops_per_cycle(), peak.ghz, per_core, per_core * threads, threads);
    fmt::print("  Measured sgemm: {:.1f} GFLOP/s on one thread = {:.0f}% of one core's peak", blas_rate,
               100 * blas_rate / per_core);
    if (threads_rate > 0)
      fmt::print(", {:.1f} on {} threads = {:.0f}% of {} cores'", threads_rate, threads,
                 100 * threads_rate / (per_core * threads), threads);
    fmt::print(".\n  The naive loop: {:.2f}% of one core's peak.\n", 100 * naive_rate / per_core);
  } else {
    fmt::print("  /proc/cpuinfo reports no clock here, so the peak in FLOP/s is unknown.\n");
  }
  fmt::print("  At {} FLOPs per cycle, one thread's {:.1f} GFLOP/s needs a clock of at least {:.2f} GHz.\n",
             peak.flops_per_cycle(), blas_rate, blas_rate / peak.flops_per_cycle());
  const std::string kernel = minillm::blas_kernel_description();
  fmt::print("  OpenBLAS's kernel: {}.\n", kernel);
  if (const char* pinned = std::getenv("OPENBLAS_CORETYPE"); pinned != nullptr && *pinned != '\0')
    fmt::print("  OPENBLAS_CORETYPE={} is set in this environment: it pins that kernel whatever the CPU is.\n",
               pinned);
  const bool avx2_kernel = kernel.starts_with("Haswell") || kernel.starts_with("Zen");
  if (avx2_kernel && peak.vector_floats == 16 && !peak.half_width_avx512) {
    fmt::print("  That kernel uses AVX2, 8 floats per instruction, on a CPU with 16-float AVX-512 units: it can\n");
    fmt::print("  reach at most half of the peak above. (OpenBLAS picks kernels by CPU family; a version that does\n");
    fmt::print("  not know this CPU, or OPENBLAS_CORETYPE set in the environment, falls back to AVX2. Try\n");
    fmt::print("  OPENBLAS_CORETYPE=SkylakeX build/bin/ch00_demo to run its AVX-512 kernel instead.)\n");
  }
}

void run(const Options& options) {
  const int64_t n = options.size;
  const int all_threads = minillm::num_threads();
  show_row_major_layout();

  const double flops = minillm::matmul_flops(n, n, n);
  fmt::print("Step 2: what a matrix multiply costs.\n");
  fmt::print("  C = A·B with A and B both {}x{}: each of the {} outputs is a dot product of {} multiplies\n", n, n,
             n * n, n);
  fmt::print("  and {} adds, so 2·n³ = {:.3g} floating-point operations (FLOPs) in total.\n\n", n, flops);

  std::vector<float> a(size_t(n * n)), b(size_t(n * n));
  minillm::Rng rng(0);
  rng.fill_uniform(a, -1.0f, 1.0f);
  rng.fill_uniform(b, -1.0f, 1.0f);

  fmt::print("Step 3: the same product, three ways, each on one core{}{}.\n",
             all_threads > 1 ? fmt::format(", then BLAS on {} threads", all_threads) : "",
             n >= 512 ? " (the naive loop takes a few seconds)" : "");
  minillm::set_num_threads(1);
  std::vector<Result> results;
  const int repeats = n >= 1024 ? 1 : 3;
  using Form = std::pair<const char*, GemmForm>;
  for (auto [name, gemm] : {Form{"naive triple loop", minillm::gemm_naive},
                            Form{"cache-blocked loop", minillm::gemm_blocked}, Form{"OpenBLAS, 1 thread", minillm::gemm}}) {
    Result r{name, 0.0, std::vector<float>(size_t(n * n))};
    r.seconds = time_backend(gemm, a, b, r.c, n, gemm == minillm::gemm ? 5 : repeats);
    results.push_back(std::move(r));
  }
  minillm::set_num_threads(all_threads);
  if (all_threads > 1) {
    Result r{fmt::format("OpenBLAS, {} threads", all_threads), 0.0, std::vector<float>(size_t(n * n))};
    r.seconds = time_backend(minillm::gemm, a, b, r.c, n, 5);
    results.push_back(std::move(r));
  }

  const double blas_rate = flops / results[2].seconds / 1e9;
  fmt::print("  {:<22} {:>10} {:>10} {:>16}\n", "method", "time", "GFLOP/s", "vs BLAS 1 thread");
  for (const Result& r : results) {
    const double rate = flops / r.seconds / 1e9;
    fmt::print("  {:<22} {:>10} {:>10.2f} {:>15.1f}%\n", r.name, format_duration(r.seconds), rate,
               100.0 * rate / blas_rate);
  }
  const double naive_diff = max_difference(results[0].c, results[2].c);
  const double blocked_diff = max_difference(results[1].c, results[2].c);
  fmt::print("  All of them give the same C up to float rounding (largest difference: {:.1e}).\n\n",
             std::max(naive_diff, blocked_diff));

  fmt::print("What happened:\n");
  fmt::print("  - The naive loop adds one product at a time into one running sum, so each add waits for the\n");
  fmt::print("    previous one, and it walks down a column of B, {} floats apart per step: once B is bigger\n", n);
  fmt::print("    than the cache, almost every read waits for memory.\n");
  fmt::print("  - The blocked loop works on tiles that fit in the cache and walks memory in order, so the\n");
  fmt::print("    compiler can use SIMD: {:.0f}x faster than naive, with the same arithmetic.\n",
             results[0].seconds / results[1].seconds);
  fmt::print("  - OpenBLAS also packs tiles into the exact order its hand-written kernel wants, keeps a\n");
  fmt::print("    small block of C in registers, and uses fused multiply-adds on 8 floats at once:\n");
  fmt::print("    another {:.1f}x.\n", results[1].seconds / results[2].seconds);
  if (results.size() > 3) {
    fmt::print("  - With {} threads OpenBLAS splits the work across cores: {:.1f}x more{}.\n", all_threads,
               results[2].seconds / results[3].seconds,
               n < 128 ? " (for a product this small it does not bother starting threads)" : "");
  }
  fmt::print("\n");

  explain_peak(flops / results[2].seconds / 1e9, all_threads > 1 ? flops / results.back().seconds / 1e9 : 0.0,
               all_threads, flops / results[0].seconds / 1e9);
  if (n < 256) fmt::print("  (At n = {} everything fits in cache; try the full size to see the gap grow.)\n", n);
}

// GFLOP/s of one form of gemm at each size in `sizes`: the points of one line in the chart.
minillm::plot::Series rate_by_size(const std::string& name, GemmForm gemm, const std::vector<int64_t>& sizes) {
  minillm::plot::Series series{name, {}, {}, std::nullopt};
  minillm::Rng rng(1);
  for (const int64_t n : sizes) {
    std::vector<float> a(size_t(n * n)), b(size_t(n * n)), c(size_t(n * n));
    rng.fill_uniform(a, -1.0f, 1.0f);
    rng.fill_uniform(b, -1.0f, 1.0f);
    const double seconds = time_backend(gemm, a, b, c, n, 3);
    series.x.push_back(double(n));
    series.y.push_back(minillm::matmul_flops(n, n, n) / seconds / 1e9);
  }
  return series;
}

// Times every method at sizes 16, 32, ... up to the chosen size and saves GFLOP/s against n as a line chart.
// The naive loop stops at 512: at 1024 one product already takes seconds, and the trend is clear by then.
void chart_rates_by_size(const Options& options) {
  std::vector<int64_t> sizes;
  for (int64_t n = 16; n <= options.size; n *= 2) sizes.push_back(n);
  if (sizes.empty()) return;
  std::vector<int64_t> naive_sizes;
  for (const int64_t n : sizes)
    if (n <= 512) naive_sizes.push_back(n);
  fmt::print("Step 5: the same comparison at every size from {} to {} (a picture says it faster).\n", sizes.front(),
             sizes.back());

  const int all_threads = minillm::num_threads();
  minillm::plot::LineChartSpec chart;
  chart.title = "Matrix multiply speed: C = A*B, both n x n";
  chart.x_label = "n (matrix size)";
  chart.y_label = "GFLOP/s (log scale)";
  chart.log_y = true;
  minillm::set_num_threads(1);
  chart.series.push_back(rate_by_size("naive triple loop", minillm::gemm_naive, naive_sizes));
  chart.series.push_back(rate_by_size("cache-blocked loop", minillm::gemm_blocked, sizes));
  chart.series.push_back(rate_by_size("OpenBLAS, 1 thread", minillm::gemm, sizes));
  minillm::set_num_threads(all_threads);
  if (all_threads > 1)
    chart.series.push_back(rate_by_size(fmt::format("OpenBLAS, {} threads", all_threads), minillm::gemm, sizes));

  const auto path = minillm::output_dir() / (options.smoke ? "ch00_matmul_speed_smoke.png" : "ch00_matmul_speed.png");
  minillm::plot::line_chart(path, chart);
  fmt::print("  Saved {}: one line per method, GFLOP/s against n. Open it: the naive line falls as n grows\n",
             path.string());
  fmt::print("  (memory, not arithmetic, is the limit), the BLAS lines climb and level off at what its kernel can do.\n");
}

// Step 6: gradients from nothing. Fits y = w·x + b to noisy points by gradient descent with the hand-written
// gradient, checks that gradient by finite differences first, and draws the loss against the step.
void fit_a_line(const Options& options) {
  fmt::print("\nStep 6: gradients from nothing: fit a line by gradient descent.\n");
  constexpr int kPoints = 20;
  minillm::Rng rng(7);
  std::vector<double> x(kPoints), y(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    x[i] = -1.0 + 2.0 * i / (kPoints - 1);
    y[i] = 2.0 * x[i] + 1.0 + rng.uniform(-0.1f, 0.1f);  // around y = 2x + 1, with a little noise
  }
  minillm::Line line;  // w = 0, b = 0: a flat line at 0
  fmt::print("  {} points around y = 2x + 1 (x from -1 to 1, noise up to 0.1). Start from w = 0, b = 0.\n", kPoints);
  fmt::print("  The loss (mean squared miss) of the start: {:.4f}.\n", minillm::line_loss(x, y, line));
  const minillm::LineGradient exact = minillm::line_gradient(x, y, line);
  const minillm::LineGradient measured = minillm::line_gradient_by_finite_differences(x, y, line);
  fmt::print("  Gradient by the chain rule:        dL/dw = {:+.8f}, dL/db = {:+.8f}\n", exact.dw, exact.db);
  fmt::print("  Gradient by finite differences:    dL/dw = {:+.8f}, dL/db = {:+.8f}   (they agree: the\n",
             measured.dw, measured.db);
  fmt::print("  hand-written gradient is right; largest difference {:.1e})\n",
             std::max(std::fabs(exact.dw - measured.dw), std::fabs(exact.db - measured.db)));

  const int steps = 60;
  fmt::print("  Gradient descent: {} steps of (w, b) -= lr x gradient, lr = {}.\n", steps, options.lr);
  minillm::Line fitted;
  const std::vector<double> losses = minillm::fit_line(x, y, fitted, options.lr, steps);
  for (int step : {0, 1, 2, 5, 10, 20, 40, 60}) fmt::print("    step {:>2}: loss {:.6f}\n", step, losses[size_t(step)]);
  const bool diverged = !std::isfinite(losses.back()) || losses.back() > losses.front();
  if (diverged) {
    fmt::print("  The loss grew: the learning rate {} is too large, each step jumps past the minimum and lands\n",
               options.lr);
    fmt::print("  further up the other side. Try a smaller --lr (for these points anything below about 1).\n");
  } else {
    fmt::print("  Found w = {:.3f}, b = {:.3f}; the points were drawn around w = 2, b = 1.\n", fitted.w, fitted.b);
  }

  minillm::plot::LineChartSpec chart;
  chart.title = fmt::format("Fitting a line by gradient descent (lr = {})", options.lr);
  chart.x_label = "step";
  chart.y_label = "loss: mean squared miss (log scale)";
  chart.log_y = true;
  minillm::plot::Series series{"loss", {}, {}, std::nullopt};
  for (size_t step = 0; step < losses.size(); ++step) {
    if (!(losses[step] > 0) || !std::isfinite(losses[step])) break;  // a log axis needs finite, positive values
    series.x.push_back(double(step));
    series.y.push_back(losses[step]);
  }
  chart.series.push_back(std::move(series));
  const auto path = minillm::output_dir() / (options.smoke ? "ch00_loss_smoke.png" : "ch00_loss.png");
  minillm::plot::line_chart(path, chart);
  fmt::print("  Saved {}: the loss against the step (log scale).\n", path.string());
  if (diverged) {
    fmt::print("  It climbs: every step overshoots by more than the one before.\n");
  } else {
    fmt::print("  It falls fast, then levels off at the noise (no line goes through noisy points exactly).\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  return minillm::ui::run_demo(argc, argv, R"(usage: ch00_demo [--size N] [--lr X] [--smoke]
  (no option)   multiply two 1024x1024 matrices three ways (naive, cache-blocked, BLAS) and compare
  --size N      another size, 1 to 4096
  --lr X        the learning rate of the line fit at the end (default 0.2)
  --smoke       a 64x64 run that finishes in a blink (used by the tests)
It times every method over a range of sizes and draws GFLOP/s against n in data/out/, then fits a line by
gradient descent and draws its loss going down (data/out/ch00_loss.png).
)", [&] {
    const Options options = parse_options(argc, argv);
    run(options);
    chart_rates_by_size(options);
    fit_a_line(options);
    return 0;
  });
}
