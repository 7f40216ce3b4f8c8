// The speed layer's out-of-line parts (embed/word2vec_speed.hpp explains each).
#include "embed/word2vec_speed.hpp"

#include <algorithm>
#include <cstdint>

namespace minillm::embed::speed {

PaddedRows::PaddedRows(std::span<const float> rows, int rows_count, int dim)
    : dim_(dim), stride_((dim + kLineFloats - 1) / kLineFloats * kLineFloats),
      storage_(row(rows_count, stride_) + kLineFloats, 0.0f) {
  const auto address = reinterpret_cast<uintptr_t>(storage_.data());
  data_ = storage_.data() + (kLineFloats - address / sizeof(float) % kLineFloats) % kLineFloats;
  for (int r = 0; r < rows_count; ++r) std::copy_n(rows.data() + row(r, dim), dim, data_ + row(r, stride_));
}

void PaddedRows::copy_to(std::span<float> rows) const {
  for (size_t r = 0; r < rows.size() / size_t(dim_); ++r)
    std::copy_n(data_ + r * size_t(stride_), dim_, rows.data() + r * size_t(dim_));
}

std::vector<AliasSlot> negative_alias_table(const Vocabulary& vocab) {
  const int V = vocab.size();
  std::vector<double> scaled(static_cast<size_t>(V));  // probability x V: 1 means "exactly one slot's worth"
  double total = 0;
  for (int i = 0; i < V; ++i) total += std::pow(double(vocab.count_of(i)), 0.75);
  for (int i = 0; i < V; ++i) scaled[size_t(i)] = std::pow(double(vocab.count_of(i)), 0.75) / total * V;
  std::vector<AliasSlot> table(static_cast<size_t>(V));
  std::vector<int> small, large;  // words with less / at least one slot's worth still to place
  for (int i = V - 1; i >= 0; --i) (scaled[size_t(i)] < 1.0 ? small : large).push_back(i);
  while (!small.empty() && !large.empty()) {
    const int under = small.back(), over = large.back();
    small.pop_back();
    // Slot `under` keeps its word with probability scaled[under]; the rest of the slot goes to `over`.
    table[size_t(under)] = {static_cast<uint32_t>(std::llround(scaled[size_t(under)] * 4294967296.0)), over};
    scaled[size_t(over)] -= 1.0 - scaled[size_t(under)];
    if (scaled[size_t(over)] < 1.0) {
      large.pop_back();
      small.push_back(over);
    }
  }
  // What is left has (up to rounding) exactly one slot's worth: it always keeps its own word.
  for (int i : small) table[size_t(i)] = {0xFFFFFFFFu, i};
  for (int i : large) table[size_t(i)] = {0xFFFFFFFFu, i};
  return table;
}

SigmoidTables::SigmoidTables() {
  for (int i = 0; i <= kSize; ++i) {
    const double x = (2.0 * i / kSize - 1.0) * kRange;
    sigmoid_[size_t(i)] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    minus_log_sigmoid_[size_t(i)] = static_cast<float>(speed::minus_log_sigmoid(x));
  }
}

HotOutputRows::HotOutputRows(float* shared, int stride, int hot_words)
    : shared_(shared), stride_(stride), count_(hot_words), rows_(row(count_, stride_)), start_(rows_) {
  std::copy_n(shared_, rows_.size(), rows_.data());
  start_ = rows_;
}

void HotOutputRows::sync() {
  for (size_t i = 0; i < rows_.size(); ++i) {
    const float merged = shared_[i] + (rows_[i] - start_[i]);
    shared_[i] = merged;
    rows_[i] = start_[i] = merged;
  }
}

}  // namespace minillm::embed::speed
