#include "train/model_compare.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace minillm {

namespace {

// log-softmax of logits[V] in double.
void log_probs(std::span<const float> logits, std::vector<double>& out) {
  out.resize(logits.size());
  const double top = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (float v : logits) sum += std::exp(double(v) - top);
  const double log_sum = top + std::log(sum);
  for (size_t i = 0; i < logits.size(); ++i) out[i] = double(logits[i]) - log_sum;
}

size_t argmax(const std::vector<double>& v) { return size_t(std::max_element(v.begin(), v.end()) - v.begin()); }

}  // namespace

// lesson: compare_models
ModelComparison compare_models(Decoder& reference, Decoder& candidate, const TokenIds& ids, const Tokenizer& tokenizer) {
  const int V = reference.config().vocab_size, T = reference.config().context_length;
  require(candidate.config().vocab_size == V && candidate.config().context_length == T,
          "compare: the models differ in vocabulary ({} and {} tokens) or context ({} and {}); compare a model with "
          "the one it was made from", V, candidate.config().vocab_size, T, candidate.config().context_length);
  require(ids.size() >= 2, "compare: {} token(s) leave nothing to predict; the text needs at least 2", ids.size());
  ModelComparison r;
  double nats_ref = 0, nats_cand = 0, bytes = 0, kl_sum = 0;
  int64_t agree = 0;
  std::vector<double> p, q;  // log-probabilities of the next token: reference, candidate
  std::span<const float> a, b;
  for (size_t t = 0; t + 1 < ids.size(); ++t) {
    if (t % size_t(T) == 0) {  // a new window: its first token alone, then one step per token
      a = reference.prefill(std::span(&ids[t], 1));
      b = candidate.prefill(std::span(&ids[t], 1));
    } else {
      a = reference.step(ids[t]);
      b = candidate.step(ids[t]);
    }
    log_probs(a, p);
    log_probs(b, q);
    const size_t target = size_t(to_int(ids[t + 1]));
    nats_ref -= p[target];
    nats_cand -= q[target];
    bytes += double(tokenizer.token_bytes(ids[t + 1]).size());
    double kl = 0;  // KL(P || Q) = sum_v P(v) (log P(v) - log Q(v))
    for (int v = 0; v < V; ++v) kl += std::exp(p[size_t(v)]) * (p[size_t(v)] - q[size_t(v)]);
    kl_sum += kl;
    r.max_kl = std::max(r.max_kl, kl);
    agree += argmax(p) == argmax(q);
    ++r.tokens;
  }
  r.reference_bits_per_byte = nats_ref / (std::log(2.0) * bytes);
  r.candidate_bits_per_byte = nats_cand / (std::log(2.0) * bytes);
  r.mean_kl = kl_sum / double(r.tokens);
  r.top1_agreement = double(agree) / double(r.tokens);
  return r;
}
// end lesson: compare_models

}  // namespace minillm
