#pragma once
// Chapter 10 practice: int8 quantization. Weights and activations are float vectors; a quantized vector is
// int8 values in blocks of block_size, with one float scale per block (the lesson's Q8_0 keeps its scales
// in fp16; these tasks keep them as float, so only the int8 rounding is yours to reason about).
#include <cstdint>
#include <vector>

namespace ch10 {

// One block, absmax-quantized (lesson: How It Works, step 2).
struct Int8Block {
  float scale = 0;             // the step d: what one unit of an int8 value is worth in real numbers
  std::vector<int8_t> values;  // one per input value, each in [-127, 127]
};

// Absmax quantization of one block (1 or more values): the scale makes the block's largest magnitude land
// exactly on 127 (or -127); every value becomes the nearest whole number of steps, halves rounded away
// from zero (std::round's rule). An all-zero block has scale 0 and all values 0.
Int8Block absmax_quantize(const std::vector<float>& block);

// The real numbers a block-quantized vector stands for (step 3): values[n] in consecutive blocks of
// block_size (n a multiple of it), scales[n / block_size], block b's scale for its values. Returns n floats.
std::vector<float> dequantize_blocks(const std::vector<int8_t>& values, const std::vector<float>& scales,
                                     int block_size);

// The dot product of two block-quantized vectors of the same length and block size (step 5), computed the
// way int8 hardware does: each block's products are summed as integers (in 32 bits: 32 products of
// 127 x 127 overflow 16), and only that integer sum is turned into a real number, by both blocks' scales.
float int8_dot(const std::vector<int8_t>& a, const std::vector<float>& a_scales, const std::vector<int8_t>& b,
               const std::vector<float>& b_scales, int block_size);

// How much absmax quantization in blocks of block_size (with absmax_quantize) changes w (size a multiple of
// block_size), against the bound the lesson derives (step 4).
struct ErrorReport {
  double max_error = 0;  // the largest |w_i - dequantized w_i|
  double bound = 0;      // the largest half step (scale / 2) over the blocks: no error may exceed it
  double rms_error = 0;  // the root of the mean squared error over all of w
};
ErrorReport rounding_error(const std::vector<float>& w, int block_size);

// Q4: two 4-bit values a byte (step 7). values: an even count, each in [-8, 7]. Byte j holds values 2j (low
// 4 bits) and 2j + 1 (high 4 bits), each stored as value + 8 so that it fits 0..15 unsigned.
std::vector<uint8_t> pack_q4(const std::vector<int8_t>& values);
// The inverse: 2 values per byte, in the order pack_q4 took them, each back in [-8, 7].
std::vector<int8_t> unpack_q4(const std::vector<uint8_t>& bytes);

// The Kullback-Leibler divergence KL(P || Q), in nats, of the two next-token distributions P = softmax of
// p_logits and Q = softmax of q_logits (same length), computed stably for logits of any size (step 9).
double kl_divergence(const std::vector<float>& p_logits, const std::vector<float>& q_logits);

// Choosing a block size by measured error (step 8). w[rows, cols] row-major; each candidate block size
// divides cols, blocks run along rows. For each candidate, quantize every row in blocks (absmax) and measure
// the relative RMS error, sqrt(sum of squared errors / sum of w_i squared). Return the LARGEST candidate whose
// relative error is at most max_relative_error (the fewest scales to store and read); when none is, the
// smallest candidate. candidates may come in any order.
int choose_block_size(const std::vector<float>& w, int rows, int cols, const std::vector<int>& candidates,
                      double max_relative_error);

}  // namespace ch10
