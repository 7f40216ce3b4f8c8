#pragma once
// word2vec, skip-gram with negative sampling (Mikolov et al. 2013), trained by hand-written SGD.
//
// Every word has two vectors: an input vector v (the embedding we keep) and an output vector u (used only
// in training). For a centre word w and a word c that really appears near it, plus K random "negative"
// words n_1..n_K, the loss is
//     L = -log σ(u_c · v_w) - Σ_k log σ(-u_nk · v_w)
// Writing s_t = σ(u_t · v_w) and label y_t (1 for c, 0 for negatives), its derivatives are
//     dL/du_t = (s_t - y_t) v_w          dL/dv_w = Σ_t (s_t - y_t) u_t
// (the lesson derives them: d/dx -log σ(x) = σ(x) - 1 and d/dx -log σ(-x) = σ(x)).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "io/config_fields.hpp"
#include "embed/vocabulary.hpp"

namespace minillm::embed {

// The loss for one centre vector and its targets (targets[0] is the true context, the rest negatives).
// ACCUMULATES dcentre[dim] and dtargets[t][dim]; returns L.
double sgns_loss_backward(const float* centre, std::span<const float* const> targets, int dim, float* dcentre,
                          std::span<float* const> dtargets);

// One plain SGD step on L: centre -= lr dL/dv_w and targets[t] -= lr dL/du_t, all gradients taken at the
// vectors as they were before the step. Returns L before the step. This is the whole of word2vec's
// learning; the trainer below does the same for every pair of the text, made fast by
// embed/word2vec_speed.hpp (σ from tables there, so its numbers differ from these by under 1e-3).
double sgns_update(float* centre, std::span<float* const> targets, int dim, float learning_rate);

// One row per setting (io/config_fields.hpp): type, name, default, `minillm embed train` flag, range, help.
#define MINILLM_WORD2VEC_CONFIG(X)                                                                               \
  X(int, dim, 100, "--dim", between(1, 10000), "numbers per word vector")                                       \
  X(int, window, 5, "--window", at_least(1), "context words on each side (each centre draws its width in 1..window)") \
  X(int, negative, 5, "--negative", at_least(1), "negative samples per (centre, context) pair")                   \
  X(int, epochs, 5, "--epochs", at_least(1), "passes over the text")                                              \
  X(int, min_count, 5, "--min-count", at_least(1), "ignore words seen fewer times")                              \
  X(float, learning_rate, 0.025f, "--lr", above_up_to(0, 10),                                                   \
    "starting learning rate (it decays linearly to 1e-4 of itself over all epochs)")                            \
  X(double, subsample, 1e-3, "", at_least(0), "frequent words are dropped with a probability set by this threshold") \
  X(int, threads, 1, "", between(1, 256), "Hogwild: threads update the shared vectors without locks")            \
  X(uint64_t, seed, 1, "--seed", at_least(0), "random seed")

struct Word2VecOptions {
  using Self = Word2VecOptions;
  MINILLM_WORD2VEC_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_WORD2VEC_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

struct Word2VecProgress {
  double fraction_done;  // 0..1 over all epochs
  int epoch;             // 0-based
  double mean_loss;      // average L per (centre, context) pair since the epoch started
};

struct Word2VecResult {
  Vocabulary vocabulary;
  std::vector<float> vectors;          // [V, dim] the input vectors: the word embeddings
  std::vector<float> output_vectors;   // [V, dim]
  std::vector<double> epoch_mean_loss; // one per epoch
  int64_t words_trained = 0;           // words of the text processed (before subsampling), all epochs
  double seconds = 0;
};

using Word2VecCallback = std::function<void(const Word2VecProgress&)>;

// Trains on `words` (from split_words). The callback (optional) is called from one thread, about every
// 1% of the work.
Word2VecResult train_word2vec(const std::vector<std::string>& words, const Word2VecOptions& options,
                              const Word2VecCallback& on_progress = {});

}  // namespace minillm::embed
