#pragma once
// One causal attention head written as plain loops over positions: the definition of attention, the one
// chapter 03 teaches. nn/attention.hpp computes the same thing for all heads at once with blocked gemms
// (the fast path the model uses); tests/unit/nn/test_attention_naive.cpp checks the two agree.
//
// A head sees T positions; q, k, v hold one vector of size hs per position, row after row:
//   preatt[t][s] = q_t · k_s / sqrt(hs)                 for s <= t   (how much t wants to look at s)
//   att[t][:]    = softmax(preatt[t][0..t]), 0 beyond t               (the causal mask)
//   out_t        = Σ_s att[t][s] v_s                                  (a weighted average of values)
namespace minillm {

// out[T,hs]; preatt[T,T] (scaled scores, -inf above the diagonal) and att[T,T] (probabilities, 0 above
// the diagonal) are saved for the backward pass. q, k, v: [T,hs].
void attention_head_naive_forward(float* out, float* preatt, float* att, const float* q, const float* k,
                                  const float* v, int T, int hs);

// ACCUMULATES into dq, dk, dv [T,hs]. datt and dpreatt [T,T] are scratch (overwritten).
void attention_head_naive_backward(float* dq, float* dk, float* dv, float* datt, float* dpreatt,
                                   const float* dout, const float* q, const float* k, const float* v,
                                   const float* att, int T, int hs);

}  // namespace minillm
