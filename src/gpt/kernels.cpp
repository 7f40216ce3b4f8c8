#include "gpt/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.hpp"
#include "core/matmul.hpp"

namespace minillm::gpt_kernels {

namespace {
inline size_t sz(long long v) { return static_cast<size_t>(v); }
}  // namespace

// out[B,T,C] = wte[ids[b,t]] + wpe[t]
void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V) {
  require(static_cast<long long>(ids.size()) == 1LL * B * T, "embedding: {} ids for B*T = {}", ids.size(), B * T);
  for (TokenId id : ids)
    require(to_int(id) >= 0 && to_int(id) < V, "embedding: token id {} is outside the vocabulary [0, {})",
            to_int(id), V);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < B * T; ++n) {
    const float* tok = wte + sz(to_int(ids[sz(n)])) * sz(C);
    const float* pos = wpe + sz(n % T) * sz(C);
    float* o = out + sz(n) * sz(C);
    for (int c = 0; c < C; ++c) o[c] = tok[c] + pos[c];
  }
}

// ACCUMULATES into dwte[V,C], dwpe[maxT,C]. Sequential over rows: two rows may share a token id.
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int /*V*/) {
  for (int n = 0; n < B * T; ++n) {
    float* dtok = dwte + sz(to_int(ids[sz(n)])) * sz(C);
    float* dpos = dwpe + sz(n % T) * sz(C);
    const float* d = dout + sz(n) * sz(C);
    for (int c = 0; c < C; ++c) {
      dtok[c] += d[c];
      dpos[c] += d[c];
    }
  }
}

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* x = inp + sz(n) * sz(C);
    float m = 0.0f;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= static_cast<float>(C);
    float var = 0.0f;
    for (int c = 0; c < C; ++c) var += (x[c] - m) * (x[c] - m);
    var /= static_cast<float>(C);
    const float s = 1.0f / std::sqrt(var + 1e-5f);
    float* o = out + sz(n) * sz(C);
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  // dinp rows are independent; dweight/dbias sum over rows, done in a second (column) pass.
#pragma omp parallel for schedule(static)
  for (int n = 0; n < N; ++n) {
    const float* x = inp + sz(n) * sz(C);
    const float* d = dout + sz(n) * sz(C);
    float* dx = dinp + sz(n) * sz(C);
    const float m = mean[n], s = rstd[n];
    float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float dnorm = weight[c] * d[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * (x[c] - m) * s;
    }
    dnorm_mean /= static_cast<float>(C);
    dnorm_norm_mean /= static_cast<float>(C);
    for (int c = 0; c < C; ++c) {
      const float norm = (x[c] - m) * s;
      dx[c] += (weight[c] * d[c] - dnorm_mean - norm * dnorm_norm_mean) * s;
    }
  }
  for (int n = 0; n < N; ++n) {
    const float* x = inp + sz(n) * sz(C);
    const float* d = dout + sz(n) * sz(C);
    const float m = mean[n], s = rstd[n];
    for (int c = 0; c < C; ++c) {
      dweight[c] += (x[c] - m) * s * d[c];
      dbias[c] += d[c];
    }
  }
}

// out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias: bias rows first, then one gemm adds the product.
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C, int OC) {
  if (bias != nullptr) {
#pragma omp parallel for schedule(static)
    for (int n = 0; n < N; ++n)
      for (int o = 0; o < OC; ++o) out[sz(n) * sz(OC) + sz(o)] = bias[o];
  }
  matmul_abt(inp, weight, out, N, C, OC, bias != nullptr ? Accumulate::Add : Accumulate::Overwrite);
}

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  matmul_ab(dout, weight, dinp, N, OC, C, Accumulate::Add);      // dinp[N,C]   += dout[N,OC] · W[OC,C]
  matmul_atb(dout, inp, dweight, OC, N, C, Accumulate::Add);     // dW[OC,C]    += doutᵀ · inp[N,C]
  if (dbias != nullptr) {
    for (int n = 0; n < N; ++n)
      for (int o = 0; o < OC; ++o) dbias[o] += dout[sz(n) * sz(OC) + sz(o)];
  }
}

