#include "nn/block.hpp"

#include <algorithm>
#include <cstddef>

#include "core/error.hpp"
#include "nn/attention.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/residual.hpp"

namespace minillm {

namespace {

void check_shape(const BlockShape& s) {
  require(s.B >= 1 && s.T >= 1 && s.C >= 1 && s.NH >= 1, "block: B={}, T={}, C={}, NH={} must all be >= 1", s.B,
          s.T, s.C, s.NH);
  require(s.C % s.NH == 0, "block: C = {} is not divisible by the number of heads NH = {}", s.C, s.NH);
}

void zero(float* p, size_t n) { std::fill(p, p + n, 0.0f); }

}  // namespace

std::vector<TensorSpec> block_parameter_table(int C_in) {
  const int64_t C = C_in;
#define MINILLM_ROW(member, name, shape, hf_transposed) TensorSpec{name, shape, hf_transposed},
  return {MINILLM_BLOCK_PARAMETERS(MINILLM_ROW)};
#undef MINILLM_ROW
}

std::vector<TensorSpec> block_activation_table(const BlockShape& s) {
  check_shape(s);
  const int64_t B = s.B, T = s.T, N = s.rows(), C = s.C, NH = s.NH;
#define MINILLM_ROW(member, shape) TensorSpec{#member, shape},
  return {MINILLM_BLOCK_ACTIVATIONS(MINILLM_ROW)};
#undef MINILLM_ROW
}

void add_block_params(TensorArena& arena, const std::string& prefix, int C) {
  add_tensors(arena, block_parameter_table(C), prefix);
}

BlockParams block_params(TensorArena& arena, const std::string& prefix) {
#define MINILLM_LOOKUP(member, name, ...) .member = arena[prefix + name].data,
  return {MINILLM_BLOCK_PARAMETERS(MINILLM_LOOKUP)};
#undef MINILLM_LOOKUP
}

void add_block_acts(TensorArena& arena, const std::string& prefix, const BlockShape& s) {
  add_tensors(arena, block_activation_table(s), prefix);
}

BlockActs block_acts(TensorArena& arena, const std::string& prefix) {
#define MINILLM_LOOKUP(member, ...) .member = arena[prefix + #member].data,
  return {MINILLM_BLOCK_ACTIVATIONS(MINILLM_LOOKUP)};
#undef MINILLM_LOOKUP
}

// lesson: block_forward
void block_forward(const BlockActs& a, const float* inp, const BlockParams& p, const BlockShape& s,
                   const BlockRoutes& routes) {
  check_shape(s);
  const int N = s.rows(), C = s.C;
  const Kernels& k = kernels();
  auto linear = [&](BlockLinear which, float* out, const float* x, const float* w, const float* b, int in, int outs) {
    if (routes.linear) routes.linear(which, out, x, w, b, N, in, outs);
    else k.linear_forward(out, x, w, b, N, in, outs);
  };
  // Attention sub-block: normalise, mix information across positions, add back onto the residual stream.
  k.layernorm_forward(a.ln_1, a.ln_1_mean, a.ln_1_rstd, inp, p.ln_1_weight, p.ln_1_bias, N, C);
  linear(BlockLinear::attn_c_attn, a.qkv, a.ln_1, p.attn_c_attn_weight, p.attn_c_attn_bias, C, 3 * C);
  if (routes.attention) routes.attention(a, s);
  else k.attention_forward(a.atty, a.preatt, a.att, a.qkv, s.B, s.T, C, s.NH);
  linear(BlockLinear::attn_c_proj, a.attproj, a.atty, p.attn_c_proj_weight, p.attn_c_proj_bias, C, C);
  residual_forward(a.residual2, inp, a.attproj, N * C);
  // MLP sub-block: normalise, think about each position on its own (4x wider), add back.
  k.layernorm_forward(a.ln_2, a.ln_2_mean, a.ln_2_rstd, a.residual2, p.ln_2_weight, p.ln_2_bias, N, C);
  linear(BlockLinear::mlp_c_fc, a.fch, a.ln_2, p.mlp_c_fc_weight, p.mlp_c_fc_bias, C, 4 * C);
  k.gelu_forward(a.fch_gelu, a.fch, N * 4 * C);
  linear(BlockLinear::mlp_c_proj, a.fcproj, a.fch_gelu, p.mlp_c_proj_weight, p.mlp_c_proj_bias, 4 * C, C);
  residual_forward(a.out, a.residual2, a.fcproj, N * C);
}
// end lesson: block_forward

// lesson: block_backward
// The forward pass in reverse. Every *_backward accumulates, so each activation gradient is zeroed first;
// the residual stream's gradient (dresidual2, then dinp) collects one contribution per branch.
void block_backward(float* dinp, const BlockParams& g, const BlockActs& d, const float* dout, const float* inp,
                    const BlockParams& p, const BlockActs& a, const BlockShape& s, const BlockRoutes& routes) {
  check_shape(s);
  const int N = s.rows(), C = s.C;
  const size_t nc = static_cast<size_t>(N) * C;
  const Kernels& k = kernels();
  auto linear_backward = [&](BlockLinear which, float* dx, float* dw, float* db, const float* dy, const float* x,
                             const float* w, int in, int outs) {
    if (routes.linear_backward) routes.linear_backward(which, dx, dw, db, dy, x, w, N, in, outs);
    else k.linear_backward(dx, dw, db, dy, x, w, N, in, outs);
  };
  for (float* buf : {d.residual2, d.fcproj, d.ln_2, d.attproj, d.atty, d.ln_1}) zero(buf, nc);
  for (float* buf : {d.fch, d.fch_gelu}) zero(buf, 4 * nc);
  zero(d.qkv, 3 * nc);

  residual_backward(d.residual2, d.fcproj, dout, N * C);
  linear_backward(BlockLinear::mlp_c_proj, d.fch_gelu, g.mlp_c_proj_weight, g.mlp_c_proj_bias, d.fcproj, a.fch_gelu,
                  p.mlp_c_proj_weight, 4 * C, C);
  k.gelu_backward(d.fch, a.fch, d.fch_gelu, N * 4 * C);
  linear_backward(BlockLinear::mlp_c_fc, d.ln_2, g.mlp_c_fc_weight, g.mlp_c_fc_bias, d.fch, a.ln_2, p.mlp_c_fc_weight,
                  C, 4 * C);
  k.layernorm_backward(d.residual2, g.ln_2_weight, g.ln_2_bias, d.ln_2, a.residual2, p.ln_2_weight, a.ln_2_mean,
                     a.ln_2_rstd, N, C);

  residual_backward(dinp, d.attproj, d.residual2, N * C);
  linear_backward(BlockLinear::attn_c_proj, d.atty, g.attn_c_proj_weight, g.attn_c_proj_bias, d.attproj, a.atty,
                  p.attn_c_proj_weight, C, C);
  k.attention_backward(d.qkv, d.preatt, d.att, d.atty, a.qkv, a.att, s.B, s.T, C, s.NH);
  linear_backward(BlockLinear::attn_c_attn, d.ln_1, g.attn_c_attn_weight, g.attn_c_attn_bias, d.qkv, a.ln_1,
                  p.attn_c_attn_weight, C, 3 * C);
  k.layernorm_backward(dinp, g.ln_1_weight, g.ln_1_bias, d.ln_1, inp, p.ln_1_weight, a.ln_1_mean, a.ln_1_rstd, N,
                     C);
}
// end lesson: block_backward

}  // namespace minillm
