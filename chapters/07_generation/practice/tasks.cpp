// Chapter 07 practice. Replace each TODO with your code, then run `./run practice 07`.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "practice/todo.hpp"

namespace ch07 {

std::vector<float> temperature_softmax(const std::vector<float>& logits, float temperature) {
  // TODO(temperature_softmax): the temperature rescales the logits; the rest is chapter 03's stable softmax.
  throw minillm::practice::NotImplemented("temperature_softmax");
}

std::vector<float> top_k_filter(const std::vector<float>& logits, int k) {
  // TODO(top_k_filter): one number decides which logits survive. Return the filtered copy; the input is
  // unchanged.
  throw minillm::practice::NotImplemented("top_k_filter");
}

std::vector<float> top_p_filter(const std::vector<float>& probs, float p) {
  // TODO(top_p_filter): which tokens form the nucleus depends on the order of their probabilities; the token
  // that brings the total to p belongs to it.
  throw minillm::practice::NotImplemented("top_p_filter");
}

std::vector<float> min_p_filter(const std::vector<float>& probs, float min_p) {
  // TODO(min_p_filter): the threshold moves with the model's confidence: it is a share of the best token's
  // probability. Keep, renormalise, return.
  throw minillm::practice::NotImplemented("min_p_filter");
}

int sample_token(const std::vector<float>& logits, float temperature, int top_k, float u) {
  // TODO(sample_token): three steps: decide which tokens may be drawn, turn their logits at the temperature
  // into probabilities that sum to 1, then let u pick one of them (How It Works step 5).
  throw minillm::practice::NotImplemented("sample_token");
}

std::vector<float> attend_one_query(const std::vector<float>& q, const std::vector<float>& k_cache,
                                    const std::vector<float>& v_cache, int T, int hs) {
  // TODO(attend_one_query): one row of chapter 03's attention, the newest position's. What needs masking when
  // the cache holds only the past and the present?
  throw minillm::practice::NotImplemented("attend_one_query");
}

std::vector<int> greedy_generate(const NextLogits& model, const std::vector<int>& prompt, int max_new_tokens,
                                 int end_of_text) {
  // TODO(greedy_generate): a loop that feeds the model its own output, with the two ways out tasks.hpp
  // gives. Return only the new tokens.
  throw minillm::practice::NotImplemented("greedy_generate");
}

std::vector<float> kv_decode_step(const minillm::Gpt& model, std::vector<LayerCache>& cache, int token, int t) {
  // TODO(kv_decode_step): chapter 05's forward pass for ONE position: its embedding, then in every layer the
  // block's boxes on a single row (the library's layers take N = 1), except that attention reads the keys
  // and values of all positions so far from the cache, after this position's own have been written there.
  // Your attend_one_query does one head. Then ln_f and the tied head. Headers: nn/layernorm.hpp,
  // nn/linear.hpp, nn/gelu.hpp.
  throw minillm::practice::NotImplemented("kv_decode_step");
}

}  // namespace ch07
