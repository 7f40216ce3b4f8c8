// Chapter 04 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/attention.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/residual.hpp"

namespace ch04 {

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    float m = 0.0f;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= static_cast<float>(C);
    float var = 0.0f;
    for (int c = 0; c < C; ++c) var += (x[c] - m) * (x[c] - m);
    var /= static_cast<float>(C);
    const float s = 1.0f / std::sqrt(var + 1e-5f);
    for (int c = 0; c < C; ++c) out[n * C + c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    const float* dy = dout + n * C;
    float g_mean = 0.0f, gx_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      g_mean += dy[c] * weight[c];
      gx_mean += dy[c] * weight[c] * xhat;
    }
    g_mean /= static_cast<float>(C);
    gx_mean /= static_cast<float>(C);
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      dbias[c] += dy[c];
      dweight[c] += dy[c] * xhat;
      dinp[n * C + c] += rstd[n] * (dy[c] * weight[c] - g_mean - xhat * gx_mean);
    }
  }
}

void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
  const float k = std::sqrt(2.0f / 3.14159265358979f);
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float th = std::tanh(k * (x + 0.044715f * x * x * x));
    const float grad = 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * k * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += grad * dout[i];
  }
}

void gelu_forward(float* out, const float* inp, int n) {
  const float k = std::sqrt(2.0f / static_cast<float>(M_PI));
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
  }
}

void rmsnorm_forward(float* out, float* rrms, const float* inp, const float* weight, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    float mean_square = 0.0f;
    for (int c = 0; c < C; ++c) mean_square += x[c] * x[c];
    mean_square /= static_cast<float>(C);
    const float r = 1.0f / std::sqrt(mean_square + 1e-5f);
    for (int c = 0; c < C; ++c) out[n * C + c] = x[c] * r * weight[c];
    rrms[n] = r;
  }
}

void rmsnorm_backward(float* dinp, float* dweight, const float* dout, const float* inp, const float* weight,
                      const float* rrms, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * C;
    const float* dy = dout + n * C;
    const float r = rrms[n];
    float g_dot_xhat = 0.0f;  // the row average of (dy * weight) * xhat: the path through rrms
    for (int c = 0; c < C; ++c) g_dot_xhat += dy[c] * weight[c] * x[c] * r;
    g_dot_xhat /= static_cast<float>(C);
    for (int c = 0; c < C; ++c) {
      const float xhat = x[c] * r;
      dweight[c] += dy[c] * xhat;
      dinp[n * C + c] += r * (dy[c] * weight[c] - xhat * g_dot_xhat);
    }
  }
}

void mlp_forward(float* out, float* hidden, const float* inp, const float* fc_weight, const float* fc_bias,
                 const float* proj_weight, const float* proj_bias, int N, int C) {
  std::vector<float> fc(static_cast<size_t>(N) * 4 * C);
  minillm::linear_forward(fc.data(), inp, fc_weight, fc_bias, N, C, 4 * C);
  gelu_forward(hidden, fc.data(), N * 4 * C);
  minillm::linear_forward(out, hidden, proj_weight, proj_bias, N, 4 * C, C);
}

void block_forward(const minillm::BlockActs& a, const float* inp, const minillm::BlockParams& p,
                   const minillm::BlockShape& s) {
  const int N = s.rows(), C = s.C;
  // Attention sub-block: x + c_proj(attention(c_attn(ln_1(x)))).
  minillm::layernorm_forward(a.ln_1, a.ln_1_mean, a.ln_1_rstd, inp, p.ln_1_weight, p.ln_1_bias, N, C);
  minillm::linear_forward(a.qkv, a.ln_1, p.attn_c_attn_weight, p.attn_c_attn_bias, N, C, 3 * C);
  minillm::attention_forward(a.atty, a.preatt, a.att, a.qkv, s.B, s.T, C, s.NH);
  minillm::linear_forward(a.attproj, a.atty, p.attn_c_proj_weight, p.attn_c_proj_bias, N, C, C);
  minillm::residual_forward(a.residual2, inp, a.attproj, N * C);
  // MLP sub-block: x + c_proj(gelu(c_fc(ln_2(x)))).
  minillm::layernorm_forward(a.ln_2, a.ln_2_mean, a.ln_2_rstd, a.residual2, p.ln_2_weight, p.ln_2_bias, N, C);
  minillm::linear_forward(a.fch, a.ln_2, p.mlp_c_fc_weight, p.mlp_c_fc_bias, N, C, 4 * C);
  minillm::gelu_forward(a.fch_gelu, a.fch, N * 4 * C);
  minillm::linear_forward(a.fcproj, a.fch_gelu, p.mlp_c_proj_weight, p.mlp_c_proj_bias, N, 4 * C, C);
  minillm::residual_forward(a.out, a.residual2, a.fcproj, N * C);
}

void block_backward(float* dinp, const minillm::BlockParams& g, const minillm::BlockActs& d, const float* dout,
                    const float* inp, const minillm::BlockParams& p, const minillm::BlockActs& a,
                    const minillm::BlockShape& s) {
  const int N = s.rows(), C = s.C;
  const size_t nc = static_cast<size_t>(N) * C;
  // Scratch gradients start at zero: each backward below adds into them.
  for (float* buf : {d.residual2, d.fcproj, d.ln_2, d.attproj, d.atty, d.ln_1}) std::fill(buf, buf + nc, 0.0f);
  for (float* buf : {d.fch, d.fch_gelu}) std::fill(buf, buf + 4 * nc, 0.0f);
  std::fill(d.qkv, d.qkv + 3 * nc, 0.0f);
  const size_t scores = static_cast<size_t>(s.B) * s.NH * s.T * s.T;
  std::fill(d.preatt, d.preatt + scores, 0.0f);
  std::fill(d.att, d.att + scores, 0.0f);
  // MLP sub-block, from its output back to residual2.
  minillm::residual_backward(d.residual2, d.fcproj, dout, N * C);
  minillm::linear_backward(d.fch_gelu, g.mlp_c_proj_weight, g.mlp_c_proj_bias, d.fcproj, a.fch_gelu,
                           p.mlp_c_proj_weight, N, 4 * C, C);
  minillm::gelu_backward(d.fch, a.fch, d.fch_gelu, N * 4 * C);
  minillm::linear_backward(d.ln_2, g.mlp_c_fc_weight, g.mlp_c_fc_bias, d.fch, a.ln_2, p.mlp_c_fc_weight, N, C,
                           4 * C);
  minillm::layernorm_backward(d.residual2, g.ln_2_weight, g.ln_2_bias, d.ln_2, a.residual2, p.ln_2_weight,
                              a.ln_2_mean, a.ln_2_rstd, N, C);
  // Attention sub-block, from residual2 back to the block's input.
  minillm::residual_backward(dinp, d.attproj, d.residual2, N * C);
  minillm::linear_backward(d.atty, g.attn_c_proj_weight, g.attn_c_proj_bias, d.attproj, a.atty,
                           p.attn_c_proj_weight, N, C, C);
  minillm::attention_backward(d.qkv, d.preatt, d.att, d.atty, a.qkv, a.att, s.B, s.T, C, s.NH);
  minillm::linear_backward(d.ln_1, g.attn_c_attn_weight, g.attn_c_attn_bias, d.qkv, a.ln_1, p.attn_c_attn_weight,
                           N, C, 3 * C);
  minillm::layernorm_backward(dinp, g.ln_1_weight, g.ln_1_bias, d.ln_1, inp, p.ln_1_weight, a.ln_1_mean,
                              a.ln_1_rstd, N, C);
}

}  // namespace ch04
