#pragma once
// LoRA (Hu et al., 2021): a frozen linear layer W[OC,C] learns through a low-rank update instead,
//   out = inp · (W + (alpha/R) · B · A)ᵀ + bias = inp · Wᵀ + bias + scale · (inp · Aᵀ) · Bᵀ
// with A[R,C] and B[OC,R], R much smaller than C and OC: R·(C + OC) trained numbers instead of OC·C. B starts
// at zero, so the adapted layer first computes exactly what the base layer did. These functions add the
// adapter's part onto the base layer's output (the kernel table's linear_forward computes that), and its
// backward gives the gradients of A, B and the input; W gets none (gpt/lora.hpp wires it into the block).
namespace minillm {

// The plain forms, llm.c style. scale = alpha / R.
// out[N,OC] += scale · h[N,R] · B[OC,R]ᵀ, where h[N,R] = inp[N,C] · A[R,C]ᵀ is written (backward needs it).
void lora_forward_plain(float* out, float* h, const float* inp, const float* A, const float* B, float scale, int N,
                        int C, int OC, int R);
// ACCUMULATES (+=) into dinp[N,C], dA[R,C] and dB[OC,R]; dh[N,R] is scratch (overwritten). h is the forward's.
void lora_backward_plain(float* dinp, float* dA, float* dB, float* dh, const float* dout, const float* inp,
                         const float* h, const float* A, const float* B, float scale, int N, int C, int OC, int R);

// The fast forms (nn/kernels.hpp): the same products as four BLAS gemms.
void lora_forward(float* out, float* h, const float* inp, const float* A, const float* B, float scale, int N, int C,
                  int OC, int R);
void lora_backward(float* dinp, float* dA, float* dB, float* dh, const float* dout, const float* inp, const float* h,
                   const float* A, const float* B, float scale, int N, int C, int OC, int R);

// Folds an adapter into its weight for inference: weight[OC,C] += scale · B[OC,R] · A[R,C]. The merged layer
// then computes in one product what lora_forward adds on top of the base layer (up to float rounding).
void lora_merge(float* weight, const float* A, const float* B, float scale, int C, int OC, int R);

}  // namespace minillm
