#pragma once
// Chapter 04 practice: the two non-linear layers of the block, by hand, forward and backward.
// Matrices are row-major float buffers; shapes are in the comments.

namespace ch04 {

// LayerNorm over each row of inp[N, C] (eps = 1e-5, biased variance):
//   mean[n] = average of the row, rstd[n] = 1 / sqrt(variance + 1e-5)
//   out[n, c] = (inp[n, c] - mean[n]) * rstd[n] * weight[c] + bias[c]
void layernorm_forward(const float* inp, const float* weight, const float* bias, float* out, float* mean,
                       float* rstd, int N, int C);

// Backward of layernorm_forward, given dout[N, C]. ACCUMULATES (+=) into dinp[N, C], dweight[C], dbias[C].
void layernorm_backward(const float* dout, const float* inp, const float* weight, const float* mean,
                        const float* rstd, float* dinp, float* dweight, float* dbias, int N, int C);

// Backward of GELU (tanh approximation) gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))),
// element-wise over n values. ACCUMULATES: dinp[i] += gelu'(inp[i]) * dout[i].
void gelu_backward(const float* inp, const float* dout, float* dinp, int n);

}  // namespace ch04
