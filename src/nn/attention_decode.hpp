#pragma once
// Attention for ONE new position over a KV cache (incremental decoding).
//
// In the full forward pass every position computes its query, key and value, and position t attends to
// keys 0..t. When we generate, positions 0..t-1 are already done, and their keys and values do not change
// (the causal mask means a position never sees what came after it). So we keep them, per layer, in a cache:
//   k_cache[maxT, C], v_cache[maxT, C]   rows 0..T-1 filled (heads side by side, like qkv's K and V parts)
// and the new position only needs its own query q[C]. For each head h (hs = C / NH channels):
//   att[s] = softmax_s( q_h · k_h[s] / sqrt(hs) )   over s = 0..T-1 (no mask needed: all are in the past)
//   out_h  = sum_s att[s] · v_h[s]
// The result is exactly row T-1 of the full causal attention over the same T positions.
namespace minillm {

// out[C] from q[C] and the first T rows of k_cache/v_cache (row stride C). scores[NH * T] is scratch.
void attention_decode_forward(float* out, float* scores, const float* q, const float* k_cache,
                              const float* v_cache, int T, int C, int NH);

}  // namespace minillm
