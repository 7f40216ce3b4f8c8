#pragma once
// Linear layer (PyTorch's nn.Linear, GPT-2's c_attn / c_proj / c_fc): out = inp · Wᵀ + b.
// N is the number of rows (B*T positions), C the input width, OC the output width.
// The weight is stored [OC, C] like PyTorch, so checkpoints move over without transposes.
namespace minillm {

// The plain form: the sums written out, one output at a time.
// out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias[OC]. bias may be nullptr.
void linear_forward_plain(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC);
// ACCUMULATES (+=) into dinp[N,C], dweight[OC,C] and dbias[OC]. dweight and dbias may be nullptr: a frozen
// weight (LoRA, nn/lora.hpp) gets no gradient, only the input does.
void linear_backward_plain(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                           const float* weight, int N, int C, int OC);

// The fast form (nn/kernels.hpp): the same products as BLAS gemms over all N rows at once.
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC);

// ACCUMULATES (+=) into dinp[N,C], dweight[OC,C] and dbias[OC] (each of dweight, dbias may be nullptr).
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);

}  // namespace minillm
