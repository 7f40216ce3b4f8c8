#pragma once
// Causal multi-head self-attention, the plain form: the definition written as loops, every head of every
// sequence, straight from the fused qkv buffer (llm.c's attention_forward). nn/attention.hpp is the fast
// form of the same two functions (per-head gemms over causal blocks); nn/kernels.hpp chooses between them.
//
// For batch b, head h (hs = C / NH channels, scale = 1/sqrt(hs)) and query position t:
//   preatt[t][s] = scale · q_t · k_s        for s <= t, -inf for s > t   (the causal mask)
//   att[t][:]    = softmax(preatt[t][:])    (0 for s > t)
//   out_t        = Σ_s att[t][s] · v_s
// where q_t, k_s, v_s are the head's hs channels of the query, key and value thirds of qkv's rows.
namespace minillm {

// out[B,T,C]; preatt[B,NH,T,T] and att[B,NH,T,T] are saved for the backward pass. qkv[B,T,3C].
void attention_forward_plain(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH);

// ACCUMULATES into dqkv[B,T,3C]. dpreatt and datt [B,NH,T,T] are scratch (overwritten). dout[B,T,C];
// qkv and att as the forward pass left them.
void attention_backward_plain(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                              const float* att, int B, int T, int C, int NH);

}  // namespace minillm
