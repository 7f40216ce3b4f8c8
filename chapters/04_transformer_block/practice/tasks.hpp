#pragma once
// Chapter 04 practice: the two non-linear layers of the block, by hand, forward and backward; then the MLP
// and the whole block assembled from layers. Matrices are row-major float buffers; shapes are in the comments.
#include "nn/block.hpp"

namespace ch04 {

// LayerNorm over each row of inp[N, C] (eps = 1e-5, biased variance):
//   mean[n] = average of the row, rstd[n] = 1 / sqrt(variance + 1e-5)
//   out[n, c] = (inp[n, c] - mean[n]) * rstd[n] * weight[c] + bias[c]
void layernorm_forward(const float* inp, const float* weight, const float* bias, float* out, float* mean,
                       float* rstd, int N, int C);

// Backward of layernorm_forward, given dout[N, C] = dLoss/dout and what the forward saved (mean, rstd).
// ACCUMULATES (+=) dLoss/dinp into dinp[N, C], dLoss/dweight into dweight[C], dLoss/dbias into dbias[C].
void layernorm_backward(const float* dout, const float* inp, const float* weight, const float* mean,
                        const float* rstd, float* dinp, float* dweight, float* dbias, int N, int C);

// GELU (tanh approximation, GPT-2's): gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))),
// element-wise over n values: out[i] = gelu(inp[i]).
void gelu_forward(const float* inp, float* out, int n);

// Backward of gelu_forward, element-wise over n values. ACCUMULATES dLoss/dinp[i] into dinp[i], given
// dout[i] = dLoss/dout[i].
void gelu_backward(const float* inp, const float* dout, float* dinp, int n);

// Task mlp_forward: the block's MLP for inp[N, C]: the linear layer c_fc to hidden width 4C
// (fc_weight [4C, C], fc_bias [4C]), GELU, then the linear layer c_proj back to C (proj_weight [C, 4C],
// proj_bias [C]). hidden[N, 4C] receives the values after GELU; out[N, C] the result.
void mlp_forward(const float* inp, const float* fc_weight, const float* fc_bias, const float* proj_weight,
                 const float* proj_bias, float* hidden, float* out, int N, int C);

// Task block_forward: one GPT-2 transformer block, assembled from the library's layers (nn/*.hpp) or yours:
// the attention sub-block and the MLP sub-block, pre-LayerNorm, each added onto the residual stream
// (nn/block.hpp draws it). inp is [N, C] with N = s.B * s.T. Fill EVERY activation in acts (acts.out is the
// block's output): the backward pass reads them.
void block_forward(const minillm::BlockActs& acts, const float* inp, const minillm::BlockParams& params,
                   const minillm::BlockShape& s);

}  // namespace ch04
