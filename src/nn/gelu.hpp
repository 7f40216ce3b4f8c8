#pragma once
// GELU, tanh approximation (GPT-2's "gelu_new", PyTorch's approximate='tanh'):
//   gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
namespace minillm {

void gelu_forward(float* out, const float* inp, int n);                  // out[n], inp[n]
void gelu_backward(float* dinp, const float* inp, const float* dout, int n);  // ACCUMULATES into dinp[n]

}  // namespace minillm
