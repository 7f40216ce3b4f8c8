#include "embed/word2vec.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

// GCC contracts a * b + c into one fused multiply-add (one rounding instead of two) wherever the target has
// FMA, even in ISO C++ mode: the AVX2 clone of train_span would round differently from the generic one,
// and one thread would give different bits on different CPUs. Off for this file's own functions.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace minillm::embed {

namespace {

inline size_t row(int index, int dim) { return static_cast<size_t>(index) * static_cast<size_t>(dim); }

// The training copy of a [V, dim] matrix with every row starting on its own 64-byte cache line and padded
// with zeros to a whole number of lines. Why: with 400-byte rows, neighbouring words shared a cache line,
// and the most frequent words (the rows written most) are neighbours in the vocabulary, so two Hogwild
// threads writing different words still fought over the same lines. The zero padding also lets the loops
// run over whole 16-float blocks; it stays zero (every update adds a multiple of another zero padding).
class PaddedRows {
 public:
  static constexpr int kLineFloats = 16;  // 64 bytes
  PaddedRows(std::span<const float> rows, int rows_count, int dim)
      : dim_(dim), stride_((dim + kLineFloats - 1) / kLineFloats * kLineFloats),
        storage_(row(rows_count, stride_) + kLineFloats, 0.0f) {
    const auto address = reinterpret_cast<uintptr_t>(storage_.data());
    data_ = storage_.data() + (kLineFloats - address / sizeof(float) % kLineFloats) % kLineFloats;
    for (int r = 0; r < rows_count; ++r)
      std::copy_n(rows.data() + row(r, dim), dim, data_ + row(r, stride_));
  }
  int stride() const { return stride_; }
  float* data() { return data_; }
  void copy_to(std::span<float> rows) const {
    for (size_t r = 0; r < rows.size() / size_t(dim_); ++r)
      std::copy_n(data_ + r * size_t(stride_), dim_, rows.data() + r * size_t(dim_));
  }

 private:
  int dim_, stride_;
  std::vector<float> storage_;
  float* data_ = nullptr;
};

// Sixteen partial sums, two AVX registers' worth: without -ffast-math the compiler may not reorder a single
// running sum, so we write the reordering ourselves and the loop vectorises. Two registers rather than one
// because each add must wait for the previous one into the same register (4 cycles): with one register
// the dot product waited on that chain (a third of all training time, measured with perf).
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

inline void axpy(float alpha, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// centre_step += alpha * u, then u += alpha * v, element by element in one pass over u: the same
// arithmetic as two axpy calls (centre_step takes u's value from before its update), one load of u fewer.
inline void step_target(float alpha, float* __restrict u, const float* __restrict v, float* __restrict centre_step,
                        int n) {
  for (int i = 0; i < n; ++i) {
    centre_step[i] += alpha * u[i];
    u[i] += alpha * v[i];
  }
}

// σ(x) with x clamped so exp never overflows; beyond ±30 float32 σ is already exactly 0 or 1.
inline float sigmoid(float x) {
  x = std::clamp(x, -30.0f, 30.0f);
  return 1.0f / (1.0f + std::exp(-x));
}

// -log σ(x), computed without cancellation for large |x|.
inline double minus_log_sigmoid(double x) { return x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x)); }

// Negative samples come from the unigram distribution raised to 0.75, which gives rare words more chances
// than their counts alone would. We draw them with Walker's alias method: V slots, one per word; a draw
// picks a slot uniformly, then keeps the slot's word with the slot's probability or else takes the slot's
// alias. Vose's construction makes that exactly the count^0.75 distribution (up to 32-bit thresholds).
// Why not word2vec.c's table of 10^8 slots? A random slot of a big table misses the cache on almost every
// draw (measured: half the training time). Why not a binary search over V running totals? Its 12
// dependent loads per draw were a quarter of the training time; the alias table needs one load (8 bytes
// per word: 33 KB for Moby Dick's 4,131 words).
struct AliasSlot {
  uint32_t keep_below;  // keep this slot's own word when the draw's low 32 bits are below this
  int32_t alias;        // the word taken otherwise
};

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

