// Chapter 09 practice: the reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ch09 {

std::vector<float> last_token_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                   int C) {
  std::vector<float> pooled(size_t(B) * C);
  for (int b = 0; b < B; ++b) {
    int last = -1;
    for (int t = 0; t < T; ++t)
      if (mask[size_t(b) * T + t] != 0) last = t;
    if (last < 0) throw std::invalid_argument("sequence " + std::to_string(b) + " has no real token");
    const float* row = hidden.data() + (size_t(b) * T + last) * C;
    std::copy_n(row, C, pooled.begin() + ptrdiff_t(b) * C);
  }
  return pooled;
}

std::vector<float> masked_mean_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                    int C) {
  std::vector<float> pooled(size_t(B) * C, 0.0f);
  for (int b = 0; b < B; ++b) {
    float* out = pooled.data() + size_t(b) * C;
    int real = 0;
    for (int t = 0; t < T; ++t) {
      if (mask[size_t(b) * T + t] == 0) continue;
      const float* row = hidden.data() + (size_t(b) * T + t) * C;
      for (int c = 0; c < C; ++c) out[c] += row[c];
      ++real;
    }
    if (real == 0) throw std::invalid_argument("sequence " + std::to_string(b) + " has no real token");
    for (int c = 0; c < C; ++c) out[c] /= float(real);
  }
  return pooled;
}

std::vector<float> head_forward(const std::vector<float>& x, const std::vector<float>& w,
                                const std::vector<float>& bias, int B, int C, int K) {
  std::vector<float> logits(size_t(B) * K);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < K; ++k) {
      float sum = bias[size_t(k)];
      for (int c = 0; c < C; ++c) sum += x[size_t(b) * C + c] * w[size_t(k) * C + c];
      logits[size_t(b) * K + k] = sum;
    }
  return logits;
}

void head_backward(std::vector<float>& dx, std::vector<float>& dw, std::vector<float>& dbias,
                   const std::vector<float>& dlogits, const std::vector<float>& x, const std::vector<float>& w, int B,
                   int C, int K) {
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < K; ++k) {
      const float g = dlogits[size_t(b) * K + k];
      dbias[size_t(k)] += g;
      for (int c = 0; c < C; ++c) {
        dx[size_t(b) * C + c] += g * w[size_t(k) * C + c];
        dw[size_t(k) * C + c] += g * x[size_t(b) * C + c];
      }
    }
}

ClassificationReport classification_report(const std::vector<int>& truth, const std::vector<int>& predicted, int K) {
  ClassificationReport r;
  r.confusion.assign(size_t(K) * K, 0);
  int right = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++r.confusion[size_t(truth[i]) * K + predicted[i]];
    right += truth[i] == predicted[i];
  }
  r.accuracy = double(right) / double(truth.size());
  for (int k = 0; k < K; ++k) {
    int as_k = 0, of_k = 0;  // predicted as k (column k), truly k (row k)
    for (int j = 0; j < K; ++j) {
      as_k += r.confusion[size_t(j) * K + k];
      of_k += r.confusion[size_t(k) * K + j];
    }
    const double hits = r.confusion[size_t(k) * K + k];
    const double p = as_k > 0 ? hits / as_k : 0.0, rc = of_k > 0 ? hits / of_k : 0.0;
    r.precision.push_back(p);
    r.recall.push_back(rc);
    r.f1.push_back(p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0);
    r.macro_f1 += r.f1.back() / K;
  }
  return r;
}

double weighted_cross_entropy(std::vector<float>& dlogits, const std::vector<float>& logits,
                              const std::vector<int>& labels, const std::vector<float>& class_weight, int B, int K) {
  double weight_sum = 0;
  for (int b = 0; b < B; ++b) weight_sum += class_weight[size_t(labels[size_t(b)])];
  double loss = 0;
  for (int b = 0; b < B; ++b) {
    const float* z = logits.data() + size_t(b) * K;
    float* dz = dlogits.data() + size_t(b) * K;
    const double m = *std::max_element(z, z + K);
    double total = 0;
    for (int k = 0; k < K; ++k) total += std::exp(double(z[k]) - m);
    const int y = labels[size_t(b)];
    const double share = class_weight[size_t(y)] / weight_sum;
    loss -= share * (double(z[y]) - m - std::log(total));
    for (int k = 0; k < K; ++k) {
      const double p = std::exp(double(z[k]) - m) / total;
      dz[k] = float(share * (p - (k == y ? 1.0 : 0.0)));
    }
  }
  return loss;
}

