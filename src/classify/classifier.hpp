#pragma once
// A GPT with a classification head (chapter 09): the texts of a batch go through the GPT up to ln_f, each
// row is pooled to one vector (its last real token's state, or the mean over its real tokens:
// classify/pooling_head.hpp), and a linear head turns that into K logits, softmax'd into class probabilities.
// Training minimises the class-weighted cross-entropy
//   loss = (1/B) sum_b w[y_b] * -log p_b[y_b]
// where w are the class weights (inverse frequency, so a rare class counts as much in total as a common one;
// all ones for no weighting).
#include <span>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"

namespace minillm {

enum class Pooling { last_token, mean };
Pooling pooling_from_name(const std::string& name);  // "last" or "mean"; Error naming both otherwise
std::string pooling_name(Pooling pooling);

// B texts as token ids padded on the right to T, the longest: row b's real tokens are tokens[b*T, b*T +
// lengths[b]), the rest is padding (any id: causal attention keeps it away from the real tokens).
struct TokenBatch {
  TokenIds tokens;
  std::vector<int> lengths;
  int B = 0, T = 0;
};

// Pads texts (each at least one token, at most `context` after truncation by the caller) into one batch.
TokenBatch pad_batch(const std::vector<const TokenIds*>& texts);

class Classifier {
 public:
  // The head's tensors, in their own arena: "head.weight" [K,C], "head.bias" [K].
  Classifier(Gpt backbone, int classes, Pooling pooling);

  void init_head(Rng& rng);  // weight N(0, 0.02), bias 0, like GPT-2's other linear layers

  // Class probabilities of the batch's rows, probs()[B,K]. With labels (one per row) and class weights (one
  // per class), also the weighted loss above, returned; without, returns -1.
  float forward(const TokenBatch& batch, std::span<const int> labels = {}, std::span<const float> class_weights = {});
  // ACCUMULATES the gradient of the last forward's loss into head_grads() and, through the pooling and the
  // GPT, into the GPT's gradients of ln_f and blocks first_layer .. L-1 (first_layer = L: the head only).
  void backward(int first_layer);
  void zero_grad();

  const float* probs() const { return probs_.data(); }
  int classes() const { return K_; }
  Pooling pooling() const { return pooling_; }
  Gpt& backbone() { return gpt_; }
  const Gpt& backbone() const { return gpt_; }
  TensorArena& head() { return head_; }
  const TensorArena& head() const { return head_; }
  TensorArena& head_grads() { return head_grads_; }

 private:
  Gpt gpt_;
  int K_;
  Pooling pooling_;
  TensorArena head_, head_grads_;
  int B_ = 0, T_ = 0;
  std::vector<int> lengths_;
  TokenIds targets_;
  std::vector<float> pooled_, logits_, probs_, losses_;  // [B,C], [B,K], [B,K], [B]
  std::vector<float> dlosses_, dlogits_, dpooled_, dhidden_;  // [B], [B,K], [B,C], [B,T,C]
};

}  // namespace minillm
