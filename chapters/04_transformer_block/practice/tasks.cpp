// Chapter 04 practice. Replace each TODO with your code, then run `./run practice 04`.
#include "tasks.hpp"

#include <cmath>

#include "practice/todo.hpp"

namespace ch04 {

void layernorm_forward(const float* inp, const float* weight, const float* bias, float* out, float* mean,
                       float* rstd, int N, int C) {
  // TODO(layernorm_forward): for each row n (C values starting at inp + n * C):
  //   m = sum / C;   var = sum of (x - m)^2 / C   (divide by C, not C - 1);   s = 1 / sqrt(var + 1e-5f)
  //   out = (x - m) * s * weight[c] + bias[c];   store m in mean[n] and s in rstd[n] for the backward pass.
  // Compute the mean first and then the squared deviations (two passes): E[x^2] - E[x]^2 loses every
  // digit in float32 when the values are large and close together.
  throw minillm::practice::NotImplemented("layernorm_forward");
}

void layernorm_backward(const float* dout, const float* inp, const float* weight, const float* mean,
                        const float* rstd, float* dinp, float* dweight, float* dbias, int N, int C) {
  // TODO(layernorm_backward): per row, with xhat[c] = (x[c] - mean) * rstd and g[c] = dout[c] * weight[c]:
  //   dbias[c]   += dout[c]
  //   dweight[c] += dout[c] * xhat[c]
  //   dinp[c]    += rstd * (g[c] - mean_of(g) - xhat[c] * mean_of(g * xhat))
  // (mean_of averages over the C values of the row.) The two subtracted terms are the gradient that flows
  // through the row's mean and variance, which depend on every x in the row. ADD (+=), never overwrite.
  throw minillm::practice::NotImplemented("layernorm_backward");
}

void gelu_backward(const float* inp, const float* dout, float* dinp, int n) {
  // TODO(gelu_backward): with k = sqrt(2/pi), u = k * (x + 0.044715 x^3), th = tanh(u):
  //   gelu(x)  = 0.5 x (1 + th)
  //   gelu'(x) = 0.5 (1 + th) + 0.5 x (1 - th^2) * k * (1 + 3 * 0.044715 x^2)     (product + chain rule)
  //   dinp[i] += gelu'(inp[i]) * dout[i]
  throw minillm::practice::NotImplemented("gelu_backward");
}

}  // namespace ch04
