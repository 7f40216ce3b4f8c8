#pragma once
// Two models on the same text, position by position, as llama.cpp's `perplexity --kl-divergence` compares a
// quantized model with its float original:
//   bits per byte of each     how well each predicts the text (train/dataset.hpp's measure)
//   mean KL(P_ref || P_cand)  how far the candidate's next-token distribution is from the reference's, in
//                             nats, averaged over positions: it sees every token's probability, not only the
//                             one the text happened to continue with, so it catches changes bits per byte
//                             averages away (one position better, another worse)
//   top-1 agreement           the share of positions where both models' likeliest next token is the same
//                             (what greedy decoding would pick)
// Both run through the KV-cache decoder (gpt/kv_cache.hpp), so a quantized candidate is measured with the
// int8 kernels `generate` uses. The text is cut into windows of the context length; each window is
// prefilled one token and then stepped, so every id after a window's first is predicted once.
#include "core/token_id.hpp"
#include "gpt/kv_cache.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

struct ModelComparison {
  int64_t tokens = 0;                 // positions scored
  double reference_bits_per_byte = 0, candidate_bits_per_byte = 0;
  double mean_kl = 0;                 // nats
  double max_kl = 0;                  // the worst position's
  double top1_agreement = 0;          // in [0, 1]
};

// Error if the decoders' vocabularies differ or ids holds fewer than 2 tokens.
ModelComparison compare_models(Decoder& reference, Decoder& candidate, const TokenIds& ids, const Tokenizer& tokenizer);

}  // namespace minillm
