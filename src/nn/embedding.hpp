#pragma once
// Embeddings: a lookup table with one learned row per token id (and, GPT-2 style, one per position).
// Forward copies rows; backward scatter-adds the output gradient back into the rows that were used, so a
// token that appears twice collects both gradients.
#include <span>

#include "core/rng.hpp"
#include "core/token_id.hpp"

namespace minillm {

// GPT-2's initialisation for wte and wpe: every entry drawn from N(0, 0.02²). Small, so the first
// layers see inputs of similar scale whatever the token; random, so no two rows start equal.
void embedding_init(std::span<float> table, Rng& rng, float stddev = 0.02f);

// out[N,C] = table[ids[n], :]. An id outside [0, V) is an Error naming the id and V.
void embedding_forward(float* out, std::span<const TokenId> ids, const float* table, int V, int C);

// ACCUMULATES: dtable[ids[n], :] += dout[n, :] for every n (repeated ids add up).
void embedding_backward(float* dtable, std::span<const TokenId> ids, const float* dout, int V, int C);

// GPT-2's input: out[B,T,C] = wte[ids[b,t]] + wpe[t]. ids has B*T entries, wte is [V,C], wpe is [maxT,C].
void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V);

// ACCUMULATES into dwte[V,C] and dwpe[maxT,C].
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int V);

}  // namespace minillm
