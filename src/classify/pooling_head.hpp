#pragma once
// A classifier on top of a GPT (chapter 09): one vector per text from the final hidden states (ln_f's rows),
// then a linear head from that vector to one logit per class. Plain llm.c-style pairs over flat buffers,
// outputs first; every backward ACCUMULATES (+=), so its gradient buffers start at zero.
//
// The rows of a batch are padded on the right to its longest text: row b's real tokens are positions
// 0 .. lengths[b]-1, the rest is padding. Attention is causal, so a real token never looks at a later
// position and the padding changes nothing a real token computes; the pooling below reads real tokens only,
// so the padding never reaches the head either (tests/unit/classify checks both).

namespace minillm {

// Last-token pooling: out[b] = hidden[b, lengths[b]-1]. Under causal attention the last real token is the
// only one that has seen the whole text, so its final state is the text's summary.
//   out[B,C], hidden[B,T,C], lengths[B] in 1..T
void last_token_pool_forward(float* out, const float* hidden, const int* lengths, int B, int T, int C);
// dhidden[B,T,C] += dout[B,C] at each row's last real token (nothing anywhere else).
void last_token_pool_backward(float* dhidden, const float* dout, const int* lengths, int B, int T, int C);

// Masked mean pooling: out[b] = the mean of hidden[b, t] over the real tokens t < lengths[b].
void mean_pool_forward(float* out, const float* hidden, const int* lengths, int B, int T, int C);
// dhidden[b, t] += dout[b] / lengths[b] for each real token t (padding gets nothing).
void mean_pool_backward(float* dhidden, const float* dout, const int* lengths, int B, int T, int C);

// The head, a linear layer: logits[b, k] = bias[k] + sum_c pooled[b, c] * weight[k, c].
//   logits[B,K], pooled[B,C], weight[K,C] (torch.nn.Linear's [out, in]), bias[K]
void classifier_head_forward(float* logits, const float* pooled, const float* weight, const float* bias, int B,
                             int C, int K);
// dpooled[B,C] += dlogits · weight;  dweight[K,C] += dlogitsᵀ · pooled;  dbias[K] += sum over b of dlogits.
// dpooled may be null (a head trained alone needs no gradient below it).
void classifier_head_backward(float* dpooled, float* dweight, float* dbias, const float* dlogits, const float* pooled,
                              const float* weight, int B, int C, int K);

}  // namespace minillm
