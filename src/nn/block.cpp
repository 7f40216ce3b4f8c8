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

void add_block_params(TensorArena& arena, const std::string& prefix, int C) {
  const int64_t c = C;
  arena.add(prefix + "ln_1.weight", {c});
  arena.add(prefix + "ln_1.bias", {c});
  arena.add(prefix + "attn.c_attn.weight", {3 * c, c});
  arena.add(prefix + "attn.c_attn.bias", {3 * c});
  arena.add(prefix + "attn.c_proj.weight", {c, c});
  arena.add(prefix + "attn.c_proj.bias", {c});
  arena.add(prefix + "ln_2.weight", {c});
  arena.add(prefix + "ln_2.bias", {c});
  arena.add(prefix + "mlp.c_fc.weight", {4 * c, c});
  arena.add(prefix + "mlp.c_fc.bias", {4 * c});
  arena.add(prefix + "mlp.c_proj.weight", {c, 4 * c});
  arena.add(prefix + "mlp.c_proj.bias", {c});
}

BlockParams block_params(TensorArena& arena, const std::string& prefix) {
  auto p = [&](const char* name) { return arena[prefix + name].data; };
  return {p("ln_1.weight"),        p("ln_1.bias"),        p("attn.c_attn.weight"), p("attn.c_attn.bias"),
          p("attn.c_proj.weight"), p("attn.c_proj.bias"), p("ln_2.weight"),        p("ln_2.bias"),
          p("mlp.c_fc.weight"),    p("mlp.c_fc.bias"),    p("mlp.c_proj.weight"),  p("mlp.c_proj.bias")};
}

void add_block_acts(TensorArena& arena, const std::string& prefix, const BlockShape& s) {
  check_shape(s);
  const int64_t N = s.rows(), C = s.C, att = int64_t{s.B} * s.NH * s.T * s.T;
  arena.add(prefix + "ln_1", {N, C});
  arena.add(prefix + "ln_1_mean", {N});
  arena.add(prefix + "ln_1_rstd", {N});
  arena.add(prefix + "qkv", {N, 3 * C});
  arena.add(prefix + "preatt", {att});
  arena.add(prefix + "att", {att});
  arena.add(prefix + "atty", {N, C});
  arena.add(prefix + "attproj", {N, C});
  arena.add(prefix + "residual2", {N, C});
  arena.add(prefix + "ln_2", {N, C});
  arena.add(prefix + "ln_2_mean", {N});
  arena.add(prefix + "ln_2_rstd", {N});
  arena.add(prefix + "fch", {N, 4 * C});
  arena.add(prefix + "fch_gelu", {N, 4 * C});
  arena.add(prefix + "fcproj", {N, C});
  arena.add(prefix + "out", {N, C});
}

BlockActs block_acts(TensorArena& arena, const std::string& prefix) {
  auto p = [&](const char* name) { return arena[prefix + name].data; };
  return {p("ln_1"),      p("ln_1_mean"), p("ln_1_rstd"), p("qkv"),       p("preatt"),    p("att"),
          p("atty"),      p("attproj"),   p("residual2"), p("ln_2"),      p("ln_2_mean"), p("ln_2_rstd"),
          p("fch"),       p("fch_gelu"),  p("fcproj"),    p("out")};
}

// lesson: block_forward
void block_forward(const BlockActs& a, const float* inp, const BlockParams& p, const BlockShape& s,
                   LinearForward linear) {
  check_shape(s);
  const int N = s.rows(), C = s.C;
  // Attention sub-block: normalise, mix information across positions, add back onto the residual stream.
  layernorm_forward(a.ln_1, a.ln_1_mean, a.ln_1_rstd, inp, p.ln_1_weight, p.ln_1_bias, N, C);
  linear(a.qkv, a.ln_1, p.attn_c_attn_weight, p.attn_c_attn_bias, N, C, 3 * C);
  attention_forward(a.atty, a.preatt, a.att, a.qkv, s.B, s.T, C, s.NH);
  linear(a.attproj, a.atty, p.attn_c_proj_weight, p.attn_c_proj_bias, N, C, C);
  residual_forward(a.residual2, inp, a.attproj, N * C);
  // MLP sub-block: normalise, think about each position on its own (4x wider), add back.
  layernorm_forward(a.ln_2, a.ln_2_mean, a.ln_2_rstd, a.residual2, p.ln_2_weight, p.ln_2_bias, N, C);
  linear(a.fch, a.ln_2, p.mlp_c_fc_weight, p.mlp_c_fc_bias, N, C, 4 * C);
  gelu_forward(a.fch_gelu, a.fch, N * 4 * C);
  linear(a.fcproj, a.fch_gelu, p.mlp_c_proj_weight, p.mlp_c_proj_bias, N, 4 * C, C);
  residual_forward(a.out, a.residual2, a.fcproj, N * C);
}
// end lesson: block_forward

// lesson: block_backward
// The forward pass in reverse. Every *_backward accumulates, so each activation gradient is zeroed first;
// the residual stream's gradient (dresidual2, then dinp) collects one contribution per branch.
void block_backward(float* dinp, const BlockParams& g, const BlockActs& d, const float* dout, const float* inp,
                    const BlockParams& p, const BlockActs& a, const BlockShape& s) {
  check_shape(s);
  const int N = s.rows(), C = s.C;
  const size_t nc = static_cast<size_t>(N) * C;
  for (float* buf : {d.residual2, d.fcproj, d.ln_2, d.attproj, d.atty, d.ln_1}) zero(buf, nc);
  for (float* buf : {d.fch, d.fch_gelu}) zero(buf, 4 * nc);
  zero(d.qkv, 3 * nc);

  residual_backward(d.residual2, d.fcproj, dout, N * C);
  linear_backward(d.fch_gelu, g.mlp_c_proj_weight, g.mlp_c_proj_bias, d.fcproj, a.fch_gelu, p.mlp_c_proj_weight,
                  N, 4 * C, C);
  gelu_backward(d.fch, a.fch, d.fch_gelu, N * 4 * C);
  linear_backward(d.ln_2, g.mlp_c_fc_weight, g.mlp_c_fc_bias, d.fch, a.ln_2, p.mlp_c_fc_weight, N, C, 4 * C);
  layernorm_backward(d.residual2, g.ln_2_weight, g.ln_2_bias, d.ln_2, a.residual2, p.ln_2_weight, a.ln_2_mean,
                     a.ln_2_rstd, N, C);

  residual_backward(dinp, d.attproj, d.residual2, N * C);
  linear_backward(d.atty, g.attn_c_proj_weight, g.attn_c_proj_bias, d.attproj, a.atty, p.attn_c_proj_weight, N,
                  C, C);
  attention_backward(d.qkv, d.preatt, d.att, d.atty, a.qkv, a.att, s.B, s.T, C, s.NH);
  linear_backward(d.ln_1, g.attn_c_attn_weight, g.attn_c_attn_bias, d.qkv, a.ln_1, p.attn_c_attn_weight, N, C,
                  3 * C);
  layernorm_backward(dinp, g.ln_1_weight, g.ln_1_bias, d.ln_1, inp, p.ln_1_weight, a.ln_1_mean, a.ln_1_rstd, N,
                     C);
}
// end lesson: block_backward

}  // namespace minillm
