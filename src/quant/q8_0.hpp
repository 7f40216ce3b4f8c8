#pragma once
// Q8_0, llama.cpp's 8-bit weight format: each row of a weight matrix is cut into blocks of 32 values, and
// each block keeps 32 int8 values and one fp16 scale d (8.5 bits a weight instead of float32's 32):
//   d = max|w| / 127          over the block, so the largest weight maps to +-127
//   q = round(w / d)          an int8 in [-127, 127]
//   w ≈ q · d                 |w - q·d| <= d/2 (half a step)
// One scale per block, not per tensor: a single outlier then only coarsens the 31 weights beside it.
//
// Layout (the same in memory and in model.safetensors):
//   values  int8   [rows, cols]       row-major, like the float weight [out, in] it replaces
//   scales  fp16   [rows, cols/32]    scales[r, b] belongs to values[r, 32b .. 32b+31]
#include <cstdint>
#include <string_view>
#include <vector>

namespace minillm {

constexpr int kQ8Block = 32;  // values per block, and so per scale

struct Q8Matrix {
  int rows = 0, cols = 0;        // [out, in]; cols is a multiple of kQ8Block
  std::vector<int8_t> values;    // [rows, cols]
  std::vector<uint16_t> scales;  // [rows, cols / kQ8Block], fp16 bits
  int blocks_per_row() const { return cols / kQ8Block; }
  int64_t bytes() const { return int64_t(values.size()) + 2 * int64_t(scales.size()); }
};

// Quantizes one block: q[32] and the block's fp16 scale (returned as bits). An all-zero block gets d = 0.
uint16_t quantize_block_q8_0(int8_t* q, const float* w);

// w[rows, cols] -> Q8_0. cols not a multiple of 32 is an Error naming `name` (the tensor).
Q8Matrix quantize_q8_0(const float* w, int rows, int cols, std::string_view name);

// out[cols] = row r of the dequantized matrix (values times their block's scale).
void dequantize_row_q8_0(float* out, const Q8Matrix& m, int r);
// out[rows, cols] = the whole matrix dequantized.
void dequantize_q8_0(float* out, const Q8Matrix& m);

// Error naming `name` unless the sizes fit the shape and every scale is finite and >= 0 (what a loaded file
// must satisfy before a kernel reads it).
void check_q8_0(const Q8Matrix& m, std::string_view name);

}  // namespace minillm
