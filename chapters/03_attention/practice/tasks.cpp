// Chapter 03 practice. Replace each TODO with your code, then run `./run practice 03`.
#include "tasks.hpp"

#include <cmath>
#include <limits>

#include "practice/todo.hpp"

namespace ch03 {

void stable_softmax(float* probs, const float* logits, int n) {
  // TODO(stable_softmax): fill probs[0..n) with the softmax of logits[0..n) (How It Works, step 4, and its
  // worked example). The catch is float32's range: logits of 1000 or -1000 must still give the right
  // probabilities, never inf or NaN. Step 4 says which change to the logits leaves the softmax as it is.
  throw minillm::practice::NotImplemented("stable_softmax");
}

void causal_mask(float* scores, int T) {
  // TODO(causal_mask): scores is [T, T], row t = query position t, column s = key position s (How It Works,
  // step 3). Hide from every query the keys that come after it, with the value whose exponential is exactly
  // 0; leave every other score untouched.
  throw minillm::practice::NotImplemented("causal_mask");
}

void single_head_attention(float* out, float* att, const float* q, const float* k, const float* v, int T, int hs) {
  // TODO(single_head_attention): How It Works, steps 2 to 5, for one head: score every (query, key) pair,
  // hide the future, turn each row into probabilities (kept in att), and give each position the
  // probability-weighted mix of the value rows. Two of the pieces are your earlier tasks.
  throw minillm::practice::NotImplemented("single_head_attention");
}

void sliding_window_mask(float* scores, int T, int window) {
  // TODO(sliding_window_mask): like your causal_mask, but a query also loses the keys that lie `window` or
  // more positions back (tasks.hpp gives the exact range). Draw the [T, T] pattern for T = 5, window = 2
  // first: which band of each row stays visible?
  throw minillm::practice::NotImplemented("sliding_window_mask");
}

void alibi_scores(float* scores, int T, float slope) {
  // TODO(alibi_scores): the causal mask plus a penalty that grows with the distance between the query's
  // position and the key's (tasks.hpp). The diagonal keeps its score; the key one step back loses slope.
  throw minillm::practice::NotImplemented("alibi_scores");
}

void softmax_backward(float* dlogits, const float* probs, const float* dprobs, int n) {
  // TODO(softmax_backward): How It Works, "The backward pass, derived", the softmax bullet: how does
  // probability i move when logit j moves (two cases, i == j and i != j)? Each logit collects that times
  // dprobs[i], summed over i; simplified, it needs one number per row first. ADD to dlogits.
  throw minillm::practice::NotImplemented("softmax_backward");
}

void split_heads(float* q, float* k, float* v, const float* qkv, int T, int C, int NH) {
  // TODO(split_heads): hs = C / NH. Find where head h's query, key and value numbers for position t sit in
  // the row qkv[t] of 3C numbers (tasks.hpp describes the layout) and copy them into q, k and v.
  throw minillm::practice::NotImplemented("split_heads");
}

void merge_heads(float* out, const float* heads, int T, int C, int NH) {
  // TODO(merge_heads): the opposite move of split_heads, for one part only: each head's row t goes back to
  // its own block of hs columns in row t of out[T, C].
  throw minillm::practice::NotImplemented("merge_heads");
}

void single_head_attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* q,
                                    const float* k, const float* v, const float* att, int T, int hs) {
  // TODO(single_head_attention_backward): walk the forward's steps backwards, each one a backward you have
  // met: out = att · v (a matmul: gives datt and dv), the row softmax (gives the gradient of the scaled
  // scores; masked entries have probability 0 and get none), the scores q · kᵀ scaled by 1/sqrt(hs) (a matmul
  // and a constant factor: gives dq and dk). Keep datt and dscores in local buffers; ADD to dq, dk, dv.
  throw minillm::practice::NotImplemented("single_head_attention_backward");
}

void multi_head_attention(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  // TODO(multi_head_attention): for each sequence b, three of your functions in a row: cut its rows of qkv
  // into the heads' queries, keys and values, run one head of attention per head (each on its own [T, hs]
  // slices, writing its own [T, T] blocks of preatt and att), and put the heads' outputs side by side in
  // its rows of out. Use local buffers for the pieces.
  throw minillm::practice::NotImplemented("multi_head_attention");
}

void multi_head_attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                                   const float* att, int B, int T, int C, int NH) {
  // TODO(multi_head_attention_backward): for each sequence, cut qkv into the heads' q, k, v and dout into the
  // heads' output gradients (the same cut the forward's merge undid), run your single-head backward per
  // head into local, zeroed dq, dk, dv, and ADD them back into dqkv where the forward read q, k and v.
  throw minillm::practice::NotImplemented("multi_head_attention_backward");
}

}  // namespace ch03
