#pragma once
// Chapter 05 practice: the arithmetic of a GPT.
#include <cstdint>
#include <vector>

namespace ch05 {

// Parameters of a GPT-2 with vocabulary V, context maxT, L blocks, width C, tied output head:
// wte [V,C], wpe [maxT,C], per block 12C^2 + 13C, final LayerNorm 2C.
int64_t parameter_count(int64_t V, int64_t maxT, int64_t L, int64_t C);

// Training FLOPs per token: 6N + 12*L*C*T (N = parameter_count(...)).
double training_flops_per_token(int64_t V, int64_t maxT, int64_t L, int64_t C, int64_t T);

// The tied output head: logits[N,V] = x[N,C] · wte[V,C]ᵀ (row-major flat arrays).
std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V);

}  // namespace ch05
