#pragma once
// Chapter 04 practice: the block's non-linear layers by hand, forward and backward (and RMSNorm, a variation
// of LayerNorm); then the MLP, the whole block's forward, and the whole block's backward. Matrices are row-major float buffers; shapes are in the comments.
#include "nn/block.hpp"

namespace ch04 {

// Task layernorm_forward: LayerNorm over each row of inp[N, C], with a per-channel weight[C] and bias[C]
// (the lesson's Concept Definition and How It Works step 1; eps = 1e-5, the biased variance as PyTorch).
// Writes out[N, C], and per row the mean[N] and rstd[N] (1 / standard deviation) the backward pass reads.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);

// Task layernorm_backward: the backward of layernorm_forward, given dout[N, C] = dLoss/dout and what the forward saved (mean, rstd).
// ACCUMULATES (+=) dLoss/dinp into dinp[N, C], dLoss/dweight into dweight[C], dLoss/dbias into dbias[C].
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C);

// Task gelu_forward: GPT-2's GELU (the tanh approximation the lesson's Concept Definition gives), element-wise
// over n values: out[i] = gelu(inp[i]).
void gelu_forward(float* out, const float* inp, int n);

// Task gelu_backward: the backward of gelu_forward, element-wise over n values. ACCUMULATES dLoss/dinp[i] into dinp[i], given
// dout[i] = dLoss/dout[i].
void gelu_backward(float* dinp, const float* inp, const float* dout, int n);

// Task rmsnorm_forward: RMSNorm, LayerNorm's variation without the mean (the lesson's "A variation:
// RMSNorm"; eps = 1e-5). Each row of inp[N, C] is divided by its root mean square and scaled by weight[C];
// there is no bias. Writes out[N, C] and rrms[N] = 1 / (the row's root mean square with eps).
void rmsnorm_forward(float* out, float* rrms, const float* inp, const float* weight, int N, int C);

// Task rmsnorm_backward: the backward of rmsnorm_forward, given dout[N, C] = dLoss/dout and the rrms[N] the
// forward saved. ACCUMULATES (+=) dLoss/dinp into dinp[N, C] and dLoss/dweight into dweight[C]. Derive it
// the way the lesson derives LayerNorm's backward ("LayerNorm's backward, derived").
void rmsnorm_backward(float* dinp, float* dweight, const float* dout, const float* inp, const float* weight,
                      const float* rrms, int N, int C);

// Task mlp_forward: the block's MLP for inp[N, C]: the linear layer c_fc to hidden width 4C
// (fc_weight [4C, C], fc_bias [4C]), GELU, then the linear layer c_proj back to C (proj_weight [C, 4C],
// proj_bias [C]). hidden[N, 4C] receives the values after GELU; out[N, C] the result.
void mlp_forward(float* out, float* hidden, const float* inp, const float* fc_weight, const float* fc_bias,
                 const float* proj_weight, const float* proj_bias, int N, int C);

// Task block_forward: one GPT-2 transformer block, assembled from the library's layers (nn/*.hpp) or yours:
// the attention sub-block and the MLP sub-block, pre-LayerNorm, each added onto the residual stream
// (nn/block.hpp draws it). inp is [N, C] with N = s.B * s.T. Fill EVERY activation in acts (acts.out is the
// block's output): the backward pass reads them.
void block_forward(const minillm::BlockActs& acts, const float* inp, const minillm::BlockParams& params,
                   const minillm::BlockShape& s);

// Task block_backward: the backward of block_forward, with the library's signature (nn/block.hpp). Given
// dout[N, C] = dLoss/d(acts.out), the block's input inp and every activation acts of its forward pass:
// ACCUMULATES dLoss/dinp into dinp[N, C] and each parameter's gradient into the same-named field of grads.
// dacts has the shapes of acts and is scratch: its contents on entry are garbage, and every *_backward adds
// into what it is given (the lesson's How It Works, "Backward", lists each box's backward).
void block_backward(float* dinp, const minillm::BlockParams& grads, const minillm::BlockActs& dacts,
                    const float* dout, const float* inp, const minillm::BlockParams& params,
                    const minillm::BlockActs& acts, const minillm::BlockShape& s);

}  // namespace ch04
