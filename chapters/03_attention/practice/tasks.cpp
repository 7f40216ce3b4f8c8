// Chapter 03 practice. Replace each TODO with your code, then run `./run practice 03`.
#include "tasks.hpp"

#include <cmath>
#include <limits>

#include "practice/todo.hpp"

namespace ch03 {

void stable_softmax(const float* logits, float* probs, int n) {
  // TODO(stable_softmax): find the largest logit m first. Then probs[i] = exp(logits[i] - m), add them
  // up, and divide each by the sum. Subtracting m changes nothing mathematically (it cancels between the
  // top and the bottom of the fraction) but keeps every exponent <= 0, so exp never overflows.
  throw minillm::practice::NotImplemented("stable_softmax");
}

void causal_mask(float* scores, int T) {
  // TODO(causal_mask): scores is [T, T], row t = query position t, column s = key position s. A query
  // may only look at keys s <= t. Set every scores[t * T + s] with s > t to
  // -std::numeric_limits<float>::infinity(), so that softmax gives it probability exactly 0.
  throw minillm::practice::NotImplemented("causal_mask");
}

void single_head_attention(const float* q, const float* k, const float* v, float* att, float* out, int T,
                           int hs) {
  // TODO(single_head_attention): three steps.
  //   1. att(t, s) = (sum over i of q(t, i) * k(s, i)) / sqrt(hs)     for all t, s   (q·kᵀ, scaled)
  //   2. causal_mask(att, T), then stable_softmax on each row of att (T values per row)
  //   3. out(t, i) = sum over s of att(t, s) * v(s, i)                (att·v)
  // q(t, i) is q[t * hs + i]; att(t, s) is att[t * T + s].
  throw minillm::practice::NotImplemented("single_head_attention");
}

}  // namespace ch03
