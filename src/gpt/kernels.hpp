#pragma once
// The GPT's own copy of the token + position embedding, with exactly the signatures of nn/embedding.hpp.
//
// Why a copy: the GPT was written while the embedding layer was still being written (chapter 02). Once
// src/nn/embedding.cpp implements it, gpt.cpp switches by changing one alias (`namespace k = minillm;`)
// and this file goes away. Checked, with the rest of the GPT, against PyTorch in tests/unit/gpt.
#include <span>

#include "core/token_id.hpp"

namespace minillm::gpt_kernels {

void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V);
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int V);

}  // namespace minillm::gpt_kernels
