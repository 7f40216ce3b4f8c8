// Chapter 07 practice. Replace each TODO with your code, then run `./run practice 07`.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "practice/todo.hpp"

namespace ch07 {

std::vector<float> temperature_softmax(const std::vector<float>& logits, float temperature) {
  // TODO(temperature_softmax): divide every logit by temperature, then take a stable softmax: subtract the
  // largest scaled logit m, exponentiate, and divide each term by their sum. A temperature below 1 makes
  // the big logits bigger (sharper), above 1 flattens the distribution towards uniform.
  throw minillm::practice::NotImplemented("temperature_softmax");
}

std::vector<float> top_k_filter(const std::vector<float>& logits, int k) {
  // TODO(top_k_filter): find the k-th largest logit (sort a copy from largest to smallest, or use
  // std::nth_element), then set every logit strictly smaller than it to
  // -std::numeric_limits<float>::infinity(). Return the filtered copy; the input is unchanged.
  throw minillm::practice::NotImplemented("top_k_filter");
}

std::vector<float> top_p_filter(const std::vector<float>& probs, float p) {
  // TODO(top_p_filter): visit the ids from most to least likely, adding up their probabilities; stop after
  // the id that brings the sum to p or more. Those ids keep their probability divided by the sum; all
  // others get 0.
  throw minillm::practice::NotImplemented("top_p_filter");
}

std::vector<float> attend_one_query(const std::vector<float>& q, const std::vector<float>& k_cache,
                                    const std::vector<float>& v_cache, int T, int hs) {
  // TODO(attend_one_query): score every cached position s: dot(q, row s of k_cache) / sqrt(hs). Softmax the
  // T scores (no mask: the cache holds only the past). Then out[i] = sum over s of att[s] * v_cache[s*hs+i].
  throw minillm::practice::NotImplemented("attend_one_query");
}

std::vector<int> greedy_generate(const NextLogits& model, const std::vector<int>& prompt, int max_new_tokens,
                                 int end_of_text) {
  // TODO(greedy_generate): keep a copy of the tokens (prompt first). Up to max_new_tokens times: ask the
  // model for the logits, take the id of the largest (the first one on a tie), stop if it is end_of_text,
  // otherwise append it to the tokens and to the result.
  throw minillm::practice::NotImplemented("greedy_generate");
}

}  // namespace ch07