// One negative from one 64-bit draw: the high half picks the slot (multiply-shift: uniform to within
// V / 2^32), the low half decides between the slot's word and its alias.
inline int draw_negative(const std::vector<AliasSlot>& table, Rng& rng) {
  const uint64_t bits = rng.next_u64();
  const size_t slot = static_cast<size_t>(((bits >> 32) * table.size()) >> 32);
  const AliasSlot& s = table[slot];
  return static_cast<uint32_t>(bits) < s.keep_below ? static_cast<int>(slot) : s.alias;
}

// Probability of KEEPING each occurrence of a word (word2vec's formula): words much more frequent than
// `threshold` of the text are mostly dropped, so "the" stops dominating the updates.
std::vector<float> keep_probabilities(const Vocabulary& vocab, double threshold) {
  std::vector<float> keep(static_cast<size_t>(vocab.size()), 1.0f);
  if (threshold <= 0) return keep;
  const double limit = threshold * double(vocab.total_count());
  for (int i = 0; i < vocab.size(); ++i) {
    const double count = double(vocab.count_of(i));
    keep[static_cast<size_t>(i)] = static_cast<float>(std::min(1.0, (std::sqrt(count / limit) + 1) * limit / count));
  }
  return keep;
}

// The trainer's σ and -log σ come from tables over [-8, 8] (word2vec.c's trick): the pair loop calls them
// six times per pair, and two exp and a log each time cost more than the three 100-float loops. Outside
// the range σ is within 3.4e-4 of 0 or 1, so we use the limits. sgns_loss_backward (the reference the
// tests check) uses the exact functions; the tables differ from them by under 1e-3.
class SigmoidTables {
 public:
  static constexpr float kRange = 8.0f;
  static constexpr int kSize = 4096;
  SigmoidTables() {
    for (int i = 0; i <= kSize; ++i) {
      const double x = (2.0 * i / kSize - 1.0) * kRange;
      sigmoid_[size_t(i)] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
      minus_log_sigmoid_[size_t(i)] = static_cast<float>(embed::minus_log_sigmoid(x));
    }
  }
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

struct Shared {
  const Word2VecOptions& options;
  const std::vector<int32_t>& text;
  const std::vector<AliasSlot>& negatives;  // count^0.75, Walker alias table
  const std::vector<float>& keep;
  float* in;   // [V, stride], rows padded (PaddedRows)
  float* out;  // [V, stride]
  int stride;
  int hot_words;  // words 0..hot_words-1 (the most frequent) get per-thread output rows (HotOutputRows)
  int64_t total_work;                   // words to process over all epochs
  std::atomic<int64_t> words_done{0};   // for the learning-rate schedule and progress
  SigmoidTables tables;
};

// With two or more threads, each thread trains its own copy of the output rows of the most frequent words
// (all of them for a small vocabulary) and adds what it changed to the shared rows once per chunk of
// 10,000 words: Hogwild with the other thread's updates arriving a chunk late. Why: output rows are
// written on every pair (context and negatives), and when two cores write the same cache lines each write
// waits for the line to come back from the other core. Measured on Moby Dick (4,131 words) with 2 threads,
// on a 2-vCPU VM whose cores exchange lines slowly: 0.77 M words/s with all output rows shared, SLOWER
// than 1 thread (1.4 M); 0.95 M with the top 256 private, 1.14 M with the top 1,024, 2.1 M with all. One
// thread uses no copy (hot_words = 0), so its results stay exactly reproducible.
constexpr size_t kPrivateOutputFloats = size_t(1) << 19;  // 2 MB per thread: all of 4,681 rows of dim 100

class HotOutputRows {
 public:
  explicit HotOutputRows(const Shared& s)
      : shared_(s.out), stride_(s.stride), count_(s.hot_words), rows_(row(count_, stride_)), start_(rows_) {
    std::copy_n(shared_, rows_.size(), rows_.data());
    start_ = rows_;
  }
  float* row_of(int word) { return (word < count_ ? rows_.data() : shared_) + row(word, stride_); }
  // Adds this thread's changes since the last sync to the shared rows, then starts again from the shared
  // values, which include the other threads' changes. Unlocked, Hogwild style: a sync overlapping another
  // thread's may lose one of the two changes to a number; rare and harmless.
  void sync() {
    for (size_t i = 0; i < rows_.size(); ++i) {
      const float merged = shared_[i] + (rows_[i] - start_[i]);
      shared_[i] = merged;
      rows_[i] = start_[i] = merged;
    }
  }

