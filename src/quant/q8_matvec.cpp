#include "quant/q8_matvec.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "quant/fp16.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define MINILLM_Q8_X86 1
#endif

// Every kernel must give the same bits: a multiply and an add stay two roundings, never one fused one.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace minillm {

namespace {

constexpr int kLanes = 8;  // partial sums per row: lane k of a block sums its products 4k .. 4k+3
constexpr int kRows = 4;   // rows per kernel call: each block of x, loaded once, serves 4 rows

// The 8 lanes added in one fixed order, the same for every kernel, row and thread count.
inline float sum_lanes(const float* a) { return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7])); }

const int8_t* row_values(const Q8Matrix& w, int o) { return w.values.data() + size_t(o) * size_t(w.cols); }
const uint16_t* row_scales(const Q8Matrix& w, int o) {
  return w.scales.data() + size_t(o) * size_t(w.blocks_per_row());
}

// A kernel computes the R rows o .. o+R-1 (R = kRows or 1) of W · x, x quantized (qx, dx).
using RowsKernel = void (*)(float* out, const Q8Matrix& w, int o, int R, const int8_t* qx, const float* dx);

// Portable C++: the lane order spelled out. Any CPU; the reference the SIMD kernels must match bit for bit.
void rows_portable(float* out, const Q8Matrix& w, int o, int R, const int8_t* qx, const float* dx) {
  const int nb = w.blocks_per_row();
  for (int r = 0; r < R; ++r) {
    const int8_t* q = row_values(w, o + r);
    const uint16_t* d = row_scales(w, o + r);
    float acc[kLanes] = {};
    for (int b = 0; b < nb; ++b) {
      const float s = f16_bits_to_f32(d[b]) * dx[b];
      for (int k = 0; k < kLanes; ++k) {
        int32_t sum = 0;
        for (int j = 0; j < 4; ++j) sum += int32_t(q[b * kQ8Block + 4 * k + j]) * int32_t(qx[b * kQ8Block + 4 * k + j]);
        acc[k] += s * float(sum);
      }
    }
    out[r] = sum_lanes(acc);
  }
}

#ifdef MINILLM_Q8_X86
// One block of one row: the int32 lanes of qw · qx (lane k = products 4k..4k+3). x86's byte multiply takes
// one unsigned operand, so (as ggml does) multiply |w| by x carrying w's sign: |w| · sign(w)·x = w·x.
__attribute__((target("avx2"))) inline __m256i block_dot_avx2(__m256i w, __m256i x) {
  const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(x, w));  // 16 x int16
  return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));  // 8 x int32 (|pairs| <= 2·128·127: no saturation)
}
__attribute__((target("avx2,avxvnni"))) inline __m256i block_dot_vnni(__m256i w, __m256i x) {
  return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), _mm256_abs_epi8(w), _mm256_sign_epi8(x, w));
}

// The SIMD loop, one body for both instruction sets (Dot = block_dot_avx2 or block_dot_vnni). The scales
// s = dw·dx of 8 blocks are converted together (F16C), then each block adds s · (its 8 int32 lanes).
#define MINILLM_Q8_ROWS_KERNEL(NAME, TARGET, DOT)                                                        \
  __attribute__((target(TARGET))) void NAME(float* out, const Q8Matrix& w, int o, int R, const int8_t* qx, \
                                            const float* dx) {                                             \
    const int nb = w.blocks_per_row();                                                                     \
    __m256 acc[kRows];                                                                                     \
    for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();                                              \
    alignas(32) float s[kRows][8];                                                                         \
    for (int b0 = 0; b0 < nb; b0 += 8) {                                                                   \
      const int n = std::min(8, nb - b0);                                                                  \
      for (int r = 0; r < R; ++r) {                                                                        \
        const uint16_t* d = row_scales(w, o + r) + b0;                                                     \
        if (n == 8) {                                                                                      \
          const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d)));        \
          _mm256_store_ps(s[r], _mm256_mul_ps(dw, _mm256_loadu_ps(dx + b0)));                              \
        } else {                                                                                           \
          for (int j = 0; j < n; ++j) s[r][j] = f16_bits_to_f32(d[j]) * dx[b0 + j];                        \
        }                                                                                                  \
      }                                                                                                    \
      for (int j = 0; j < n; ++j) {                                                                        \
        const size_t at = size_t(b0 + j) * kQ8Block;                                                       \
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qx + at));                   \
        for (int r = 0; r < R; ++r) {                                                                      \
          const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row_values(w, o + r) + at)); \
          const __m256 p = _mm256_cvtepi32_ps(DOT(wv, x));                                                 \
          acc[r] = _mm256_add_ps(acc[r], _mm256_mul_ps(_mm256_set1_ps(s[r][j]), p));                       \
        }                                                                                                  \
      }                                                                                                    \
    }                                                                                                      \
    for (int r = 0; r < R; ++r) {                                                                          \
      alignas(32) float lanes[kLanes];                                                                     \
      _mm256_store_ps(lanes, acc[r]);                                                                      \
      out[r] = sum_lanes(lanes);                                                                           \
    }                                                                                                      \
  }
