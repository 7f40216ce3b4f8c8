#pragma once
// Incremental decoding with a KV cache: generating a token costs one position through the model, not the
// whole window again.
//
// A GPT's position t depends only on positions 0..t (the causal mask), so when a new token is appended,
// every earlier position's keys and values stay exactly what they were. The Decoder keeps them, per layer:
//   k[l][maxT, C], v[l][maxT, C]       2 · L · maxT · C floats (GPT-2 124M at 1,024 tokens: 75.5 MB)
//   prefill(prompt)  runs the whole prompt through every layer at once (big matrix products), stores its
//                    keys and values, and returns the logits of the LAST position only
//   step(token)      runs one new position through every layer: its query attends over the cache, its key
//                    and value are appended; returns that position's logits[V]
// The cached logits equal the full forward's on the same tokens (tests/unit/gpt/test_kv_cache.cpp).
//
// A quantized model (gpt/quantized_model.hpp) decodes the same way: step() runs each linear layer and the
// head through the int8 matrix-vector product (quant/q8_matvec.hpp), and prefill() dequantizes one block's
// weights at a time into float32 scratch (12·C² floats) and runs the same matrix-matrix products.
//
// Context full: the cache holds at most maxT positions. step() on a full cache is an Error; advance()
// (what generate() uses) then slides the window: it keeps the newest maxT/2 tokens and prefills them again.
#include <span>
#include <vector>

#include "core/tensor.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"
#include "gpt/quantized_model.hpp"
#include "nn/block.hpp"

namespace minillm {

// Bytes of the K and V caches for T positions: 2 (K and V) · L · T · C · 4 bytes.
int64_t kv_cache_bytes(const GptConfig& config, int T);

class Decoder {
 public:
  // Reads the weights of `model` (which must outlive the decoder and not change while it decodes).
  explicit Decoder(const Gpt& model);
  // The same for a quantized model (which must outlive the decoder).
  explicit Decoder(const QuantizedGpt& model);

  // Forgets the cache and runs tokens[T] (1 <= T <= maxT) at positions 0..T-1. Returns logits[V] of
  // position T-1 (valid until the next call).
  std::span<const float> prefill(std::span<const TokenId> tokens);
  // Runs `token` at position length(); returns its logits[V]. Error if the cache is empty or full.
  std::span<const float> step(TokenId token);

  // step(token) while there is room; on a full cache, slides: prefills the newest maxT/2 - 1 cached tokens
  // followed by `token` (maxT/2 positions, at least 1), and returns the logits of `token`.
  std::span<const float> advance(TokenId token);

  int length() const { return static_cast<int>(tokens_.size()); }
  bool full() const { return length() == config_.context_length; }
  const TokenIds& tokens() const { return tokens_; }  // the tokens in the cache, oldest first
  const GptConfig& config() const { return config_; }

 private:
  // A quantized model's int8 matrices of one block; all nullptr for a float model.
  struct Q8Layer {
    const Q8Matrix *attn_c_attn = nullptr, *attn_c_proj = nullptr, *mlp_c_fc = nullptr, *mlp_c_proj = nullptr;
    const Q8Matrix* of(BlockLinear which) const;
  };

  void allocate();
  void check_token(TokenId token) const;
  void embed(float* x, TokenId token, int position) const;  // x[C] = wte[token] + wpe[position]
  // out[OC] = W · inp[C] + bias for one position, W float32 (w) or int8 (q, when not nullptr).
  static void linear(float* out, const float* inp, const float* w, const Q8Matrix* q, const float* bias, int C,
                     int OC);
  const BlockParams& prefill_weights(int layer);  // layer's float weights (dequantized into scratch if int8)
  std::span<const float> head(const float* x);  // ln_f and the tied output head for one position

  GptConfig config_;
  std::vector<BlockParams> layers_;  // resolved once
  const float *wte_ = nullptr, *wpe_, *ln_f_weight_, *ln_f_bias_;
  std::vector<Q8Layer> q8_layers_;   // L entries
  const Q8Matrix* wte_q8_ = nullptr;
  std::vector<float> dequantized_;   // [12·C²] one block's weights as float32, for a quantized prefill
  BlockParams dequantized_params_{};
  std::vector<float> k_, v_;         // [L, maxT, C] each
  TokenIds tokens_;
  // One position's block activations (chapter 04's block at B = T = 1), and the head's scratch.
  TensorArena step_scratch_;
  BlockActs step_acts_{};
  std::vector<float> x_, ln_, scores_, logits_;
  float mean_ = 0, rstd_ = 0;
};

}  // namespace minillm
