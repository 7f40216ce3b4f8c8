#pragma once
// SPEED LAYER of word2vec (read embed/word2vec.cpp first: sgns_update there is the whole idea).
//
// The trainer in word2vec.cpp does exactly what sgns_update does, pair after pair, millions of times.
// Everything here only makes that fast; none of it changes what is learned:
//   PaddedRows      each word's row on its own cache lines (threads writing neighbouring words do not fight)
//   dot, step_target  the inner loops, written so that the compiler vectorises them
//   AliasSlot       negative samples from count^0.75 with one memory load per draw (Walker's alias method)
//   SigmoidTables   σ and -log σ from tables instead of exp and log
//   HotOutputRows   per-thread copies of the most-used output rows, merged once per chunk of text
// Only word2vec.cpp includes this header. docs/benchmarks.md has the measurements behind each choice.
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "embed/vocabulary.hpp"

namespace minillm::embed::speed {

inline size_t row(int index, int dim) { return static_cast<size_t>(index) * static_cast<size_t>(dim); }

// -log σ(x), computed without cancellation for large |x|.
inline double minus_log_sigmoid(double x) { return x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x)); }

// The training copy of a [V, dim] matrix with every row starting on its own 64-byte cache line and padded
// with zeros to a whole number of lines. Why: the most frequent words (the rows written most) are
// neighbours in the vocabulary, so with unpadded rows two Hogwild threads writing different words still
// fought over the same cache lines. The zero padding also lets the loops run over whole 16-float blocks;
// it stays zero (every update adds a multiple of another zero padding).
class PaddedRows {
 public:
  static constexpr int kLineFloats = 16;  // 64 bytes
  PaddedRows(std::span<const float> rows, int rows_count, int dim);
  int stride() const { return stride_; }
  float* data() { return data_; }
  void copy_to(std::span<float> rows) const;

 private:
  int dim_, stride_;
  std::vector<float> storage_;
  float* data_ = nullptr;
};

// Sixteen partial sums, two AVX registers' worth: without -ffast-math the compiler may not reorder a single
// running sum, so we write the reordering ourselves and the loop vectorises. Two registers rather than one
// because each add must wait for the previous one into the same register: with one register the dot
// product waited on that chain.
inline float dot(const float* a, const float* b, int n) {
  float partial[16] = {};
  int i = 0;
  for (; i + 16 <= n; i += 16)
    for (int k = 0; k < 16; ++k) partial[k] += a[i + k] * b[i + k];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  float sum = tail;
  for (int k = 0; k < 8; ++k) sum += partial[k] + partial[k + 8];
  return sum;
}

// centre_step += alpha * u, then u += alpha * v, element by element in one pass over u: the same
// arithmetic as two separate loops (centre_step takes u's value from before its update), one load of u fewer.
inline void step_target(float alpha, float* __restrict u, const float* __restrict v, float* __restrict centre_step,
                        int n) {
  for (int i = 0; i < n; ++i) {
    centre_step[i] += alpha * u[i];
    u[i] += alpha * v[i];
  }
}

// Negative samples come from the unigram distribution raised to 0.75, which gives rare words more chances
// than their counts alone would. We draw them with Walker's alias method: V slots, one per word; a draw
// picks a slot uniformly, then keeps the slot's word with the slot's probability or else takes the slot's
// alias. Vose's construction makes that exactly the count^0.75 distribution (up to 32-bit thresholds).
// Why not word2vec.c's table of 10^8 slots? A random slot of a big table misses the cache on almost every
// draw. Why not a binary search over V running totals? It needs ~log2(V) dependent loads per draw; the
// alias table needs one (8 bytes per word).
struct AliasSlot {
  uint32_t keep_below;  // keep this slot's own word when the draw's low 32 bits are below this
  int32_t alias;        // the word taken otherwise
};

std::vector<AliasSlot> negative_alias_table(const Vocabulary& vocab);

// One negative from one 64-bit draw: the high half picks the slot (multiply-shift: uniform to within
// V / 2^32), the low half decides between the slot's word and its alias.
inline int draw_negative(const std::vector<AliasSlot>& table, Rng& rng) {
  const uint64_t bits = rng.next_u64();
  const size_t slot = static_cast<size_t>(((bits >> 32) * table.size()) >> 32);
  const AliasSlot& s = table[slot];
  return static_cast<uint32_t>(bits) < s.keep_below ? static_cast<int>(slot) : s.alias;
}

// The trainer's σ and -log σ come from tables over [-8, 8] (word2vec.c's trick): the pair loop calls them
// six times per pair, and two exp and a log each time cost more than the three dim-float loops. Outside
// the range σ is within 3.4e-4 of 0 or 1, so we use the limits. sgns_update and sgns_loss_backward (the
// reference the tests check) use the exact functions; the tables differ from them by under 1e-3.
class SigmoidTables {
 public:
  static constexpr float kRange = 8.0f;
  static constexpr int kSize = 4096;
  SigmoidTables();
  // Index of the table entry nearest to x, which must be in [-kRange, kRange].
  static int slot(float x) { return static_cast<int>((x + kRange) * (kSize / (2 * kRange)) + 0.5f); }
  float sigmoid(float x) const {
    return x >= kRange ? 1.0f : x <= -kRange ? 0.0f : sigmoid_[size_t(slot(x))];
  }
  float minus_log_sigmoid(float x) const {
    return x >= kRange ? 0.0f : x <= -kRange ? -x : minus_log_sigmoid_[size_t(slot(x))];
  }

 private:
  std::array<float, kSize + 1> sigmoid_{};
  std::array<float, kSize + 1> minus_log_sigmoid_{};
};

// With two or more threads, each thread trains its own copy of the output rows of the most frequent words
// (all of them for a small vocabulary) and adds what it changed to the shared rows once per chunk of
// 10,000 words: Hogwild with the other thread's updates arriving a chunk late. Why: output rows are
// written on every pair (context and negatives), and when two cores write the same cache lines each write
// waits for the line to come back from the other core; with all output rows shared, 2 threads were slower
// than 1. One thread uses no copy (hot_words = 0), so its results stay exactly reproducible.
inline constexpr size_t kPrivateOutputFloats = size_t(1) << 19;  // 2 MB per thread: all of 4,681 rows of dim 100

class HotOutputRows {
 public:
  // shared: the [V, stride] output rows; words 0..hot_words-1 get this thread's own copy.
  HotOutputRows(float* shared, int stride, int hot_words);
  float* row_of(int word) { return (word < count_ ? rows_.data() : shared_) + row(word, stride_); }
  // Adds this thread's changes since the last sync to the shared rows, then starts again from the shared
  // values, which include the other threads' changes. Unlocked, Hogwild style: a sync overlapping another
  // thread's may lose one of the two changes to a number; rare and harmless.
  void sync();

 private:
  float* shared_;
  int stride_, count_;
  std::vector<float> rows_, start_;  // this thread's rows, and their values at the last sync
};

}  // namespace minillm::embed::speed
