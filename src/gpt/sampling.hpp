#pragma once
// Turning the model's logits into text, one token at a time.
//   temperature  divides the logits: < 1 sharpens the distribution, > 1 flattens it, 0 means greedy
//   top_k        keep only the k most likely tokens (0: all)
//   top_p        keep the smallest set of most likely tokens whose probabilities add up to p (1: all)
// The draw uses the project's Rng, so a seed reproduces a sample exactly.
#include <span>

#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"

namespace minillm {

struct SamplingOptions {
  float temperature = 1.0f;
  int top_k = 0;
  float top_p = 1.0f;
  void validate() const;  // Error naming the bad option
};

// One token id from logits[V].
TokenId sample_token(std::span<const float> logits, const SamplingOptions& options, Rng& rng);

// Appends `count` sampled tokens to `prompt` and returns the whole sequence. The model sees at most its
// context_length last tokens. An empty prompt is an Error (the model needs something to continue).
TokenIds generate(Gpt& model, TokenIds prompt, int count, const SamplingOptions& options, Rng& rng);

}  // namespace minillm
