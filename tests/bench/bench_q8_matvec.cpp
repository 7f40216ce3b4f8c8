// The int8 matrix-vector product on GPT-2 124M's shapes, 1 thread, best of many runs, for the choice
// quant/q8_matvec.hpp made: quantize the activation per block too (int8 x int8, as ggml does), or keep it
// in float32 and convert each int8 weight to float. Each line: microseconds per product and the weight bytes
// read per second; the float32 matvec of the same shape for scale.
//   float32     nn/matvec.cpp (4 bytes a weight)
//   q8 x int8   quant/q8_matvec.cpp, the best kernel this CPU runs (and each other kernel it runs)
//   q8 x f32    the alternative, written here (AVX2 + FMA, x86 only): 8 int8 weights widened to floats, times x,
//               FMA into 8 lanes, two rows at a time
#include <bit>
#include <chrono>
#include <cstring>
#include <vector>

#include <immintrin.h>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "nn/matvec.hpp"
#include "quant/q8_matvec.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// fp16 bits to float, inline (the library's f16_bits_to_f32 lives in another file: a call per block).
inline float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const float magnitude = std::bit_cast<float>(uint32_t(h & 0x7fffu) << 13) * 0x1p112f;
  return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(magnitude));
}

// out[o] = sum_b d[o,b] * sum_i q[o, 32b+i] * x[32b+i], x in float32: AVX2 + FMA, 8 weights at a time
// widened int8 -> int32 -> float and multiplied into 8 lanes, 2 rows at once (each x load serves both).
__attribute__((target("avx2,fma"))) void q8_matvec_float_activation(float* out, const float* x,
                                                                     const minillm::Q8Matrix& w) {
  const int nb = w.blocks_per_row();
  for (int o = 0; o + 1 < w.rows; o += 2) {
    const int8_t* q0 = w.values.data() + size_t(o) * w.cols;
    const int8_t* q1 = q0 + w.cols;
    const uint16_t* d0 = w.scales.data() + size_t(o) * nb;
    const uint16_t* d1 = d0 + nb;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
      __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
      for (int i = b * 32; i < b * 32 + 32; i += 8) {
        const __m256 xi = _mm256_loadu_ps(x + i);
        const __m256 w0 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q0 + i))));
        const __m256 w1 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q1 + i))));
        s0 = _mm256_fmadd_ps(w0, xi, s0);
        s1 = _mm256_fmadd_ps(w1, xi, s1);
      }
      acc0 = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(d0[b])), s0, acc0);
      acc1 = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(d1[b])), s1, acc1);
    }
    alignas(32) float l0[8], l1[8];
    _mm256_store_ps(l0, acc0);
    _mm256_store_ps(l1, acc1);
    out[o] = out[o + 1] = 0;
    for (int k = 0; k < 8; ++k) out[o] += l0[k], out[o + 1] += l1[k];
  }
}

template <class F>
double best_microseconds(F&& f, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto start = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int, char** argv) {
  using namespace minillm;
  ensure_passive_openmp_wait(argv);
  set_num_threads(1);
  Rng rng(1);
  fmt::print("kernels this CPU runs: {}\n", fmt::join(q8_kernels_available(), ", "));
  for (const auto& [OC, C] : {std::pair{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}, {50257, 768}}) {
    const size_t rows = static_cast<size_t>(OC), cols = static_cast<size_t>(C);
    std::vector<float> w(rows * cols), x(cols), out(rows);
    rng.fill_normal(w, 0.0f, 0.02f);
    rng.fill_normal(x, 0.0f, 1.0f);
    const Q8Matrix q = quantize_q8_0(w.data(), OC, C, "w");
    const int reps = OC > 10000 ? 20 : 200;
    const double bytes8 = double(q.bytes()), bytes32 = 4.0 * OC * C;
    const double f32 = best_microseconds([&] { matvec_forward(out.data(), x.data(), w.data(), nullptr, C, OC); }, reps);
    const double qf = __builtin_cpu_supports("fma")
                          ? best_microseconds([&] { q8_matvec_float_activation(out.data(), x.data(), q); }, reps)
                          : 0.0;
    fmt::print("[{}, {}] float32 {:.0f} us ({:.1f} GB/s) | q8 x f32 {:.0f} us ({:.1f} GB/s)", OC, C, f32,
               bytes32 / f32 / 1e3, qf, bytes8 / qf / 1e3);
    for (const char* kernel : q8_kernels_available()) {
      const double qi = best_microseconds([&] { q8_matvec_forward_with(kernel, out.data(), x.data(), q, nullptr); }, reps);
      fmt::print(" | q8 x int8 {} {:.0f} us ({:.1f} GB/s)", kernel, qi, bytes8 / qi / 1e3);
    }
    fmt::print("\n");
  }
  return 0;
}
