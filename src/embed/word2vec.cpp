#include "embed/word2vec.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace minillm::embed {

namespace {

inline size_t row(int index, int dim) { return static_cast<size_t>(index) * static_cast<size_t>(dim); }

// Eight partial sums, one per lane of an AVX register: without -ffast-math the compiler may not reorder a
// single running sum, so we write the reordering ourselves and the loop vectorises.
inline float dot(const float* a, const float* b, int n) {
  float partial[8] = {};
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) partial[k] += a[i + k] * b[i + k];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
         ((partial[4] + partial[5]) + (partial[6] + partial[7])) + tail;
}

inline void axpy(float alpha, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// σ(x) with x clamped so exp never overflows; beyond ±30 float32 σ is already exactly 0 or 1.
inline float sigmoid(float x) {
  x = std::clamp(x, -30.0f, 30.0f);
  return 1.0f / (1.0f + std::exp(-x));
}

// -log σ(x), computed without cancellation for large |x|.
inline double minus_log_sigmoid(double x) { return x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x)); }

// Negative samples come from the unigram distribution raised to 0.75, which gives rare words more chances
// than their counts alone would. We keep the running total of count^0.75 over the vocabulary, scaled to
// [0, 2^31): a uniform draw r picks the first word whose running total exceeds r (a binary search).
// Why not word2vec.c's table of 10^8 slots? Looking up a random slot of a big table misses the cache on
// almost every draw (measured: half the training time); V running totals fit in the fastest cache.
std::vector<uint32_t> negative_cumulative(const Vocabulary& vocab) {
  double total = 0;
  for (int i = 0; i < vocab.size(); ++i) total += std::pow(double(vocab.count_of(i)), 0.75);
  std::vector<uint32_t> cumulative(static_cast<size_t>(vocab.size()));
  double running = 0;
  for (int i = 0; i < vocab.size(); ++i) {
    running += std::pow(double(vocab.count_of(i)), 0.75);
    cumulative[static_cast<size_t>(i)] = static_cast<uint32_t>(std::llround(running / total * 2147483648.0));
  }
  cumulative.back() = 2147483648u;  // rounding must not leave the last word unreachable
  return cumulative;
}

// The first index whose running total exceeds r, by a binary search without branches (the comparison
// picks the half with a conditional move): random draws make a branch mispredict half the time.
inline int draw_negative(const std::vector<uint32_t>& cumulative, Rng& rng) {
  const uint32_t r = rng.next_u32() >> 1;  // uniform in [0, 2^31)
  const uint32_t* first = cumulative.data();
  size_t length = cumulative.size();
  while (length > 1) {  // the answer is in [first, first + length]
    const size_t half = length / 2;
    first = first[half - 1] <= r ? first + half : first;
    length -= half;
  }
  return static_cast<int>(first - cumulative.data()) + (*first <= r ? 1 : 0);  // the last total is 2^31 > r
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
  const std::vector<uint32_t>& negatives;  // running totals of count^0.75
  const std::vector<float>& keep;
  float* in;   // [V, dim]
  float* out;  // [V, dim]
  int64_t total_work;                   // words to process over all epochs
  std::atomic<int64_t> words_done{0};   // for the learning-rate schedule and progress
  SigmoidTables tables;
};

// lesson: train_pair
// One (centre, context) pair: the positive target and `negative` sampled ones, updated in place with the
// gradients of sgns_loss_backward scaled by -lr. The centre's update is collected in `centre_step` and
// applied after all targets, so every target sees the same centre vector (as the gradient assumes).
inline double train_pair(Shared& s, int centre, int context, float lr, Rng& rng, float* centre_step) {
  const int dim = s.options.dim;
  float* v = s.in + row(centre, dim);
  std::fill(centre_step, centre_step + dim, 0.0f);
  double loss = 0;
  for (int t = 0; t <= s.options.negative; ++t) {
    int target = context;
    if (t > 0) {
      target = draw_negative(s.negatives, rng);
      if (target == context) continue;  // a "negative" that is the true context would cancel the positive
    }
    float* u = s.out + row(target, dim);
    const float score = dot(u, v, dim);
    const float label = t == 0 ? 1.0f : 0.0f;
    const float g = s.tables.sigmoid(score) - label;  // dL/dscore
    loss += s.tables.minus_log_sigmoid(t == 0 ? score : -score);
    axpy(-lr * g, u, centre_step, dim);  // uses u before its own update
    axpy(-lr * g, v, u, dim);
  }
  for (int i = 0; i < dim; ++i) v[i] += centre_step[i];
  return loss;
}
// end lesson: train_pair

// One thread's share of one epoch: text[begin, end).
// Compiled twice, for AVX2 CPUs and for any x86-64, and picked at load time: the dot products and updates
// inlined here run 8 floats at a time where the CPU allows it. (The arithmetic is the same, ISO C++ mode
// does not fuse multiply-adds, so both versions give the same bits.)
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void train_span(Shared& s, size_t begin, size_t end, uint64_t seed, int epoch, const Word2VecCallback& on_progress,
                double& loss_sum, int64_t& pairs) {
  const Word2VecOptions& o = s.options;
  Rng rng(seed);
  std::vector<int32_t> sentence;
  std::vector<float> centre_step(static_cast<size_t>(o.dim));
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
        loss_sum += train_pair(s, sentence[static_cast<size_t>(j)], sentence[static_cast<size_t>(i)], lr, rng,
                               centre_step.data());
        ++pairs;
      }
    }
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

  const std::vector<uint32_t> negatives = negative_cumulative(vocab);
  const std::vector<float> keep = keep_probabilities(vocab, o.subsample);
  Shared shared{o, text, negatives, keep, result.vectors.data(), result.output_vectors.data(),
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
  result.words_trained = shared.total_work;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minillm::embed
