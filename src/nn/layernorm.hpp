#pragma once
// LayerNorm over the last axis (eps = 1e-5, as GPT-2): out = (x - mean) / sqrt(var + eps) * weight + bias,
// with the biased variance. mean and rstd (1/std) are saved for the backward pass.
namespace minillm {

inline constexpr float kLayerNormEps = 1e-5f;

// out[N,C], mean[N], rstd[N] from inp[N,C], weight[C], bias[C]. Plain loops (rows in parallel): the one form.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);

// ACCUMULATES (+=) into dinp[N,C], dweight[C], dbias[C]. The plain form: row after row, one loop each.
// dweight and dbias nullptr (both): a frozen LayerNorm, whose parameters get no gradient (LoRA).
void layernorm_backward_plain(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                              const float* weight, const float* mean, const float* rstd, int N, int C);
// The fast form (nn/kernels.hpp): rows in parallel for dinp, and dweight, dbias summed by blocks of columns
// so every thread owns its entries.
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C);

}  // namespace minillm
