#pragma once
// A passage's vector from a GPT (chapters 05-06) instead of word vectors: run the passage through the model and
// average what the final LayerNorm (ln_f) holds for each of its tokens, then scale the mean to length 1.
// ln_f's row for a token is the model's summary of the text so far, the vector its head turns into the next
// token's logits; their mean over a passage is a "GPT-state" embedding. Unlike a mean of word vectors it sees
// word order and context ("the whale struck the boat" and "the boat struck the whale" differ), but the
// model was trained to predict the next token, not to place passages of like meaning near each other, so
// whether it retrieves better is measured, not assumed (docs/benchmarks.md, chapter 08).
//
// Passages longer than the model's context_length are cut into windows of at most context_length tokens;
// the mean is over all of the passage's tokens. Many passages go through one forward pass: windows of
// different lengths share a batch padded on the right to the longest, which changes nothing for the real
// tokens because attention is causal (a token only looks at tokens before it, never at the padding after).
//
// An index built this way keeps a CheckpointRef, not the model: a query must be embedded by the same model
// and tokenizer, so the index records the checkpoint's path and hashes of both, and open_recorded() refuses
// a checkpoint that is missing or has changed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gpt/gpt.hpp"
#include "io/file_hash.hpp"
#include "search/checkpoint_ref.hpp"
#include "tokenizer/tokenizer.hpp"
#include "ui/progress.hpp"

namespace minillm::search {

// The pooling step, on rows of hidden states [count, dim]: adds each column's sum into sum[dim] (double,
// so a long passage's many rows add up without float rounding).
void add_rows(const float* rows, int64_t count, int dim, double* sum);
// out[dim] = (sum / count) scaled to length 1; all zeros when count is 0 or the mean is zero.
void mean_to_unit(const double* sum, int64_t count, int dim, float* out);

// FNV-1a 64 of a file's bytes (io/file_hash.hpp).
using minillm::file_hash;

class GptEmbedder {
 public:
  // A model and its tokenizer (their vocabularies must agree); `ref` is what an index records about them.
  GptEmbedder(Gpt model, Tokenizer tokenizer, CheckpointRef ref = {});

  // The model and tokenizer of a checkpoint: a training run's folder (its latest checkpoint), a model folder,
  // or a Hugging Face GPT-2 folder; the model is loaded for inference only.
  static GptEmbedder open(const std::filesystem::path& checkpoint);
  // The checkpoint an index recorded, at `path` when given (a checkpoint that moved), else at ref.path. One
  // clear Error, naming `index_name` and saying what to do, when it is missing or its model or tokenizer is
  // not the one the index was built with.
  static GptEmbedder open_recorded(const CheckpointRef& ref, const std::string& index_name,
                                   const std::filesystem::path& path = {});

  int dim() const { return model_.config().n_embd; }
  const CheckpointRef& ref() const { return ref_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }

  // Into out[dim]: the unit-length mean of ln_f over the text's tokens. Returns how many tokens the text has;
  // with none, out is all zeros (it matches nothing).
  int64_t embed(std::string_view text, float* out);
  // Every text embedded as by embed(), as rows [texts.size(), dim], many texts per forward pass. `tokens`
  // (if given) receives each text's token count; `progress` (if given) advances by one per text.
  std::vector<float> embed_all(const std::vector<std::string>& texts, std::vector<int64_t>* tokens = nullptr,
                               ui::ProgressBar* progress = nullptr);

 private:
  Gpt model_;
  Tokenizer tokenizer_;
  CheckpointRef ref_;
};

}  // namespace minillm::search
