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
  // TODO(layernorm_backward): per row, the bias and the weight are easy: each was used once per row, like a
  // linear layer's. The input is harder: x[c] reaches out[c] directly, AND through the row's mean and
  // variance, which every x of the row changes. Follow the lesson's derivation (write the normalised value
  // xhat as a function of x, then apply the chain rule through mean and rstd). ADD (+=), never overwrite.
  throw minillm::practice::NotImplemented("layernorm_backward");
}

void gelu_forward(const float* inp, float* out, int n) {
  // TODO(gelu_forward): apply the formula in tasks.hpp to each of the n values (std::tanh, std::sqrt and
  // M_PI or std::acos(-1.0f) are all you need).
  throw minillm::practice::NotImplemented("gelu_forward");
}

void gelu_backward(const float* inp, const float* dout, float* dinp, int n) {
  // TODO(gelu_backward): differentiate gelu(x) yourself: it is a product (0.5 x times 1 + tanh(...)), and
  // the tanh is of a polynomial in x (chain rule). Then dinp[i] += gelu'(inp[i]) * dout[i].
  throw minillm::practice::NotImplemented("gelu_backward");
}

void mlp_forward(const float* inp, const float* fc_weight, const float* fc_bias, const float* proj_weight,
                 const float* proj_bias, float* hidden, float* out, int N, int C) {
  // TODO(mlp_forward): three layers in a row: widen each row to 4C numbers with the first linear layer, put
  // them through GELU (keep that result in hidden), and bring them back to C with the second linear layer.
  // The library has minillm::linear_forward (nn/linear.hpp) and you wrote gelu_forward above.
  throw minillm::practice::NotImplemented("mlp_forward");
}

void block_forward(const minillm::BlockActs& acts, const float* inp, const minillm::BlockParams& params,
                   const minillm::BlockShape& s) {
  // TODO(block_forward): write the block as the lesson draws it, one library call per box, each writing
  // the activation of acts that has its name (acts.ln_1, acts.qkv, acts.atty, ...). Two sub-blocks: the
  // attention one reads inp and ends in acts.residual2; the MLP one reads acts.residual2 and ends in
  // acts.out. Each ends by adding its branch onto the residual stream. Headers: nn/layernorm.hpp,
  // nn/linear.hpp, nn/attention.hpp, nn/gelu.hpp, nn/residual.hpp.
  throw minillm::practice::NotImplemented("block_forward");
}

}  // namespace ch04
