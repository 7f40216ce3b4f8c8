#pragma once
// Chapter 03 practice: the pieces of causal self-attention, one head, written by hand.
// All matrices are row-major float buffers; shapes are in the comments.

namespace ch03 {

// probs[n] = exp(logits[n] - max) / sum_j exp(logits[j] - max), for one row of n >= 1 values.
// Must work for logits like 1000 or -1000 (a naive exp overflows to inf or underflows to 0/0).
void stable_softmax(const float* logits, float* probs, int n);

// Applies the causal mask to scores[T, T] in place: every entry above the diagonal (key s > query t)
// becomes -infinity, everything else is left unchanged.
void causal_mask(float* scores, int T);

// One head of causal self-attention:
//   out[T, hs] = softmax(causal_mask(q · kᵀ / sqrt(hs))) · v
// q, k, v are [T, hs]. att[T, T] receives the attention probabilities (0 above the diagonal).
void single_head_attention(const float* q, const float* k, const float* v, float* att, float* out, int T, int hs);

}  // namespace ch03
