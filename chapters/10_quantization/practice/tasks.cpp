// Chapter 10 practice. Replace each TODO with your code, then run `./run practice 10`.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "practice/todo.hpp"

namespace ch10 {

Int8Block absmax_quantize(const std::vector<float>& block) {
  // TODO(absmax_quantize): return the block's scale and its int8 values, as tasks.hpp and the lesson's
  // step 2 describe. Check: the largest magnitude becomes exactly 127 or -127, and an all-zero block must
  // not divide by zero.
  throw minillm::practice::NotImplemented("absmax_quantize");
}

std::vector<float> dequantize_blocks(const std::vector<int8_t>& values, const std::vector<float>& scales,
                                     int block_size) {
  // TODO(dequantize_blocks): the real number each int8 value stands for (step 3). Which scale belongs to
  // value i?
  throw minillm::practice::NotImplemented("dequantize_blocks");
}

float int8_dot(const std::vector<int8_t>& a, const std::vector<float>& a_scales, const std::vector<int8_t>& b,
               const std::vector<float>& b_scales, int block_size) {
  // TODO(int8_dot): the dot product of two block-quantized vectors, with the integer work per block and the
  // real-number work once per block (step 5). Mind the integer type the sums need.
  throw minillm::practice::NotImplemented("int8_dot");
}

ErrorReport rounding_error(const std::vector<float>& w, int block_size) {
  // TODO(rounding_error): quantize w block by block with your absmax_quantize, compare each value with what
  // its block gives back, and fill the three fields of ErrorReport (step 4).
  throw minillm::practice::NotImplemented("rounding_error");
}

std::vector<uint8_t> pack_q4(const std::vector<int8_t>& values) {
  // TODO(pack_q4): two 4-bit values per byte, in the layout tasks.hpp gives (step 7).
  throw minillm::practice::NotImplemented("pack_q4");
}

std::vector<int8_t> unpack_q4(const std::vector<uint8_t>& bytes) {
  // TODO(unpack_q4): undo pack_q4: two values out of every byte, in order.
  throw minillm::practice::NotImplemented("unpack_q4");
}

double kl_divergence(const std::vector<float>& p_logits, const std::vector<float>& q_logits) {
  // TODO(kl_divergence): KL(P || Q) of the two softmax distributions, in nats (step 9). Logits can be large:
  // work with log-probabilities.
  throw minillm::practice::NotImplemented("kl_divergence");
}

int choose_block_size(const std::vector<float>& w, int rows, int cols, const std::vector<int>& candidates,
                      double max_relative_error) {
  // TODO(choose_block_size): measure each candidate's relative RMS error over the whole matrix (blocks run
  // along each row) and pick as tasks.hpp says (step 8). Your rounding_error can do the per-row work.
  throw minillm::practice::NotImplemented("choose_block_size");
}

}  // namespace ch10
