#pragma once
// Chapter 07 practice: turning logits into text, then one whole decoding step with a KV cache. Logits and
// probabilities are float vectors over the vocabulary (V entries); ids are ints.
#include <functional>
#include <vector>

#include "gpt/gpt.hpp"

namespace ch07 {

// Task temperature_softmax: probs[V], the softmax of the logits at a temperature > 0 (How It Works steps 1
// and 2). Must stay finite for logits in the thousands.
std::vector<float> temperature_softmax(const std::vector<float>& logits, float temperature);

// Task top_k_filter: returns a copy of logits where every logit smaller than the k-th largest becomes -infinity
// (ties with the k-th largest are kept). 1 <= k <= V.
std::vector<float> top_k_filter(const std::vector<float>& logits, int k);

// Task top_p_filter (nucleus): probs[V] sums to 1. Keep the most likely tokens, in order of probability, until their
// probabilities add up to at least p; every other token gets probability 0, and the kept ones are divided
// by their sum so the result sums to 1 again. 0 < p <= 1. The most likely token is always kept.
std::vector<float> top_p_filter(const std::vector<float>& probs, float p);

// Task min_p_filter: probs[V] sums to 1. Keep every token whose probability is at least min_p times the
// largest probability; the others get 0, and the kept ones are divided by their sum (the lesson's "Min-p").
// 0 < min_p <= 1. The most likely token is always kept.
std::vector<float> min_p_filter(const std::vector<float>& probs, float min_p);

// Task sample_token: draw the next token from logits[V] (How It Works steps 2, 3 and 5). temperature > 0 divides the logits before the
// softmax; top_k > 0 keeps only the k largest logits (0 keeps all) and renormalises. u in [0, 1) is the
// uniform random number of the draw: return the first token id (in increasing id order, among the kept
// ones) at which the running sum of the probabilities exceeds u.
int sample_token(const std::vector<float>& logits, float temperature, int top_k, float u);

// Task attend_one_query: one head's attention for ONE new query over a KV cache (How It Works step 8 and
// chapter 03's scaled dot-product attention). q[hs]; k_cache and v_cache are [T, hs] row-major (row s is
// position s, the past and the new position itself). Returns out[hs].
std::vector<float> attend_one_query(const std::vector<float>& q, const std::vector<float>& k_cache,
                                    const std::vector<float>& v_cache, int T, int hs);

// A model for the greedy loop: given all tokens so far, the logits of the next token.
using NextLogits = std::function<std::vector<float>(const std::vector<int>& tokens)>;

// Greedy decoding: starting from `prompt`, repeatedly append the argmax of model(tokens) (the lowest id
// on a tie). Stop when max_new_tokens were added, or when the argmax is end_of_text (which is not
// appended). Returns only the new tokens.
std::vector<int> greedy_generate(const NextLogits& model, const std::vector<int>& prompt, int max_new_tokens,
                                 int end_of_text);

// The KV cache of one layer: keys and values [maxT, C] each (row t is position t, the heads side by side as
// in the columns of qkv). The caller sizes both to model.config().context_length * n_embd floats.
struct LayerCache {
  std::vector<float> keys, values;
};

// Task kv_decode_step: one whole decoding step (How It Works step 8). The token at position t goes through
// every layer of model (read its weights with model.weights()); cache[l] holds layer l's keys and values of
// positions 0..t-1 from the earlier steps, and this step writes row t of every layer's keys and values.
// Returns logits[V] of position t: equal to row t of model.forward over the tokens of positions 0..t.
// 0 <= t < context_length; cache.size() == n_layer.
std::vector<float> kv_decode_step(const minillm::Gpt& model, std::vector<LayerCache>& cache, int token, int t);

}  // namespace ch07