// Per (batch, head): preatt = Q·Kᵀ/sqrt(hs) as one gemm over the strided [T,hs] blocks of qkv, a causal
// softmax row by row, then out = att·V, written straight into the head's columns of out[B,T,C].
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const long long C3 = 3LL * C;
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < NH; ++h) {
      const float* q = qkv + sz(b) * sz(T) * sz(C3) + sz(h) * sz(hs);
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* pre = preatt + (sz(b) * sz(NH) + sz(h)) * sz(T) * sz(T);
      float* a = att + (sz(b) * sz(NH) + sz(h)) * sz(T) * sz(T);
      gemm(false, true, T, T, hs, scale, q, C3, k, C3, 0.0f, pre, T);
      for (int t = 0; t < T; ++t) {
        const float* prow = pre + sz(t) * sz(T);
        float* arow = a + sz(t) * sz(T);
        float mx = prow[0];
        for (int j = 1; j <= t; ++j) mx = std::max(mx, prow[j]);
        float sum = 0.0f;
        for (int j = 0; j <= t; ++j) {
          arow[j] = std::exp(prow[j] - mx);
          sum += arow[j];
        }
        const float inv = 1.0f / sum;
        for (int j = 0; j <= t; ++j) arow[j] *= inv;
        for (int j = t + 1; j < T; ++j) arow[j] = 0.0f;  // the future is masked out
      }
      gemm(false, false, T, hs, T, 1.0f, a, T, v, C3, 0.0f, out + sz(b) * sz(T) * sz(C) + sz(h) * sz(hs), C);
    }
  }
}

void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH) {
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const long long C3 = 3LL * C;
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < NH; ++h) {
      const size_t head = sz(b) * sz(T) * sz(C3) + sz(h) * sz(hs);
      const float *q = qkv + head, *k = q + C, *v = q + 2 * C;
      float *dq = dqkv + head, *dk = dq + C, *dv = dq + 2 * C;
      const float* d = dout + sz(b) * sz(T) * sz(C) + sz(h) * sz(hs);
      const float* a = att + (sz(b) * sz(NH) + sz(h)) * sz(T) * sz(T);
      float* da = datt + (sz(b) * sz(NH) + sz(h)) * sz(T) * sz(T);
      float* dpre = dpreatt + (sz(b) * sz(NH) + sz(h)) * sz(T) * sz(T);
      gemm(false, true, T, T, hs, 1.0f, d, C, v, C3, 0.0f, da, T);   // datt = dout · Vᵀ
      gemm(true, false, T, hs, T, 1.0f, a, T, d, C, 1.0f, dv, C3);   // dV  += attᵀ · dout
      // Softmax backward per row: dpre = att * (datt - sum(att * datt)); masked entries get 0.
      for (int t = 0; t < T; ++t) {
        const float* arow = a + sz(t) * sz(T);
        const float* darow = da + sz(t) * sz(T);
        float* dprow = dpre + sz(t) * sz(T);
        float dot = 0.0f;
        for (int j = 0; j <= t; ++j) dot += arow[j] * darow[j];
        for (int j = 0; j <= t; ++j) dprow[j] = arow[j] * (darow[j] - dot);
        for (int j = t + 1; j < T; ++j) dprow[j] = 0.0f;
      }
      gemm(false, false, T, hs, T, scale, dpre, T, k, C3, 1.0f, dq, C3);  // dQ += dpre · K / sqrt(hs)
      gemm(true, false, T, hs, T, scale, dpre, T, q, C3, 1.0f, dk, C3);   // dK += dpreᵀ · Q / sqrt(hs)
    }
  }
}

namespace {
constexpr float kGeluScale = 0.7978845608028654f;  // sqrt(2/pi)
}

void gelu_forward(float* out, const float* inp, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + std::tanh(kGeluScale * (x + 0.044715f * x * x * x)));
  }
}

void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float x = inp[i];
    const float u = kGeluScale * (x + 0.044715f * x * x * x);
    const float th = std::tanh(u);
    const float sech2 = 1.0f - th * th;
    const float du = kGeluScale * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += dout[i] * (0.5f * (1.0f + th) + 0.5f * x * sech2 * du);
  }
}

void residual_forward(float* out, const float* a, const float* b, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

void residual_backward(float* da, float* db, const float* dout, int n) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}

}  // namespace minillm::gpt_kernels
