// The FMA peak from /proc/cpuinfo text: the vector width from the flags, the clock from "cpu MHz", FMA
// units assumed 2, and Zen 4's half-width AVX-512. The texts are shortened copies of real cpuinfo files.
#include <gtest/gtest.h>

#include <string>

#include "core/cpu_peak.hpp"

namespace {

const std::string kZen5 =
    "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel name\t: AMD EPYC\n"
    "cpu MHz\t\t: 2096.038\nflags\t\t: fpu sse sse2 ssse3 fma avx avx2 avx512f avx512dq avx512vl\n\n"
    "processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu MHz\t\t: 1000.000\nflags\t\t: fpu sse\n";
const std::string kZen4 =
    "vendor_id\t: AuthenticAMD\ncpu family\t: 25\ncpu MHz\t\t: 3700.000\nflags\t\t: sse fma avx avx2 avx512f\n";
const std::string kHaswell =
    "vendor_id\t: GenuineIntel\ncpu family\t: 6\ncpu MHz\t\t: 3500.000\nflags\t\t: sse sse2 fma avx avx2\n";
const std::string kOldSse = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: fpu sse sse2\n";

TEST(CpuPeak, Avx512WithFmaIs64FlopsPerCycle) {
  const minillm::CpuPeak peak = minillm::cpu_peak_from_cpuinfo(kZen5);
  EXPECT_EQ(peak.vector_isa, "AVX-512");
  EXPECT_EQ(peak.vector_floats, 16);
  EXPECT_TRUE(peak.fma);
  EXPECT_FALSE(peak.half_width_avx512) << "family 26 (Zen 5) has full-width 512-bit units";
  EXPECT_EQ(peak.flops_per_cycle(), 64) << "2 FMA units x 16 floats x 2 FLOPs";
  EXPECT_NEAR(peak.ghz, 2.096038, 1e-9) << "the first processor's clock, not the second's";
  EXPECT_NEAR(peak.gflops_per_core(), 64 * 2.096038, 1e-6);
}

TEST(CpuPeak, Zen4RunsAvx512AtTheAvx2Rate) {
  const minillm::CpuPeak peak = minillm::cpu_peak_from_cpuinfo(kZen4);
  EXPECT_TRUE(peak.half_width_avx512);
  EXPECT_EQ(peak.flops_per_cycle(), 32) << "two 256-bit FMA pipes: 2 x 8 x 2";
}

TEST(CpuPeak, Avx2WithFmaIs32FlopsPerCycle) {
  const minillm::CpuPeak peak = minillm::cpu_peak_from_cpuinfo(kHaswell);
  EXPECT_EQ(peak.vector_isa, "AVX2");
  EXPECT_EQ(peak.flops_per_cycle(), 32);
  EXPECT_NEAR(peak.gflops_per_core(), 112.0, 1e-9) << "32 x 3.5 GHz";
}

TEST(CpuPeak, WithoutFmaOrClockTheEstimateSaysSo) {
  const minillm::CpuPeak peak = minillm::cpu_peak_from_cpuinfo(kOldSse);
  EXPECT_EQ(peak.vector_isa, "SSE");
  EXPECT_FALSE(peak.fma);
  EXPECT_EQ(peak.flops_per_cycle(), 8) << "4 floats x (1 multiply + 1 add)";
  EXPECT_EQ(peak.ghz, 0.0) << "no cpu MHz line: the clock is unknown";
  EXPECT_EQ(peak.gflops_per_core(), 0.0);
  EXPECT_EQ(minillm::cpu_peak_from_cpuinfo("").flops_per_cycle(), 2) << "nothing readable: one float, no FMA";
}

TEST(CpuPeak, OpenBlasNamesItsKernel) {
  const std::string kernel = minillm::blas_kernel_description();
  EXPECT_FALSE(kernel.empty());
  EXPECT_EQ(kernel.find("unknown ("), std::string::npos) << kernel;
}

}  // namespace
