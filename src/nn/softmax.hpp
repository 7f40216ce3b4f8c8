#pragma once
// Numerically stable softmax over the last axis: subtract the row maximum before exp, so large logits
// never overflow (softmax is unchanged by adding a constant to a row).
namespace minillm {

// probs[N,V] = softmax(logits[N,V]) row by row. Only the first `valid` columns of each row take part when
// valid < V (the rest get probability 0); pass valid = V for a plain softmax.
void softmax_forward(float* probs, const float* logits, int N, int V, int valid);

// ACCUMULATES into dlogits[N,V]: dlogits += probs * (dprobs - sum(dprobs * probs)) per row.
void softmax_backward(float* dlogits, const float* probs, const float* dprobs, int N, int V);

}  // namespace minillm
