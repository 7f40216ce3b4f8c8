#pragma once
// Chapter 07 practice: turning logits into text. Logits and probabilities are float vectors over the
// vocabulary (V entries); ids are ints.
#include <functional>
#include <vector>

namespace ch07 {

// probs[V] = softmax(logits / temperature), computed stably (subtract the maximum first). temperature > 0.
std::vector<float> temperature_softmax(const std::vector<float>& logits, float temperature);

// Top-k: returns a copy of logits where every logit smaller than the k-th largest becomes -infinity
// (ties with the k-th largest are kept). 1 <= k <= V.
std::vector<float> top_k_filter(const std::vector<float>& logits, int k);

// Top-p (nucleus): probs[V] sums to 1. Keep the most likely tokens, in order of probability, until their
// probabilities add up to at least p; every other token gets probability 0, and the kept ones are divided
// by their sum so the result sums to 1 again. 0 < p <= 1. The most likely token is always kept.
std::vector<float> top_p_filter(const std::vector<float>& probs, float p);

// One head's attention for ONE new query over a KV cache:
//   att[s] = softmax_s(q · k[s] / sqrt(hs)),  out = sum_s att[s] · v[s]      for s = 0..T-1
// q[hs]; k_cache and v_cache are [T, hs] row-major (row s is position s). Returns out[hs].
std::vector<float> attend_one_query(const std::vector<float>& q, const std::vector<float>& k_cache,
                                    const std::vector<float>& v_cache, int T, int hs);

// A model for the greedy loop: given all tokens so far, the logits of the next token.
using NextLogits = std::function<std::vector<float>(const std::vector<int>& tokens)>;

// Greedy decoding: starting from `prompt`, repeatedly append the argmax of model(tokens) (the lowest id
// on a tie). Stop when max_new_tokens were added, or when the argmax is end_of_text (which is not
// appended). Returns only the new tokens.
std::vector<int> greedy_generate(const NextLogits& model, const std::vector<int>& prompt, int max_new_tokens,
                                 int end_of_text);

}  // namespace ch07
