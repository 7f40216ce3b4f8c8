// Chapter 00 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>

namespace ch00 {

int64_t offset_2d(int64_t i, int64_t j, int64_t cols) { return i * cols + j; }

int64_t offset_3d(int64_t b, int64_t t, int64_t c, int64_t T, int64_t C) { return (b * T + t) * C + c; }

void transpose(float* out, const float* in, int64_t rows, int64_t cols) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out[offset_2d(j, i, rows)] = in[offset_2d(i, j, cols)];
}

void matmul(float* out, const float* a, const float* b, int64_t m, int64_t k, int64_t n) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float sum = 0.0f;
      for (int64_t p = 0; p < k; ++p) sum += a[i * k + p] * b[p * n + j];
      out[i * n + j] = sum;
    }
  }
}

void matmul_backward(float* da, float* db, const float* dout, const float* a, const float* b, int64_t m,
                     int64_t k, int64_t n) {
  // da[m, k] += dout[m, n] · b[k, n]ᵀ: row i of dout dotted with row p of b.
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t p = 0; p < k; ++p) {
      float sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) sum += dout[i * n + j] * b[p * n + j];
      da[i * k + p] += sum;
    }
  }
  // db[k, n] += a[m, k]ᵀ · dout[m, n]: each row i contributes a(i, p) times row i of dout.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < n; ++j) db[p * n + j] += a[i * k + p] * dout[i * n + j];
}

ValueAndSlope chain_rule(double x) {
  const double u = x * x - 3.0 * x + 1.0;  // step 1: the inner polynomial
  const double du_dx = 2.0 * x - 3.0;
  const double df_du = 2.0 * u;            // step 2: f = u²
  return ValueAndSlope{u * u, df_du * du_dx};
}

std::vector<double> numerical_gradient(const std::function<double(const std::vector<double>&)>& f,
                                       const std::vector<double>& x, double h) {
  std::vector<double> grad(x.size());
  std::vector<double> nudged = x;
  for (size_t i = 0; i < x.size(); ++i) {
    nudged[i] = x[i] + h;
    const double up = f(nudged);
    nudged[i] = x[i] - h;
    const double down = f(nudged);
    nudged[i] = x[i];
    grad[i] = (up - down) / (2 * h);  // central difference: error O(h^2) rather than O(h)
  }
  return grad;
}

int gradient_check(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x,
                   const std::vector<double>& analytic, double h, double tol) {
  const std::vector<double> numeric = numerical_gradient(f, x, h);
  for (size_t i = 0; i < numeric.size(); ++i) {
    const double scale = std::max({1.0, std::abs(analytic[i]), std::abs(numeric[i])});
    if (std::abs(analytic[i] - numeric[i]) / scale > tol) return static_cast<int>(i);
  }
  return -1;
}

float gradient_descent_step(const std::vector<float>& xs, const std::vector<float>& ys, float& a, float& w, float& b,
                            float lr) {
  // loss = 1/n sum r_i^2 with r_i = a x_i^2 + w x_i + b - y_i; dloss/dr_i = 2 r_i / n, and dr_i/da = x_i^2,
  // dr_i/dw = x_i, dr_i/db = 1.
  const float n = static_cast<float>(xs.size());
  float loss = 0.0f, da = 0.0f, dw = 0.0f, db = 0.0f;
  for (size_t i = 0; i < xs.size(); ++i) {
    const float r = a * xs[i] * xs[i] + w * xs[i] + b - ys[i];
    loss += r * r / n;
    da += 2.0f * r * xs[i] * xs[i] / n;
    dw += 2.0f * r * xs[i] / n;
    db += 2.0f * r / n;
  }
  a -= lr * da;
  w -= lr * dw;
  b -= lr * db;
  return loss;
}

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t o = 0; o < OC; ++o) {
      float sum = bias ? bias[o] : 0.0f;
      for (int64_t c = 0; c < C; ++c) sum += inp[n * C + c] * weight[o * C + c];
      out[n * OC + o] = sum;
    }
  }
}

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  // out(n, o) = sum_c inp(n, c) weight(o, c) + bias(o)
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t o = 0; o < OC; ++o) {
      const float g = dout[n * OC + o];
      for (int64_t c = 0; c < C; ++c) {
        dinp[n * C + c] += g * weight[o * C + c];     // dinp = dout · weight
        dweight[o * C + c] += g * inp[n * C + c];     // dweight = doutᵀ · inp
      }
      if (dbias) dbias[o] += g;                       // dbias = sum over rows of dout
    }
  }
}

}  // namespace ch00
