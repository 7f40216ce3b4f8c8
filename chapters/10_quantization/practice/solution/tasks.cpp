// Chapter 10 practice: the reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ch10 {

Int8Block absmax_quantize(const std::vector<float>& block) {
  float largest = 0;
  for (float v : block) largest = std::max(largest, std::fabs(v));
  Int8Block out;
  out.scale = largest / 127.0f;
  out.values.reserve(block.size());
  for (float v : block) {
    const float steps = out.scale > 0 ? std::round(v / out.scale) : 0.0f;
    out.values.push_back(static_cast<int8_t>(std::clamp(steps, -127.0f, 127.0f)));
  }
  return out;
}

std::vector<float> dequantize_blocks(const std::vector<int8_t>& values, const std::vector<float>& scales,
                                     int block_size) {
  std::vector<float> real(values.size());
  for (size_t i = 0; i < values.size(); ++i) real[i] = float(values[i]) * scales[i / size_t(block_size)];
  return real;
}

float int8_dot(const std::vector<int8_t>& a, const std::vector<float>& a_scales, const std::vector<int8_t>& b,
               const std::vector<float>& b_scales, int block_size) {
  float total = 0;
  for (size_t blk = 0; blk < a_scales.size(); ++blk) {
    int32_t whole = 0;
    for (size_t i = blk * size_t(block_size); i < (blk + 1) * size_t(block_size); ++i)
      whole += int32_t(a[i]) * int32_t(b[i]);
    total += a_scales[blk] * b_scales[blk] * float(whole);
  }
  return total;
}

ErrorReport rounding_error(const std::vector<float>& w, int block_size) {
  ErrorReport r;
  double squares = 0;
  for (size_t start = 0; start < w.size(); start += size_t(block_size)) {
    const std::vector<float> chunk(w.begin() + long(start), w.begin() + long(start) + block_size);
    const Int8Block q = absmax_quantize(chunk);
    r.bound = std::max(r.bound, double(q.scale) / 2);
    for (size_t i = 0; i < chunk.size(); ++i) {
      const double err = std::fabs(double(chunk[i]) - double(q.values[i]) * double(q.scale));
      r.max_error = std::max(r.max_error, err);
      squares += err * err;
    }
  }
  r.rms_error = std::sqrt(squares / double(w.size()));
  return r;
}

std::vector<uint8_t> pack_q4(const std::vector<int8_t>& values) {
  std::vector<uint8_t> bytes(values.size() / 2);
  for (size_t j = 0; j < bytes.size(); ++j) {
    const unsigned low = unsigned(values[2 * j] + 8), high = unsigned(values[2 * j + 1] + 8);
    bytes[j] = static_cast<uint8_t>(low | (high << 4));
  }
  return bytes;
}

std::vector<int8_t> unpack_q4(const std::vector<uint8_t>& bytes) {
  std::vector<int8_t> values;
  values.reserve(2 * bytes.size());
  for (uint8_t byte : bytes) {
    values.push_back(static_cast<int8_t>(int(byte & 0x0f) - 8));
    values.push_back(static_cast<int8_t>(int(byte >> 4) - 8));
  }
  return values;
}

namespace {

// log softmax(logits), in double, the largest logit subtracted first.
std::vector<double> log_softmax(const std::vector<float>& logits) {
  const double top = *std::max_element(logits.begin(), logits.end());
  double total = 0;
  for (float z : logits) total += std::exp(double(z) - top);
  const double log_total = top + std::log(total);
  std::vector<double> out;
  for (float z : logits) out.push_back(double(z) - log_total);
  return out;
}

}  // namespace

double kl_divergence(const std::vector<float>& p_logits, const std::vector<float>& q_logits) {
  const std::vector<double> lp = log_softmax(p_logits), lq = log_softmax(q_logits);
  double kl = 0;
  for (size_t v = 0; v < lp.size(); ++v) kl += std::exp(lp[v]) * (lp[v] - lq[v]);
  return kl;
}

int choose_block_size(const std::vector<float>& w, int rows, int cols, const std::vector<int>& candidates,
                      double max_relative_error) {
  double energy = 0;
  for (float v : w) energy += double(v) * v;
  int best = 0, smallest = *std::min_element(candidates.begin(), candidates.end());
  for (int size : candidates) {
    double squares = 0;
    for (int r = 0; r < rows; ++r) {
      const std::vector<float> row(w.begin() + long(r) * cols, w.begin() + long(r + 1) * cols);
      squares += std::pow(rounding_error(row, size).rms_error, 2) * cols;
    }
    const double relative = energy > 0 ? std::sqrt(squares / energy) : 0.0;
    if (relative <= max_relative_error) best = std::max(best, size);
  }
  return best > 0 ? best : smallest;
}

}  // namespace ch10
