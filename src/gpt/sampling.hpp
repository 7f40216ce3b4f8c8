#pragma once
// Turning the model's logits into text, one token at a time.
//   temperature  divides the logits: < 1 sharpens the distribution, > 1 flattens it, 0 means greedy
//   top_k        keep only the k most likely tokens (0: all)
//   top_p        keep the smallest set of most likely tokens whose probabilities add up to p (1: all)
// The draw uses the project's Rng, so a seed reproduces a sample exactly.
#include <functional>
#include <optional>
#include <span>

#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "io/config_fields.hpp"
#include "gpt/gpt.hpp"
#include "gpt/kv_cache.hpp"

namespace minillm {

// One row per setting (io/config_fields.hpp): type, name, default, flag, range, help. `minillm generate`'s
// flags and their help come from these rows.
#define MINILLM_SAMPLING_CONFIG(X)                                                                          \
  X(float, temperature, 1.0f, "--temperature", at_least(0), "0 = greedy, 1 = the model's distribution")    \
  X(int, top_k, 0, "--top-k", at_least(0), "sample among the k likeliest tokens (0: all)")                 \
  X(float, top_p, 1.0f, "--top-p", above_up_to(0, 1), "sample among the likeliest tokens holding this mass")

struct SamplingOptions {
  using Self = SamplingOptions;
  MINILLM_SAMPLING_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_SAMPLING_CONFIG(MINILLM_CONFIG_FIELD)}; }
  void validate() const;  // Error naming the bad option
};

// How much text to generate and from which seed, for `minillm generate` and a training run's closing sample.
#define MINILLM_GENERATION_CONFIG(X)                                                                       \
  X(int, tokens, 200, "--tokens", at_least(0), "at most this many new tokens; <|endoftext|> stops earlier") \
  X(uint64_t, seed, 1337, "--seed", at_least(0), "random seed (same seed, same text, for any thread count)")

struct GenerationSettings {
  using Self = GenerationSettings;
  MINILLM_GENERATION_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_GENERATION_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

// The settings a preview of a model's text uses, declared once: the sample at the end of training
// (`minillm train`, chapter 06's demo) and chapter 07's sampled continuation.
inline constexpr SamplingOptions kPreviewSampling{.temperature = 0.8f, .top_k = 40, .top_p = 0.95f};

// One token id from logits[V].
TokenId sample_token(std::span<const float> logits, const SamplingOptions& options, Rng& rng);

// What to generate: at most max_new_tokens tokens; stop earlier when stop_token (usually <|endoftext|>, the
// token GPT-2 puts between documents) is sampled. The stop token itself is not part of the result.
struct GenerateOptions {
  int max_new_tokens = GenerationSettings{}.tokens;
  SamplingOptions sampling;
  std::optional<TokenId> stop_token;
};

struct Generation {
  TokenIds ids;                 // the new tokens (without the prompt, without the stop token)
  bool stopped = false;         // true when generation ended at stop_token, false when the budget ran out
  double prefill_seconds = 0;   // time to run the prompt (the first prefill)
  double decode_seconds = 0;    // time for everything after it
};

// Called with each new token as soon as it is sampled (to print it, say); not called for the stop token.
using OnToken = std::function<void(TokenId)>;

// Continues `prompt` with the KV cache (kv_cache.hpp): one prefill, then one step per token. When the
// cache is full, the window slides: the last maxT/2 tokens are prefilled again and decoding goes on.
//
// Same seed, same text: the draws come from `rng` alone, and the logits are bit-identical for any thread
// count (the one-position kernels sum in a fixed order; the prefill's BLAS products split rows, not
// sums, between threads), so a seed gives the same ids for 1 or N threads on one machine and build
// (tested). Across machines it is not promised: OpenBLAS picks its kernels for the CPU it runs on, and a
// different summation order can flip a near-tie between two tokens.
Generation generate(const Gpt& model, std::span<const TokenId> prompt, const GenerateOptions& options, Rng& rng,
                    const OnToken& on_token = {});

// The same on a decoder of any model (a quantized one, say); its cache is reset by the prefill.
Generation generate(Decoder& decoder, std::span<const TokenId> prompt, const GenerateOptions& options, Rng& rng,
                    const OnToken& on_token = {});

// The sampling loop on a decoder that already holds a context: `logits` are those of its last position.
// Returns the new tokens; the last one is not fed to the decoder (the caller may advance() it). Used by
// generate() and by an interactive session that keeps its cache between turns.
Generation continue_generation(Decoder& decoder, std::span<const float> logits, const GenerateOptions& options,
                               Rng& rng, const OnToken& on_token = {});

// Appends `count` sampled tokens to `prompt` and returns the whole sequence (no stop token). An empty
// prompt is an Error (the model needs something to continue).
TokenIds generate(const Gpt& model, TokenIds prompt, int count, const SamplingOptions& options, Rng& rng);

// The same sampling without a cache: every token runs the whole window (the last maxT tokens) through the
// model again. Quadratically slower; kept as the reference the cache is tested and benchmarked against.
TokenIds generate_without_cache(Gpt& model, TokenIds prompt, int count, const SamplingOptions& options, Rng& rng);

}  // namespace minillm
