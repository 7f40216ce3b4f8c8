#include "quant/q8_0.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.hpp"
#include "quant/fp16.hpp"

namespace minillm {

// lesson: quantize_block_q8_0
uint16_t quantize_block_q8_0(int8_t* q, const float* w) {
  float amax = 0;  // max |w| over the block
  for (int i = 0; i < kQ8Block; ++i) amax = std::max(amax, std::fabs(w[i]));
  // The scale is stored as fp16, so divide by the stored value: then |w - q·d| <= d/2 holds for the d a
  // reader will use. (ggml divides by the float32 d; the two differ by fp16's rounding, 2^-11 at most.)
  const uint16_t d16 = f32_to_f16(amax / 127.0f);
  const float d = f16_bits_to_f32(d16);
  const float inverse = d > 0 ? 1.0f / d : 0.0f;
  for (int i = 0; i < kQ8Block; ++i) {
    const float r = std::round(w[i] * inverse);  // to nearest, halves away from zero, as ggml's roundf
    q[i] = static_cast<int8_t>(std::clamp(r, -127.0f, 127.0f));
  }
  return d16;
}
// end lesson: quantize_block_q8_0

Q8Matrix quantize_q8_0(const float* w, int rows, int cols, std::string_view name) {
  require(rows > 0 && cols > 0, "{}: cannot quantize an empty [{}, {}] matrix", name, rows, cols);
  require(cols % kQ8Block == 0,
          "{}: its rows hold {} values, not a multiple of Q8_0's block of {}; this tensor cannot be quantized",
          name, cols, kQ8Block);
  Q8Matrix m{rows, cols, std::vector<int8_t>(size_t(rows) * size_t(cols)),
             std::vector<uint16_t>(size_t(rows) * size_t(cols / kQ8Block))};
  const size_t blocks = m.scales.size();
#pragma omp parallel for schedule(static)
  for (size_t b = 0; b < blocks; ++b)
    m.scales[b] = quantize_block_q8_0(m.values.data() + b * kQ8Block, w + b * kQ8Block);
  return m;
}

void dequantize_row_q8_0(float* out, const Q8Matrix& m, int r) {
  const int nb = m.blocks_per_row();
  const int8_t* q = m.values.data() + size_t(r) * size_t(m.cols);
  const uint16_t* d = m.scales.data() + size_t(r) * size_t(nb);
  for (int b = 0; b < nb; ++b) {
    const float scale = f16_bits_to_f32(d[b]);
    for (int i = 0; i < kQ8Block; ++i) out[b * kQ8Block + i] = float(q[b * kQ8Block + i]) * scale;
  }
}

void dequantize_q8_0(float* out, const Q8Matrix& m) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < m.rows; ++r) dequantize_row_q8_0(out + size_t(r) * size_t(m.cols), m, r);
}

void check_q8_0(const Q8Matrix& m, std::string_view name) {
  require(m.rows > 0 && m.cols > 0 && m.cols % kQ8Block == 0,
          "{}: shape [{}, {}] is not a Q8_0 matrix (rows of a multiple of {} values)", name, m.rows, m.cols, kQ8Block);
  require(m.values.size() == size_t(m.rows) * size_t(m.cols), "{}: {} int8 values for a [{}, {}] matrix", name,
          m.values.size(), m.rows, m.cols);
  require(m.scales.size() == size_t(m.rows) * size_t(m.blocks_per_row()),
          "{}: {} scales, but [{}, {}] in blocks of {} needs {}", name, m.scales.size(), m.rows, m.cols, kQ8Block,
          size_t(m.rows) * size_t(m.blocks_per_row()));
  for (size_t b = 0; b < m.scales.size(); ++b) {
    const float d = f16_bits_to_f32(m.scales[b]);
    require(std::isfinite(d) && d >= 0, "{}: the scale of block {} (row {}) is {}, not a finite number >= 0; the file "
            "is damaged: quantize the float model again", name, b, b / size_t(m.blocks_per_row()), d);
  }
}

}  // namespace minillm
