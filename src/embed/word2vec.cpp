#include "embed/word2vec.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/target_clones.hpp"

// GCC contracts a * b + c into one fused multiply-add (one rounding instead of two) wherever the target has
// FMA, even in ISO C++ mode: the AVX2 clone of train_span would round differently from the generic one,
// and one thread would give different bits on different CPUs. Off for this file's own functions and for
// the speed layer's inline ones, which are included after it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "embed/word2vec_speed.hpp"

namespace minillm::embed {

namespace {

// σ(x) with x clamped so exp never overflows; beyond ±30 float32 σ is already exactly 0 or 1.
inline float sigmoid(float x) {
  x = std::clamp(x, -30.0f, 30.0f);
  return 1.0f / (1.0f + std::exp(-x));
}

using speed::minus_log_sigmoid;

inline float plain_dot(const float* a, const float* b, int n) {
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

// lesson: sgns_loss_backward
double sgns_loss_backward(const float* centre, std::span<const float* const> targets, int dim, float* dcentre,
                          std::span<float* const> dtargets) {
  require(targets.size() == dtargets.size() && !targets.empty(),
          "sgns_loss_backward: {} targets but {} gradient rows (need the same number, at least 1)", targets.size(),
          dtargets.size());
  double loss = 0;
  for (size_t t = 0; t < targets.size(); ++t) {
    const float* u = targets[t];
    const float score = plain_dot(u, centre, dim);
    const float label = t == 0 ? 1.0f : 0.0f;  // the true context is 1, the negatives 0
    const float g = sigmoid(score) - label;    // dL/dscore
    loss += minus_log_sigmoid(t == 0 ? score : -score);
    for (int i = 0; i < dim; ++i) dcentre[i] += g * u[i];        // dL/dv_w = Σ_t (s_t - y_t) u_t
    for (int i = 0; i < dim; ++i) dtargets[t][i] += g * centre[i];  // dL/du_t = (s_t - y_t) v_w
  }
  return loss;
}
// end lesson: sgns_loss_backward

// lesson: sgns_update
double sgns_update(float* centre, std::span<float* const> targets, int dim, float learning_rate) {
  require(!targets.empty(), "sgns_update: needs at least one target (the true context)");
  std::vector<float> centre_step(static_cast<size_t>(dim), 0.0f);
  double loss = 0;
  for (size_t t = 0; t < targets.size(); ++t) {
    float* u = targets[t];
    const float score = plain_dot(u, centre, dim);
    const float label = t == 0 ? 1.0f : 0.0f;
    const float g = sigmoid(score) - label;  // dL/dscore
    loss += minus_log_sigmoid(t == 0 ? score : -score);
    for (int i = 0; i < dim; ++i) {
      centre_step[i] -= learning_rate * g * u[i];  // collected: every target must see the same centre
      u[i] -= learning_rate * g * centre[i];
    }
  }
  for (int i = 0; i < dim; ++i) centre[i] += centre_step[i];
  return loss;
}
// end lesson: sgns_update

// The trainer: sgns_update for every (centre, context) pair of the text, epoch after epoch, with the
// machinery of embed/word2vec_speed.hpp (padded rows, the alias table, sigmoid tables, per-thread output
// rows) and several Hogwild threads.
namespace {

using speed::AliasSlot;
using speed::HotOutputRows;
using speed::PaddedRows;
using speed::row;

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
  speed::SigmoidTables tables;
};

// lesson: train_pair
// One (centre, context) pair: sgns_update with the negatives drawn here, on padded rows, with σ and -log σ
// from tables. The centre's update is collected in `centre_step` and applied after all targets, so every
// target sees the same centre vector (as the gradient assumes).
inline double train_pair(Shared& s, HotOutputRows& out, int centre, int context, float lr, Rng& rng,
                         float* centre_step) {
  const int dim = s.stride;  // the padded row length: the padding is zero and stays zero
  float* v = s.in + row(centre, dim);
  std::fill(centre_step, centre_step + dim, 0.0f);
  double loss = 0;
  for (int t = 0; t <= s.options.negative; ++t) {
    int target = context;
    if (t > 0) {
      target = speed::draw_negative(s.negatives, rng);
      if (target == context) continue;  // a "negative" that is the true context would cancel the positive
    }
    float* u = out.row_of(target);
    const float score = speed::dot(u, v, dim);
    const float label = t == 0 ? 1.0f : 0.0f;
    const float g = s.tables.sigmoid(score) - label;  // dL/dscore
    loss += s.tables.minus_log_sigmoid(t == 0 ? score : -score);
    speed::step_target(-lr * g, u, v, centre_step, dim);  // centre_step += -lr g u (u before it moves); u += -lr g v
  }
  for (int i = 0; i < dim; ++i) v[i] += centre_step[i];
  return loss;
}
// end lesson: train_pair

// One thread's share of one epoch: text[begin, end).
// Compiled twice, for AVX2 CPUs and for any x86-64, and picked at load time (GCC on x86-64 only; elsewhere
// one generic version): the dot products and updates inlined here run 8 floats at a time where the CPU
// allows it. Both versions give the same bits: the arithmetic is written out in the same order, and
// fp-contract=off (top of the file) keeps the AVX2 one from fusing multiply-adds.
MINILLM_X86_64_V3_CLONE
void train_span(Shared& s, size_t begin, size_t end, uint64_t seed, int epoch, const Word2VecCallback& on_progress,
                double& loss_sum, int64_t& pairs) {
  const Word2VecOptions& o = s.options;
  Rng rng(seed);
  std::vector<int32_t> sentence;
  std::vector<float> centre_step(static_cast<size_t>(s.stride));
  HotOutputRows out(s.out, s.stride, s.hot_words);
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

Word2VecResult train_word2vec(const std::vector<std::string>& words, const Word2VecOptions& o,
                              const Word2VecCallback& on_progress) {
  check_field_ranges(o, "word2vec");  // the table's ranges: "word2vec: dim must be from 1 to 10000, got 0"

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

  const std::vector<AliasSlot> negatives = speed::negative_alias_table(vocab);
  const std::vector<float> keep = keep_probabilities(vocab, o.subsample);
  PaddedRows in(result.vectors, V, o.dim), out(result.output_vectors, V, o.dim);
  const int hot_words =
      o.threads > 1 ? static_cast<int>(std::min<size_t>(size_t(V), speed::kPrivateOutputFloats / size_t(in.stride()))) : 0;
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
