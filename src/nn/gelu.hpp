#pragma once
// GELU, tanh approximation (GPT-2's "gelu_new", PyTorch's approximate='tanh'):
//   gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
namespace minillm {

// The plain form: the formula above, one value at a time, with std::tanh.
void gelu_forward_plain(float* out, const float* inp, int n);                  // out[n], inp[n]
void gelu_backward_plain(float* dinp, const float* inp, const float* dout, int n);  // ACCUMULATES into dinp[n]

// The fast form (what the model runs, nn/kernels.hpp): the same function through one exp, vectorised and
// threaded; equal to the plain form within a few float32 roundings (tests/unit/nn/test_kernels.cpp).
void gelu_forward(float* out, const float* inp, int n);
void gelu_backward(float* dinp, const float* inp, const float* dout, int n);

}  // namespace minillm
