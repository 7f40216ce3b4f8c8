#pragma once
// Chapter 03 practice: the pieces of causal self-attention, one head, written by hand.
// All matrices are row-major float buffers; shapes are in the comments.

namespace ch03 {

// Task stable_softmax: probs[n] = the softmax of logits[n], one row of n >= 1 values (How It Works, step 4).
// Must give the right probabilities for logits like 1000 or -1000, where exp overflows or underflows float32.
void stable_softmax(float* probs, const float* logits, int n);

// Task causal_mask: applies the causal mask to scores[T, T] in place (How It Works, step 3): every entry
// whose key comes after its query (column s > row t) becomes -infinity, everything else is left unchanged.
void causal_mask(float* scores, int T);

// Task single_head_attention: one head of causal self-attention (How It Works, steps 2 to 5). q, k, v are
// [T, hs] (row t: position t's query, key, value). out[T, hs] receives each position's output, att[T, T]
// the attention probabilities (row t sums to 1; 0 above the diagonal).
void single_head_attention(float* out, float* att, const float* q, const float* k, const float* v, int T, int hs);

// Task sliding_window_mask: a variation of causal_mask (Mistral and Longformer use it): query t may see only
// the `window` most recent keys, itself included, s in [t - window + 1, t]. Every other entry of scores[T, T]
// becomes -infinity; the visible ones are left unchanged. window >= 1; window >= T is the causal mask.
void sliding_window_mask(float* scores, int T, int window);

// Task alibi_scores: ALiBi (BLOOM's and MPT's way to tell attention about distance, instead of position
// embeddings), another variation of the causal mask. For a visible key (s <= t) the score is lowered in
// proportion to how far back the key is, by `slope` per position of distance; a key at the query's own
// position keeps its score. Future keys become -infinity. Works in place on scores[T, T]; slope >= 0.
void alibi_scores(float* scores, int T, float slope);

// Task softmax_backward: the backward of stable_softmax for one row of n values. probs is the row's output,
// dprobs = dLoss/dprobs. ACCUMULATES dLoss/dlogits into dlogits (+=). Every probability depends on every
// logit of the row (they share the sum below the fraction).
void softmax_backward(float* dlogits, const float* probs, const float* dprobs, int n);

// Task split_heads: GPT-2's c_attn gives one row qkv[t] of 3C numbers per position: the query (first C),
// the key (next C) and the value (last C), each the NH heads of hs = C / NH numbers side by side.
// Write head h's queries, keys and values as q[NH, T, hs], k[NH, T, hs], v[NH, T, hs]:
// q[h, t, :] is the h-th block of hs numbers in the query part of qkv[t].
void split_heads(float* q, float* k, float* v, const float* qkv, int T, int C, int NH);

// Task merge_heads: the heads' outputs heads[NH, T, hs] side by side again: out[T, C] where row t is head
// 0's row t, then head 1's row t, ... (the layout attn.c_proj reads).
void merge_heads(float* out, const float* heads, int T, int C, int NH);

// Task single_head_attention_backward: the backward of single_head_attention. Given q, k, v [T, hs], the
// probabilities att [T, T] it computed and dout [T, hs] = dLoss/dout, ACCUMULATE dLoss/dq, dLoss/dk and
// dLoss/dv into dq, dk, dv [T, hs].
void single_head_attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* q,
                                    const float* k, const float* v, const float* att, int T, int hs);

// Task multi_head_attention: causal multi-head self-attention for a batch of B sequences, with exactly the
// library's signature (nn/attention.hpp attention_forward), so `./run practice --plug` can run yours inside
// the real model. qkv[B, T, 3C] is c_attn's output (each row laid out as in split_heads); out[B, T, C] gets
// each position's heads side by side (as merge_heads writes them). Every head attends on its own, with its
// own queries, keys and values of size hs = C / NH. For each (b, h), preatt[b, h] [T, T] receives the
// scaled scores (How It Works, step 2; -infinity above the diagonal, as causal_mask leaves them) and
// att[b, h] [T, T] the probabilities (0 above the diagonal). Sequences never see each other.
void multi_head_attention(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH);

// Task multi_head_attention_backward: the backward of multi_head_attention, with exactly the library's
// signature (nn/attention.hpp attention_backward), so `./run practice --plug` can run it in the model.
// Given qkv[B, T, 3C], the probabilities att[B, NH, T, T] the forward wrote and dout[B, T, C] = dLoss/dout,
// ACCUMULATES (+=) dLoss/dqkv into dqkv[B, T, 3C], laid out as qkv. dpreatt and datt [B, NH, T, T] are
// scratch space you may use (or not) and overwrite. What is the backward of cutting a buffer into heads?
void multi_head_attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                                   const float* att, int B, int T, int C, int NH);

}  // namespace ch03
