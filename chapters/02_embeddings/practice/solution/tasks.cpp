// Chapter 02 practice: reference solutions.
#include "tasks.hpp"  // found through the practice folder, so this file also works copied there

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"

namespace ch02 {

std::vector<float> lookup_rows(const std::vector<float>& table, int V, int C, const std::vector<int>& ids) {
  std::vector<float> out(ids.size() * size_t(C));
  for (size_t n = 0; n < ids.size(); ++n) {
    minillm::require(ids[n] >= 0 && ids[n] < V, "token id {} is outside [0, {})", ids[n], V);
    for (int c = 0; c < C; ++c) out[n * size_t(C) + size_t(c)] = table[size_t(ids[n]) * size_t(C) + size_t(c)];
  }
  return out;
}

float cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  minillm::require(aa > 0 && bb > 0, "cosine of a zero vector is undefined");
  return static_cast<float>(dot / (std::sqrt(aa) * std::sqrt(bb)));
}

int closest_row(const std::vector<float>& table, int V, int C, int query) {
  const auto row = [&](int r) { return std::span<const float>(&table[size_t(r) * size_t(C)], size_t(C)); };
  int best = -1;
  float best_similarity = -2;
  for (int r = 0; r < V; ++r) {
    if (r == query) continue;
    const float s = cosine(row(r), row(query));
    if (s > best_similarity) {
      best_similarity = s;
      best = r;
    }
  }
  return best;
}

std::vector<float> first_principal_axis(const std::vector<float>& data, int n, int d) {
  std::vector<double> mean(static_cast<size_t>(d), 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) mean[size_t(j)] += data[size_t(i * d + j)] / n;
  std::vector<double> cov(size_t(d * d), 0.0);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b)
        cov[size_t(a * d + b)] += (data[size_t(i * d + a)] - mean[size_t(a)]) * (data[size_t(i * d + b)] - mean[size_t(b)]) / (n - 1);
  std::vector<double> v(static_cast<size_t>(d), 1.0);
  std::vector<double> next(static_cast<size_t>(d));
  for (int iteration = 0; iteration < 500; ++iteration) {
    double length = 0;
    for (int a = 0; a < d; ++a) {
      next[size_t(a)] = 0;
      for (int b = 0; b < d; ++b) next[size_t(a)] += cov[size_t(a * d + b)] * v[size_t(b)];
      length += next[size_t(a)] * next[size_t(a)];
    }
    for (int a = 0; a < d; ++a) v[size_t(a)] = next[size_t(a)] / std::sqrt(length);
  }
  size_t largest = 0;
  for (size_t a = 0; a < v.size(); ++a)
    if (std::abs(v[a]) > std::abs(v[largest])) largest = a;
  std::vector<float> axis;
  for (double x : v) axis.push_back(static_cast<float>(v[largest] < 0 ? -x : x));
  return axis;
}

std::vector<float> project_to_2d(const std::vector<float>& data, int n, int d) {
  std::vector<float> centred(data);
  for (int j = 0; j < d; ++j) {
    double mean = 0;
    for (int i = 0; i < n; ++i) mean += data[size_t(i * d + j)] / n;
    for (int i = 0; i < n; ++i) centred[size_t(i * d + j)] -= static_cast<float>(mean);
  }
  const auto along = [&](const std::vector<float>& points, const std::vector<float>& axis, int i) {
    double dot = 0;
    for (int j = 0; j < d; ++j) dot += double(points[size_t(i * d + j)]) * axis[size_t(j)];
    return dot;
  };
  const std::vector<float> axis1 = first_principal_axis(centred, n, d);
  std::vector<float> rest(centred);  // each point minus its component along axis 1
  for (int i = 0; i < n; ++i) {
    const double x = along(centred, axis1, i);
    for (int j = 0; j < d; ++j) rest[size_t(i * d + j)] -= static_cast<float>(x * axis1[size_t(j)]);
  }
  const std::vector<float> axis2 = first_principal_axis(rest, n, d);
  std::vector<float> xy;
  for (int i = 0; i < n; ++i) {
    xy.push_back(static_cast<float>(along(centred, axis1, i)));
    xy.push_back(static_cast<float>(along(centred, axis2, i)));
  }
  return xy;
}