 private:
  float* shared_;
  int stride_, count_;
  std::vector<float> rows_, start_;  // this thread's rows, and their values at the last sync
};

// lesson: train_pair
// One (centre, context) pair: the positive target and `negative` sampled ones, updated in place with the
// gradients of sgns_loss_backward scaled by -lr. The centre's update is collected in `centre_step` and
// applied after all targets, so every target sees the same centre vector (as the gradient assumes).
inline double train_pair(Shared& s, HotOutputRows& out, int centre, int context, float lr, Rng& rng,
                         float* centre_step) {
  const int dim = s.stride;  // the padded row length: the padding is zero and stays zero
  float* v = s.in + row(centre, dim);
  std::fill(centre_step, centre_step + dim, 0.0f);
  double loss = 0;
  for (int t = 0; t <= s.options.negative; ++t) {
    int target = context;
    if (t > 0) {
      target = draw_negative(s.negatives, rng);
      if (target == context) continue;  // a "negative" that is the true context would cancel the positive
    }
    float* u = out.row_of(target);
    const float score = dot(u, v, dim);
    const float label = t == 0 ? 1.0f : 0.0f;
    const float g = s.tables.sigmoid(score) - label;  // dL/dscore
    loss += s.tables.minus_log_sigmoid(t == 0 ? score : -score);
    step_target(-lr * g, u, v, centre_step, dim);  // centre_step += -lr g u (u before its update); u += -lr g v
  }
  for (int i = 0; i < dim; ++i) v[i] += centre_step[i];
  return loss;
}
// end lesson: train_pair

// One thread's share of one epoch: text[begin, end).
// Compiled twice, for AVX2 CPUs and for any x86-64, and picked at load time: the dot products and updates
// inlined here run 8 floats at a time where the CPU allows it. Both versions give the same bits: the
// arithmetic is written out in the same order, and fp-contract=off (top of the file) keeps the AVX2 one
// from fusing multiply-adds (checked: 1 thread, Moby Dick, identical vectors files from both).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void train_span(Shared& s, size_t begin, size_t end, uint64_t seed, int epoch, const Word2VecCallback& on_progress,
                double& loss_sum, int64_t& pairs) {
  const Word2VecOptions& o = s.options;
  Rng rng(seed);
  std::vector<int32_t> sentence;
  std::vector<float> centre_step(static_cast<size_t>(s.stride));
  HotOutputRows out(s);
  const float min_lr = o.learning_rate * 1e-4f;
  // Subsampling is drawn per occurrence per epoch, in chunks so the learning rate updates as we go.
  const size_t chunk = 10000;
  for (size_t start = begin; start < end; start += chunk) {
    const size_t stop = std::min(end, start + chunk);
    sentence.clear();
    for (size_t i = start; i < stop; ++i)
      if (s.keep[static_cast<size_t>(s.text[i])] >= 1.0f || rng.uniform() < s.keep[static_cast<size_t>(s.text[i])])
        sentence.push_back(s.text[i]);
    const double done = double(s.words_done.load(std::memory_order_relaxed)) / double(s.total_work);
    const float lr = std::max(min_lr, o.learning_rate * static_cast<float>(1.0 - done));
    const int n = static_cast<int>(sentence.size());
    for (int i = 0; i < n; ++i) {
      const int width = o.window - static_cast<int>(rng.below(static_cast<uint64_t>(o.window)));  // 1..window
      for (int j = std::max(0, i - width); j <= std::min(n - 1, i + width); ++j) {
        if (j == i) continue;
        // Skip-gram as word2vec.c does it: the context word's input vector is trained to predict the
        // centre word through the output vectors (the same pairs, counted from the other side).
        loss_sum += train_pair(s, out, sentence[static_cast<size_t>(j)], sentence[static_cast<size_t>(i)], lr, rng,
                               centre_step.data());
        ++pairs;
      }
    }
    out.sync();
    const int64_t now = s.words_done.fetch_add(static_cast<int64_t>(stop - start), std::memory_order_relaxed) +
                        static_cast<int64_t>(stop - start);
    if (on_progress && omp_get_thread_num() == 0)
      on_progress({double(now) / double(s.total_work), epoch, pairs > 0 ? loss_sum / double(pairs) : 0.0});
  }
}

}  // namespace

