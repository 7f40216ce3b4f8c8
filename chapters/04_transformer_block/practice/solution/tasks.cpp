// Chapter 04 practice: reference solutions.
#include "tasks.hpp"

#include <cmath>
#include <vector>

#include "nn/attention.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/residual.hpp"

namespace ch04 {

void layernorm_forward(const float* inp, const float* weight, const float* bias, float* out, float* mean,
                       float* rstd, int N, int C) {
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

void layernorm_backward(const float* dout, const float* inp, const float* weight, const float* mean,
                        const float* rstd, float* dinp, float* dweight, float* dbias, int N, int C) {
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

void gelu_backward(const float* inp, const float* dout, float* dinp, int n) {
  const float k = std::sqrt(2.0f / 3.14159265358979f);
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float th = std::tanh(k * (x + 0.044715f * x * x * x));
    const float grad = 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * k * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += grad * dout[i];
  }
}

void gelu_forward(const float* inp, float* out, int n) {
  const float k = std::sqrt(2.0f / static_cast<float>(M_PI));
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
  }
}

void mlp_forward(const float* inp, const float* fc_weight, const float* fc_bias, const float* proj_weight,
                 const float* proj_bias, float* hidden, float* out, int N, int C) {
  std::vector<float> fc(static_cast<size_t>(N) * 4 * C);
  minillm::linear_forward(fc.data(), inp, fc_weight, fc_bias, N, C, 4 * C);
  gelu_forward(fc.data(), hidden, N * 4 * C);
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

}  // namespace ch04