std::vector<int> kmeans_step(const std::vector<float>& data, int n, int d, std::vector<float>& centroids, int k) {
  std::vector<int> assignment(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    double best = INFINITY;
    for (int c = 0; c < k; ++c) {
      double distance = 0;
      for (int j = 0; j < d; ++j) {
        const double diff = data[size_t(i * d + j)] - centroids[size_t(c * d + j)];
        distance += diff * diff;
      }
      if (distance < best) {
        best = distance;
        assignment[size_t(i)] = c;
      }
    }
  }
  std::vector<double> sums(size_t(k * d), 0.0);
  std::vector<int> counts(size_t(k), 0);
  for (int i = 0; i < n; ++i) {
    const int c = assignment[size_t(i)];
    ++counts[size_t(c)];
    for (int j = 0; j < d; ++j) sums[size_t(c * d + j)] += data[size_t(i * d + j)];
  }
  for (int c = 0; c < k; ++c)
    if (counts[size_t(c)] > 0)
      for (int j = 0; j < d; ++j) centroids[size_t(c * d + j)] = static_cast<float>(sums[size_t(c * d + j)] / counts[size_t(c)]);
  return assignment;
}

void embedding_backward(std::vector<float>& dtable, int C, const std::vector<int>& ids, const std::vector<float>& dout) {
  for (size_t n = 0; n < ids.size(); ++n)
    for (int c = 0; c < C; ++c) dtable[size_t(ids[n]) * size_t(C) + size_t(c)] += dout[n * size_t(C) + size_t(c)];
}

std::vector<double> keep_probabilities(const std::vector<int64_t>& counts, double t) {
  double total = 0;
  for (int64_t count : counts) total += double(count);
  std::vector<double> keep(counts.size(), 1.0);
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;  // never seen: nothing to drop
    const double ratio = t / (double(counts[i]) / total);
    keep[i] = std::min(1.0, std::sqrt(ratio) + ratio);
  }
  return keep;
}

std::vector<double> negative_sampling_distribution(const std::vector<int64_t>& counts) {
  std::vector<double> p(counts.size());
  double total = 0.0;
  for (size_t i = 0; i < counts.size(); ++i) total += (p[i] = std::pow(static_cast<double>(counts[i]), 0.75));
  for (double& x : p) x /= total;
  return p;
}

BceTerm sgns_bce(double score, int label) {
  // -log σ(x) = log(1 + e^(-x)) and -log(1 - σ(x)) = -log σ(-x): one function of the signed margin. Written
  // with log1p and an exponent that is never positive, it neither overflows nor takes the log of 0.
  const double margin = label == 1 ? score : -score;
  const double loss = margin >= 0 ? std::log1p(std::exp(-margin)) : -margin + std::log1p(std::exp(margin));
  const double sigma = score >= 0 ? 1.0 / (1.0 + std::exp(-score)) : std::exp(score) / (1.0 + std::exp(score));
  return BceTerm{loss, sigma - label};
}

int analogy(const std::vector<float>& table, int V, int C, int a, int b, int c) {
  std::vector<float> target(static_cast<size_t>(C));
  for (int j = 0; j < C; ++j)
    target[size_t(j)] = table[size_t(b) * C + j] - table[size_t(a) * C + j] + table[size_t(c) * C + j];
  int best = -1;
  float best_similarity = -2;
  for (int r = 0; r < V; ++r) {
    if (r == a || r == b || r == c) continue;
    const float similarity = cosine(std::span<const float>(&table[size_t(r) * C], size_t(C)), target);
    if (similarity > best_similarity) {
      best_similarity = similarity;
      best = r;
    }
  }
  return best;
}

double sgns_pair_update(std::vector<float>& inputs, std::vector<float>& outputs, int dim, int centre, int context,
                        const std::vector<int>& negatives, float lr) {
  float* v = inputs.data() + size_t(centre) * size_t(dim);
  std::vector<int> targets = {context};
  targets.insert(targets.end(), negatives.begin(), negatives.end());
  std::vector<float> dv(size_t(dim), 0.0f);
  double loss = 0.0;
  for (size_t t = 0; t < targets.size(); ++t) {
    float* u = outputs.data() + size_t(targets[t]) * size_t(dim);
    double score = 0.0;
    for (int i = 0; i < dim; ++i) score += double(u[i]) * v[i];
    const double sigma = 1.0 / (1.0 + std::exp(-score));
    const double label = t == 0 ? 1.0 : 0.0;
    // -log σ(x) for the context, -log σ(-x) for a negative; both have derivative σ(x) - label.
    loss += t == 0 ? std::log1p(std::exp(-score)) : std::log1p(std::exp(score));
    const float g = static_cast<float>(sigma - label);
    for (int i = 0; i < dim; ++i) {
      dv[size_t(i)] += g * u[i];  // with u before its own update
      u[i] -= lr * g * v[i];      // v is not updated until all targets are done
    }
  }
  for (int i = 0; i < dim; ++i) v[i] -= lr * dv[size_t(i)];
  return loss;
}

}  // namespace ch02
