#pragma once
// The training text as token ids: tokenized once and cached, split into train and validation parts,
// served as random (input, target) windows, and scored in bits per byte.
#include <cstdint>
#include <filesystem>
#include <string>

#include "io/config_fields.hpp"
#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

// Token ids of `text` under `tokenizer`, cached in cache_dir as "<text hash>-<tokenizer hash>.ids" (int32
// little-endian, written atomically) so a second run skips tokenization. Empty cache_dir: no cache.
TokenIds tokenize_cached(const std::string& text, const Tokenizer& tokenizer, const std::filesystem::path& cache_dir);

// A stable 64-bit FNV-1a hash (for cache names and the tokenizer reference in checkpoints).
uint64_t fnv1a(std::string_view bytes, uint64_t seed = 1469598103934665603ULL);
uint64_t tokenizer_hash(const Tokenizer& tokenizer);  // over its merges, specials and pattern

struct TokenSplit {
  TokenIds train, val;
};
// The last val_fraction of the ids are validation (contiguous, so no window straddles both parts). Each
// part needs at least T+1 ids: an Error says how much text is missing.
TokenSplit split_train_val(const TokenIds& ids, double val_fraction, int T);

// B random windows of T+1 ids: inputs[b,t] = ids[o_b + t], targets[b,t] = ids[o_b + t + 1].
void sample_batch(const TokenIds& ids, int B, int T, Rng& rng, TokenIds& inputs, TokenIds& targets);

struct EvalResult {
  double loss = 0;           // mean nats per token
  double bits_per_byte = 0;  // sum of nats / (ln 2 * UTF-8 bytes of the predicted tokens)
  int64_t tokens = 0;
};
// `minillm eval`'s settings, one row each (io/config_fields.hpp).
#define MINILLM_EVAL_CONFIG(X) X(int, batch, 8, "--batch", greater_than(0), "sequences per forward pass")

struct EvalSettings {
  using Self = EvalSettings;
  MINILLM_EVAL_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_EVAL_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

// Scores the model on consecutive windows of T of `ids`, each target once: with max_batches = 0 every id
// after the first (the ids after the last whole window as one shorter window); else at most max_batches
// batches of B windows from the start.
// Bits per byte is comparable across tokenizers: a tokenizer with longer tokens has fewer, harder tokens.
EvalResult evaluate(Gpt& model, const TokenIds& ids, const Tokenizer& tokenizer, int B, int T, int max_batches);

}  // namespace minillm