std::vector<float> lora_forward(const std::vector<float>& x, const std::vector<float>& W, const std::vector<float>& A,
                                const std::vector<float>& Bm, float alpha, int N, int C, int OC, int R) {
  const float scale = alpha / float(R);
  std::vector<float> out(size_t(N) * OC), h(static_cast<size_t>(R));
  for (int n = 0; n < N; ++n) {
    const float* xn = x.data() + size_t(n) * C;
    for (int r = 0; r < R; ++r) {  // h = x · Aᵀ: the input squeezed to R numbers
      float sum = 0;
      for (int c = 0; c < C; ++c) sum += xn[c] * A[size_t(r) * C + c];
      h[size_t(r)] = sum;
    }
    for (int o = 0; o < OC; ++o) {
      float base = 0, low_rank = 0;
      for (int c = 0; c < C; ++c) base += xn[c] * W[size_t(o) * C + c];
      for (int r = 0; r < R; ++r) low_rank += h[size_t(r)] * Bm[size_t(o) * R + r];
      out[size_t(n) * OC + o] = base + scale * low_rank;
    }
  }
  return out;
}

std::vector<float> merge_lora(const std::vector<float>& W, const std::vector<float>& A, const std::vector<float>& Bm,
                              float alpha, int C, int OC, int R) {
  const float scale = alpha / float(R);
  std::vector<float> merged = W;
  for (int o = 0; o < OC; ++o)
    for (int c = 0; c < C; ++c) {
      float sum = 0;
      for (int r = 0; r < R; ++r) sum += Bm[size_t(o) * R + r] * A[size_t(r) * C + c];
      merged[size_t(o) * C + c] += scale * sum;
    }
  return merged;
}

void lora_backward(std::vector<float>& dx, std::vector<float>& dA, std::vector<float>& dBm,
                   const std::vector<float>& dout, const std::vector<float>& x, const std::vector<float>& W,
                   const std::vector<float>& A, const std::vector<float>& Bm, float alpha, int N, int C, int OC,
                   int R) {
  const float scale = alpha / float(R);
  std::vector<float> h(static_cast<size_t>(R)), dh(static_cast<size_t>(R));
  for (int n = 0; n < N; ++n) {
    const float* xn = x.data() + size_t(n) * C;
    const float* gn = dout.data() + size_t(n) * OC;
    for (int r = 0; r < R; ++r) {  // the forward's h = x · Aᵀ again, and dh = scale · dout · Bm
      float sum = 0, back = 0;
      for (int c = 0; c < C; ++c) sum += xn[c] * A[size_t(r) * C + c];
      for (int o = 0; o < OC; ++o) back += gn[o] * Bm[size_t(o) * R + r];
      h[size_t(r)] = sum;
      dh[size_t(r)] = scale * back;
    }
    for (int o = 0; o < OC; ++o)
      for (int r = 0; r < R; ++r) dBm[size_t(o) * R + r] += scale * gn[o] * h[size_t(r)];
    for (int c = 0; c < C; ++c) {
      float through_w = 0, through_a = 0;
      for (int o = 0; o < OC; ++o) through_w += gn[o] * W[size_t(o) * C + c];
      for (int r = 0; r < R; ++r) {
        through_a += dh[size_t(r)] * A[size_t(r) * C + c];
        dA[size_t(r) * C + c] += dh[size_t(r)] * xn[c];
      }
      dx[size_t(n) * C + c] += through_w + through_a;
    }
  }
}

}  // namespace ch09
