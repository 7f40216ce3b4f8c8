#pragma once
// The GPT's own copies of the layer kernels, with exactly the signatures declared in src/nn/*.hpp.
//
// Why a copy: the GPT was written while the nn layers were still being written, and the GPT is checked
// against PyTorch on its own (tests/unit/gpt). Once src/nn/*.cpp are in, gpt.cpp switches to them by
// changing one alias (`namespace k = minillm;`) and this file goes away.
#include <span>

#include "core/token_id.hpp"

namespace minillm::gpt_kernels {

void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V);
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int V);
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C);
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC);
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH);
void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH);
void gelu_forward(float* out, const float* inp, int n);
void gelu_backward(float* dinp, const float* inp, const float* dout, int n);
void residual_forward(float* out, const float* a, const float* b, int n);
void residual_backward(float* da, float* db, const float* dout, int n);

}  // namespace minillm::gpt_kernels
