#pragma once
// Where a training step's time goes, operation by operation: a kernel table (nn/kernels.hpp) whose every
// entry calls the fast kernel of its row and adds the time it took to that row's total. bench_train
// --profile trains a few steps under it (KernelScope) and prints the table.
#include <array>
#include <chrono>
#include <cstdint>

#include "nn/kernels.hpp"

namespace minillm::bench {

// The table's rows as numbers: row_linear_forward, ...
enum KernelRow : size_t {
#define MINILLM_ROW_NUMBER(name, type, plain, fast) row_##name,
  MINILLM_KERNELS(MINILLM_ROW_NUMBER)
#undef MINILLM_ROW_NUMBER
  kernel_rows
};

struct KernelTimes {
  std::array<double, kernel_rows> seconds{};
  std::array<int64_t, kernel_rows> calls{};
};
inline KernelTimes g_kernel_times;

// Kernel, timed, as a plain function pointer of the row's own signature.
template <auto Kernel, size_t Row>
struct Timed;
template <class... Args, void (*Kernel)(Args...), size_t Row>
struct Timed<Kernel, Row> {
  static void call(Args... args) {
    const auto start = std::chrono::steady_clock::now();
    Kernel(args...);
    g_kernel_times.seconds[Row] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++g_kernel_times.calls[Row];
  }
};

inline Kernels timed_fast_kernels() {
  Kernels k;
#define MINILLM_TIMED_ROW(name, type, plain, fast) k.name = &Timed<&fast, row_##name>::call;
  MINILLM_KERNELS(MINILLM_TIMED_ROW)
#undef MINILLM_TIMED_ROW
  return k;
}

}  // namespace minillm::bench