double sgns_loss_backward(const float* centre, std::span<const float* const> targets, int dim, float* dcentre,
                          std::span<float* const> dtargets) {
  require(targets.size() == dtargets.size() && !targets.empty(),
          "sgns_loss_backward: {} targets but {} gradient rows (need the same number, at least 1)", targets.size(),
          dtargets.size());
  double loss = 0;
  for (size_t t = 0; t < targets.size(); ++t) {
    const float score = dot(targets[t], centre, dim);
    const float g = sigmoid(score) - (t == 0 ? 1.0f : 0.0f);
    loss += t == 0 ? minus_log_sigmoid(score) : minus_log_sigmoid(-score);
    axpy(g, targets[t], dcentre, dim);
    axpy(g, centre, dtargets[t], dim);
  }
  return loss;
}

Word2VecResult train_word2vec(const std::vector<std::string>& words, const Word2VecOptions& o,
                              const Word2VecCallback& on_progress) {
  require(o.dim >= 1 && o.dim <= 10000, "word2vec: dim must be in [1, 10000] (got {})", o.dim);
  require(o.window >= 1, "word2vec: window must be at least 1 (got {})", o.window);
  require(o.negative >= 1, "word2vec: negative must be at least 1 (got {})", o.negative);
  require(o.epochs >= 1, "word2vec: epochs must be at least 1 (got {})", o.epochs);
  require(o.learning_rate > 0 && o.learning_rate < 10, "word2vec: learning rate {} is not in (0, 10)",
          o.learning_rate);
  require(o.threads >= 1 && o.threads <= 256, "word2vec: threads must be in [1, 256] (got {})", o.threads);

  const auto started = std::chrono::steady_clock::now();
  Word2VecResult result{Vocabulary::count(words, o.min_count), {}, {}, {}, 0, 0};
  const Vocabulary& vocab = result.vocabulary;
  const std::vector<int32_t> text = vocab.encode(words);
  require(text.size() >= 2, "word2vec: the text has only {} words that are in the vocabulary; it needs more",
          text.size());

  // Input vectors start small and random (so words differ), output vectors at zero: word2vec's choice,
  // which makes the first updates move only the output side.
  const int V = vocab.size();
  result.vectors.resize(row(V, o.dim));
  result.output_vectors.assign(row(V, o.dim), 0.0f);
  Rng init(o.seed);
  init.fill_uniform(result.vectors, -0.5f / float(o.dim), 0.5f / float(o.dim));

  const std::vector<AliasSlot> negatives = negative_alias_table(vocab);
  const std::vector<float> keep = keep_probabilities(vocab, o.subsample);
  PaddedRows in(result.vectors, V, o.dim), out(result.output_vectors, V, o.dim);
  const int hot_words =
      o.threads > 1 ? static_cast<int>(std::min<size_t>(size_t(V), kPrivateOutputFloats / size_t(in.stride()))) : 0;
  Shared shared{o, text, negatives, keep, in.data(), out.data(), in.stride(), hot_words,
                static_cast<int64_t>(text.size()) * o.epochs, {0}, {}};

  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    double loss_sum = 0;
    int64_t pairs = 0;
#pragma omp parallel num_threads(o.threads) reduction(+ : loss_sum, pairs)
    {
      const int thread = omp_get_thread_num(), count = omp_get_num_threads();
      const size_t begin = text.size() * static_cast<size_t>(thread) / static_cast<size_t>(count);
      const size_t end = text.size() * static_cast<size_t>(thread + 1) / static_cast<size_t>(count);
      const uint64_t seed = o.seed * 1000003u + static_cast<uint64_t>(epoch) * 1009u + static_cast<uint64_t>(thread);
      train_span(shared, begin, end, seed, epoch, on_progress, loss_sum, pairs);
    }
    result.epoch_mean_loss.push_back(pairs > 0 ? loss_sum / double(pairs) : 0.0);
  }
  in.copy_to(result.vectors);
  out.copy_to(result.output_vectors);
  result.words_trained = shared.total_work;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minillm::embed
