#include "classify/classifier.hpp"

#include <algorithm>

#include "classify/pooling_head.hpp"
#include "core/error.hpp"
#include "nn/cross_entropy.hpp"

namespace minillm {

Pooling pooling_from_name(const std::string& name) {
  if (name == "last") return Pooling::last_token;
  if (name == "mean") return Pooling::mean;
  fail("pooling '{}' is not known: 'last' (the last real token's final state) or 'mean' (the mean over the real "
       "tokens)", name);
}

std::string pooling_name(Pooling pooling) { return pooling == Pooling::last_token ? "last" : "mean"; }

TokenBatch pad_batch(const std::vector<const TokenIds*>& texts) {
  TokenBatch batch;
  batch.B = static_cast<int>(texts.size());
  for (const TokenIds* ids : texts) {
    require(!ids->empty(), "pad_batch: a text with no tokens");
    batch.T = std::max(batch.T, static_cast<int>(ids->size()));
  }
  batch.tokens.assign(static_cast<size_t>(batch.B) * batch.T, token_id(0));
  for (int b = 0; b < batch.B; ++b) {
    std::copy(texts[b]->begin(), texts[b]->end(), batch.tokens.begin() + static_cast<ptrdiff_t>(b) * batch.T);
    batch.lengths.push_back(static_cast<int>(texts[b]->size()));
  }
  return batch;
}

Classifier::Classifier(Gpt backbone, int classes, Pooling pooling)
    : gpt_(std::move(backbone)), K_(classes), pooling_(pooling) {
  require(classes >= 2, "a classifier needs at least 2 classes, got {}", classes);
  const int64_t C = gpt_.config().n_embd;
  for (TensorArena* arena : {&head_, &head_grads_}) {
    arena->add("head.weight", Shape{classes, C});
    arena->add("head.bias", Shape{classes});
    arena->allocate();
  }
}

void Classifier::init_head(Rng& rng) {
  rng.fill_normal(head_["head.weight"].span(), 0.0f, 0.02f);
  head_["head.bias"].zero();
}

void Classifier::zero_grad() {
  head_grads_.zero();
  if (gpt_.form() == GptForm::trainable) gpt_.zero_grad();
}

float Classifier::forward(const TokenBatch& batch, std::span<const int> labels, std::span<const float> class_weights) {
  const int B = batch.B, T = batch.T, C = gpt_.config().n_embd, K = K_;
  require(static_cast<int>(batch.lengths.size()) == B, "classifier: {} lengths for {} rows", batch.lengths.size(), B);
  for (int length : batch.lengths)
    require(length >= 1 && length <= T, "classifier: a row of {} real tokens in a batch of width {}", length, T);
  gpt_.forward_hidden(batch.tokens, B, T);
  B_ = B;
  T_ = T;
  lengths_ = batch.lengths;
  pooled_.resize(static_cast<size_t>(B) * C);
  logits_.resize(static_cast<size_t>(B) * K);
  probs_.resize(logits_.size());
  losses_.resize(static_cast<size_t>(B));
  const float* hidden = gpt_.final_hidden();
  if (pooling_ == Pooling::last_token) last_token_pool_forward(pooled_.data(), hidden, lengths_.data(), B, T, C);
  else mean_pool_forward(pooled_.data(), hidden, lengths_.data(), B, T, C);
  classifier_head_forward(logits_.data(), pooled_.data(), head_["head.weight"].data, head_["head.bias"].data, B, C, K);
  targets_.clear();
  for (int label : labels) targets_.push_back(token_id(label));
  // Cross-entropy fills the probabilities; without labels, any target does (its loss is not used).
  const TokenIds any(static_cast<size_t>(B), token_id(0));
  cross_entropy_forward_plain(losses_.data(), probs_.data(), logits_.data(), labels.empty() ? any : targets_, B, K);
  if (labels.empty()) return -1.0f;
  require(static_cast<int>(labels.size()) == B && static_cast<int>(class_weights.size()) == K,
          "classifier: {} labels and {} class weights for {} rows and {} classes", labels.size(), class_weights.size(),
          B, K);
  dlosses_.resize(static_cast<size_t>(B));
  double sum = 0;
  for (int b = 0; b < B; ++b) {
    dlosses_[b] = class_weights[labels[b]] / static_cast<float>(B);  // d loss / d losses[b]
    sum += double(dlosses_[b]) * losses_[b];
  }
  return static_cast<float>(sum);
}

// lesson: classifier_backward
void Classifier::backward(int first_layer) {
  require(!targets_.empty(), "classifier backward: the last forward had no labels, so there is no loss");
  const int B = B_, T = T_, C = gpt_.config().n_embd, K = K_, L = gpt_.config().n_layer;
  dlogits_.assign(static_cast<size_t>(B) * K, 0.0f);
  cross_entropy_backward_plain(dlogits_.data(), dlosses_.data(), probs_.data(), targets_, B, K);
  const bool into_gpt = first_layer < L;
  dpooled_.assign(into_gpt ? static_cast<size_t>(B) * C : 0, 0.0f);
  classifier_head_backward(into_gpt ? dpooled_.data() : nullptr, head_grads_["head.weight"].data,
                           head_grads_["head.bias"].data, dlogits_.data(), pooled_.data(), head_["head.weight"].data,
                           B, C, K);
  if (!into_gpt) return;  // a frozen GPT: the head is all there is to train
  dhidden_.assign(static_cast<size_t>(B) * T * C, 0.0f);
  if (pooling_ == Pooling::last_token) last_token_pool_backward(dhidden_.data(), dpooled_.data(), lengths_.data(), B, T, C);
  else mean_pool_backward(dhidden_.data(), dpooled_.data(), lengths_.data(), B, T, C);
  gpt_.backward_from_hidden(dhidden_.data(), first_layer);
}
// end lesson: classifier_backward

}  // namespace minillm