MINILLM_Q8_ROWS_KERNEL(rows_avx2, "avx2,f16c", block_dot_avx2)
MINILLM_Q8_ROWS_KERNEL(rows_vnni, "avx2,f16c,avxvnni", block_dot_vnni)
#undef MINILLM_Q8_ROWS_KERNEL
#endif

struct NamedKernel {
  const char* name;
  RowsKernel fn;
  bool (*supported)();
};

const NamedKernel kKernels[] = {
#ifdef MINILLM_Q8_X86
    {"avxvnni", rows_vnni,
     [] { return __builtin_cpu_supports("avxvnni") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c"); }},
    {"avx2", rows_avx2, [] { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c"); }},
#endif
    {"portable", rows_portable, [] { return true; }},
};

RowsKernel best_kernel() {
  static const RowsKernel best = [] {
    for (const NamedKernel& k : kKernels)
      if (k.supported()) return k.fn;
    return rows_portable;
  }();
  return best;
}

void run_fast(RowsKernel kernel, float* out, const float* x, const Q8Matrix& w, const float* bias) {
  thread_local std::vector<int8_t> qx;
  thread_local std::vector<float> dx;
  qx.resize(size_t(w.cols));
  dx.resize(size_t(w.blocks_per_row()));
  quantize_activation_q8_0(qx.data(), dx.data(), x, w.cols);
  // Pointers, not the thread_local names: inside the parallel loop those would name each thread's own.
  const int8_t* qxp = qx.data();
  const float* dxp = dx.data();
  const int groups = w.rows / kRows;
  // Threads only for a matrix worth waking them for (a row is computed the same way on any thread).
  const bool parallel = int64_t{w.rows} * w.cols >= (int64_t{1} << 15);
#pragma omp parallel for schedule(static) if (parallel)
  for (int g = 0; g < groups; ++g) kernel(out + g * kRows, w, g * kRows, kRows, qxp, dxp);
  for (int o = groups * kRows; o < w.rows; ++o) kernel(out + o, w, o, 1, qxp, dxp);
  if (bias)
    for (int o = 0; o < w.rows; ++o) out[o] += bias[o];
}

}  // namespace

// lesson: quantize_activation_q8_0
void quantize_activation_q8_0(int8_t* qx, float* dx, const float* x, int C) {
  for (int b = 0; b < C / kQ8Block; ++b) {
    const float* xb = x + b * kQ8Block;
    float amax = 0;
    for (int i = 0; i < kQ8Block; ++i) amax = std::max(amax, std::fabs(xb[i]));
    dx[b] = amax / 127.0f;
    const float inverse = amax > 0 ? 127.0f / amax : 0.0f;
    for (int i = 0; i < kQ8Block; ++i)
      qx[b * kQ8Block + i] = static_cast<int8_t>(std::clamp(std::round(xb[i] * inverse), -127.0f, 127.0f));
  }
}
// end lesson: quantize_activation_q8_0

// lesson: q8_matvec_forward_plain
void q8_matvec_forward_plain(float* out, const float* x, const Q8Matrix& w, const float* bias) {
  const int C = w.cols, OC = w.rows, nb = w.blocks_per_row();
  std::vector<int8_t> qx(static_cast<size_t>(C));  // x[C] as int8, block by block
  std::vector<float> dx(static_cast<size_t>(nb));   // one scale per block of x
  quantize_activation_q8_0(qx.data(), dx.data(), x, C);
  for (int o = 0; o < OC; ++o) {
    const int8_t* qw = w.values.data() + size_t(o) * C;    // row o: [C] int8
    const uint16_t* dw = w.scales.data() + size_t(o) * nb;  // its [nb] fp16 scales
    float sum = 0;
    for (int b = 0; b < nb; ++b) {
      int32_t dot = 0;  // exact: 32 products of at most 127·127
      for (int i = b * kQ8Block; i < (b + 1) * kQ8Block; ++i) dot += int32_t(qw[i]) * int32_t(qx[i]);
      sum += f16_bits_to_f32(dw[b]) * dx[b] * float(dot);  // back to real units: both scales
    }
    out[o] = sum + (bias ? bias[o] : 0.0f);
  }
}
// end lesson: q8_matvec_forward_plain

void q8_matvec_forward(float* out, const float* x, const Q8Matrix& w, const float* bias) {
  run_fast(best_kernel(), out, x, w, bias);
}

std::vector<const char*> q8_kernels_available() {
  std::vector<const char*> names;
  for (const NamedKernel& k : kKernels)
    if (k.supported()) names.push_back(k.name);
  return names;
}

void q8_matvec_forward_with(const char* kernel, float* out, const float* x, const Q8Matrix& w, const float* bias) {
  for (const NamedKernel& k : kKernels)
    if (std::string_view(k.name) == kernel) {
      require(k.supported(), "the {} int8 kernel needs instructions this CPU lacks", kernel);
      return run_fast(k.fn, out, x, w, bias);
    }
  fail("no int8 kernel named '{}'", kernel);
}

}  // namespace minillm
