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

void softmax_backward(const float* probs, const float* dprobs, float* dlogits, int n) {
  // TODO(softmax_backward): work out on paper how probs[i] changes when logits[j] changes (two cases: i == j
  // and i != j), then let each logit collect dprobs[i] times that, summed over i. Written out, the sum
  // simplifies so that one pass computes a single number per row and a second pass uses it. ADD to dlogits.
  throw minillm::practice::NotImplemented("softmax_backward");
}

void split_heads(const float* qkv, float* q, float* k, float* v, int T, int C, int NH) {
  // TODO(split_heads): hs = C / NH. For every head h, position t and i < hs, find where the query, key and
  // value numbers of head h sit in the row qkv[t] (3C numbers) and copy them to q, k and v [NH, T, hs].
  throw minillm::practice::NotImplemented("split_heads");
}

void merge_heads(const float* heads, float* out, int T, int C, int NH) {
  // TODO(merge_heads): the opposite move: for every head h, position t and i < hs, copy heads[h, t, i] to
  // its place in row t of out[T, C], where head h owns the h-th block of hs columns.
  throw minillm::practice::NotImplemented("merge_heads");
}

void single_head_attention_backward(const float* q, const float* k, const float* v, const float* att,
                                    const float* dout, float* dq, float* dk, float* dv, int T, int hs) {
  // TODO(single_head_attention_backward): walk the forward's steps backwards, each one a backward you have
  // met: out = att · v (a matmul: gives datt and dv), the row softmax (gives the gradient of the scaled
  // scores; masked entries have probability 0 and get none), the scores q · kᵀ scaled by 1/sqrt(hs) (a matmul
  // and a constant factor: gives dq and dk). Keep datt and dscores in local buffers; ADD to dq, dk, dv.
  throw minillm::practice::NotImplemented("single_head_attention_backward");
}

void multi_head_attention(const float* qkv, float* att, float* out, int T, int C, int NH) {
  // TODO(multi_head_attention): three of your functions in a row: cut qkv into the heads' queries, keys
  // and values, run one head of attention per head (each on its own [T, hs] slices, writing its own
  // [T, T] block of att), and put the heads' outputs side by side. Use local buffers for the pieces.
  throw minillm::practice::NotImplemented("multi_head_attention");
}

}  // namespace ch03
