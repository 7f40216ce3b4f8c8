#pragma once
// Chapter 05 practice: the GPT's own parts (the input embedding and the tied output head, forward and
// backward), its parameter count, the whole forward pass wired from the library's layers, and the whole
// backward pass (the keystone).
// Matrices are row-major float buffers or vectors; shapes are in the comments.
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "gpt/gpt.hpp"

namespace ch05 {

// Task token_position_embedding: GPT-2's input. ids holds B rows of T token ids (each in [0, V)); wte is
// the token table [V, C], wpe the position table [maxT, C]. out[B, T, C]: the embedding of the token at
// (b, t) plus the embedding of position t. Returns out.
std::vector<float> token_position_embedding(const std::vector<int>& ids, const std::vector<float>& wte,
                                            const std::vector<float>& wpe, int B, int T, int C);

// Task tied_logits: the output head, tied to the token table: logits[N, V] = x[N, C] · wte[V, C]ᵀ, the score
// of token v for row n.
std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V);

// Task parameter_count: the number of floats a GPT-2 with this config learns: every tensor of the
// embeddings, of the L blocks and of the final LayerNorm, the tied output head counted once (it IS wte).
int64_t parameter_count(const minillm::GptConfig& config);

// Task token_position_backward: the backward of token_position_embedding, given dout[B, T, C].
// ACCUMULATES dLoss/dwte into dwte[V, C] and dLoss/dwpe into dwpe[maxT, C].
void token_position_backward(const std::vector<int>& ids, const std::vector<float>& dout, std::vector<float>& dwte,
                             std::vector<float>& dwpe, int B, int T, int C);

// Task tied_logits_backward: the backward of tied_logits, given dlogits[N, V] = dLoss/dlogits. ACCUMULATES
// dLoss/dx into dx[N, C] and dLoss/dwte into dwte[V, C] (which, in the GPT, also gets the embedding's).
void tied_logits_backward(const std::vector<float>& x, const std::vector<float>& wte, const std::vector<float>& dlogits,
                          std::vector<float>& dx, std::vector<float>& dwte, int N, int C, int V);

// Task gpt_forward: the whole GPT-2 forward pass for ids (B rows of T ids, T <= config.context_length) with
// the weights in params (named as minillm::Gpt names them: "wte", "wpe", "h.0.ln_1.weight", ...,
// "ln_f.weight", "ln_f.bias"). Returns the logits [B, T, V].
std::vector<float> gpt_forward(minillm::TensorArena& params, const minillm::GptConfig& config,
                               const std::vector<int>& ids, int B, int T);

// Task gpt_backward: one training pass of the whole GPT-2 on a batch. The forward pass of gpt_forward (keeping
// every activation the backward reads), the loss = the mean over the B*T positions of the cross-entropy of
// predicting targets[b*T + t] (nn/cross_entropy.hpp), then the backward pass through every layer in reverse
// (the lesson's "The backward pass, end to end"). Returns the loss. ACCUMULATES dLoss/dparameter into grads,
// an arena with the same names and shapes as params ("wte", "h.0.ln_1.weight", ...).
float gpt_backward(minillm::TensorArena& params, minillm::TensorArena& grads, const minillm::GptConfig& config,
                   const std::vector<int>& ids, const std::vector<int>& targets, int B, int T);

}  // namespace ch05
