#pragma once
// The hardware's peak float32 rate, computed from what the CPU says about itself (chapter 00):
//   peak = cores x FMA units x floats per vector x 2 (a fused multiply-add is 2 FLOPs) x clock
// /proc/cpuinfo gives the vector instructions (flags) and a clock; the number of FMA units per core is not
// published anywhere a program can read it, so it is an assumption (2, true of every x86 core since Haswell
// and Zen 1), and the result says so. Also: which kernel OpenBLAS chose for this CPU.
#include <string>
#include <string_view>

namespace minillm {

struct CpuPeak {
  std::string vector_isa = "scalar";  // the widest float vector instructions the flags list: AVX-512, AVX2, ...
  int vector_floats = 1;              // floats per vector register of that kind
  bool fma = false;                   // fused multiply-add listed in the flags
  int fma_units = 2;                  // ASSUMED per core (not readable); without FMA: one multiply + one add unit
  double ghz = 0.0;                   // the clock /proc/cpuinfo reports ("cpu MHz"); 0 when it reports none
  bool half_width_avx512 = false;     // AMD family 25 (Zen 4): 512-bit work runs as two 256-bit halves

  // FLOPs one core can finish per cycle at best.
  int flops_per_cycle() const;
  // flops_per_cycle x ghz (GFLOP/s of one core); 0 when the clock is unknown.
  double gflops_per_core() const { return flops_per_cycle() * ghz; }
};

// Reads the first processor's "flags" (x86) and "cpu MHz" lines and the "cpu family" of /proc/cpuinfo text.
CpuPeak cpu_peak_from_cpuinfo(std::string_view cpuinfo);

// cpu_peak_from_cpuinfo of this machine's /proc/cpuinfo (a scalar, clock-less estimate if it cannot be read).
CpuPeak this_cpu_peak();

// The kernel OpenBLAS picked for this CPU and how it was built, e.g. "Haswell (OpenBLAS 0.3.21 DYNAMIC_ARCH
// NO_AFFINITY Zen MAX_THREADS=64)": openblas_get_corename() and openblas_get_config().
std::string blas_kernel_description();

}  // namespace minillm
