#pragma once
// Causal multi-head self-attention, GPT-2 style, after the fused QKV projection (c_attn):
//   qkv[B,T,3C] holds, for each position, the query (first C), key (next C) and value (last C) vectors,
//   each split into NH heads of size hs = C / NH.
//   For each batch b and head h:  att = softmax(mask(Q·Kᵀ / sqrt(hs)))   [T,T]
//                                 out = att · V                          [T,hs]
//   The heads are written side by side into out[B,T,C] (the input of c_proj).
// Position t attends to positions 0..t only (the causal mask), so the model cannot peek at the future.
// All products are per-head BLAS gemms over [T,hs] blocks (leading dimension 3C), no per-token loops;
// heads run in parallel, and causal row blocks skip most of the masked upper triangle.
namespace minillm {

// out[B,T,C]; preatt[B,NH,T,T] (scaled scores before softmax) and att[B,NH,T,T] (probabilities; the
// masked upper triangle is 0) are saved for the backward pass.
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH);

// ACCUMULATES into dqkv[B,T,3C]. dpreatt and datt [B,NH,T,T] are scratch (overwritten).
void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH);

}  // namespace minillm
