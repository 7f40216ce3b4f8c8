// Chapter 04 practice. Replace each TODO with your code, then run `./run practice 04`.
#include "tasks.hpp"

#include <cmath>

#include "practice/todo.hpp"

namespace ch04 {

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  // TODO(layernorm_forward): per row, the statistics first (mean, then the spread around it: see How It
  // Works step 1 on why in that order), then every value of the row normalised, scaled and shifted. Keep
  // each row's mean and rstd: the backward pass reads them.
  throw minillm::practice::NotImplemented("layernorm_forward");
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  // TODO(layernorm_backward): per row, the bias and the weight are easy: each was used once per row, like a
  // linear layer's. The input is harder: x[c] reaches out[c] directly, AND through the row's mean and
  // variance, which every x of the row changes. Follow the lesson's derivation (write the normalised value
  // xhat as a function of x, then apply the chain rule through mean and rstd). ADD (+=), never overwrite.
  throw minillm::practice::NotImplemented("layernorm_backward");
}

void gelu_forward(float* out, const float* inp, int n) {
  // TODO(gelu_forward): the lesson's formula, one value at a time (std::tanh and std::sqrt are in <cmath>).
  throw minillm::practice::NotImplemented("gelu_forward");
}

void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
  // TODO(gelu_backward): differentiate gelu(x) yourself (a product of two factors that both depend on x),
  // then pass the gradient on element by element, adding to dinp, never overwriting.
  throw minillm::practice::NotImplemented("gelu_backward");
}

void rmsnorm_forward(float* out, float* rrms, const float* inp, const float* weight, int N, int C) {
  // TODO(rmsnorm_forward): per row, one statistic (how large the values are on average, not where they are
  // centred), then every value of the row divided by it and scaled. Keep each row's rrms.
  throw minillm::practice::NotImplemented("rmsnorm_forward");
}

void rmsnorm_backward(float* dinp, float* dweight, const float* dout, const float* inp, const float* weight,
                      const float* rrms, int N, int C) {
  // TODO(rmsnorm_backward): the weight is the easy part. Each input reaches its own output directly and,
  // through the row's one statistic, every output of its row: how many correction terms does that give,
  // compared with LayerNorm's two? ADD, never overwrite.
  throw minillm::practice::NotImplemented("rmsnorm_backward");
}

void mlp_forward(float* out, float* hidden, const float* inp, const float* fc_weight, const float* fc_bias,
                 const float* proj_weight, const float* proj_bias, int N, int C) {
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

void block_backward(float* dinp, const minillm::BlockParams& grads, const minillm::BlockActs& dacts,
                    const float* dout, const float* inp, const minillm::BlockParams& params,
                    const minillm::BlockActs& acts, const minillm::BlockShape& s) {
  // TODO(block_backward): the forward pass read from the bottom up, one library *_backward per box (each is
  // declared next to its forward in nn/*.hpp, outputs first). Every activation gradient of dacts collects
  // the sum of what flows into it, so it must start from zero; dinp and grads belong to the caller and are
  // only added to. The residual stream's gradient splits at each (+) and meets again at each branch's start.
  throw minillm::practice::NotImplemented("block_backward");
}

}  // namespace ch04
