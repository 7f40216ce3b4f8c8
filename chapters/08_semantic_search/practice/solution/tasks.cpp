// Chapter 08 practice: reference solutions.
#include "tasks.hpp"

#include <string>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ch08 {

void normalise_rows(std::vector<float>& data, int n, int dim) {
  for (int i = 0; i < n; ++i) {
    float* row = &data[size_t(i) * size_t(dim)];
    double squares = 0;
    for (int j = 0; j < dim; ++j) squares += double(row[j]) * row[j];
    if (squares == 0) continue;
    const double length = std::sqrt(squares);
    for (int j = 0; j < dim; ++j) row[j] = static_cast<float>(row[j] / length);
  }
}

std::vector<float> cosine_scores(const std::vector<float>& matrix, int n, int dim, const std::vector<float>& query) {
  double qq = 0;
  for (int j = 0; j < dim; ++j) qq += double(query[size_t(j)]) * query[size_t(j)];
  std::vector<float> scores(size_t(n), 0.0f);
  for (int i = 0; i < n; ++i) {
    double dot = 0, rr = 0;
    for (int j = 0; j < dim; ++j) {
      const double x = matrix[size_t(i) * size_t(dim) + size_t(j)];
      dot += x * query[size_t(j)];
      rr += x * x;
    }
    if (rr > 0 && qq > 0) scores[size_t(i)] = static_cast<float>(dot / std::sqrt(rr * qq));
  }
  return scores;
}

std::vector<int> top_k(const std::vector<float>& scores, int k) {
  std::vector<int> ids(scores.size());
  std::iota(ids.begin(), ids.end(), 0);
  const size_t keep = std::min(ids.size(), size_t(std::max(k, 0)));
  std::partial_sort(ids.begin(), ids.begin() + long(keep), ids.end(), [&](int a, int b) {
    return scores[size_t(a)] > scores[size_t(b)] || (scores[size_t(a)] == scores[size_t(b)] && a < b);
  });
  ids.resize(keep);
  return ids;
}

double recall_at_k(const std::vector<std::vector<int>>& exact, const std::vector<std::vector<int>>& approximate,
                   int k) {
  long found = 0, wanted = 0;
  for (size_t q = 0; q < exact.size(); ++q) {
    const auto& truth = exact[q];
    const auto& got = approximate[q];
    const auto got_end = got.begin() + long(std::min(got.size(), size_t(k)));
    for (size_t i = 0; i < truth.size() && i < size_t(k); ++i) {
      ++wanted;
      found += std::find(got.begin(), got_end, truth[i]) != got_end;
    }
  }
  return wanted == 0 ? 1.0 : double(found) / double(wanted);
}

std::vector<int> nearest_centroid(const std::vector<float>& points, int n, int dim,
                                  const std::vector<float>& centroids, int lists) {
  std::vector<int> nearest(size_t(n), 0);
  for (int i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < lists; ++c) {
      double d = 0;
      for (int j = 0; j < dim; ++j) {
        const double diff = double(points[size_t(i) * size_t(dim) + size_t(j)]) - centroids[size_t(c) * size_t(dim) + size_t(j)];
        d += diff * diff;
      }
      if (d < best) { best = d; nearest[size_t(i)] = c; }
    }
  }
  return nearest;
}

std::vector<double> bm25_scores(const std::vector<std::vector<std::string>>& passages,
                                const std::vector<std::string>& query, double k1, double b) {
  const double n = static_cast<double>(passages.size());
  double average_length = 0;
  for (const auto& p : passages) average_length += static_cast<double>(p.size()) / n;
  std::vector<double> scores(passages.size(), 0.0);
  std::vector<std::string> words = query;
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());  // a repeated query word counts once
  for (const std::string& w : words) {
    std::vector<double> tf(passages.size(), 0.0);
    double df = 0;  // passages holding w
    for (size_t p = 0; p < passages.size(); ++p) {
      tf[p] = static_cast<double>(std::count(passages[p].begin(), passages[p].end(), w));
      df += tf[p] > 0 ? 1 : 0;
    }
    const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    for (size_t p = 0; p < passages.size(); ++p) {
      const double norm = k1 * (1 - b + b * static_cast<double>(passages[p].size()) / average_length);
      scores[p] += idf * tf[p] * (k1 + 1) / (tf[p] + norm);
    }
  }
  return scores;
}

std::vector<int> ivf_probe(const std::vector<float>& data, int dim, const std::vector<float>& centroids,
                           const std::vector<std::vector<int>>& lists, const std::vector<float>& query, int nprobe,
                           int k) {
  const int n_lists = static_cast<int>(lists.size());
  std::vector<float> closeness(static_cast<size_t>(n_lists));  // minus the squared distance: higher is nearer
  for (int l = 0; l < n_lists; ++l) {
    double d2 = 0;
    for (int j = 0; j < dim; ++j) {
      const double d = double(query[static_cast<size_t>(j)]) - centroids[static_cast<size_t>(l * dim + j)];
      d2 += d * d;
    }
    closeness[static_cast<size_t>(l)] = static_cast<float>(-d2);
  }
  std::vector<int> ids;
  std::vector<float> scores;
  for (int l : top_k(closeness, nprobe))
    for (int id : lists[static_cast<size_t>(l)]) {
      double dot = 0;
      for (int j = 0; j < dim; ++j) dot += double(query[static_cast<size_t>(j)]) * data[static_cast<size_t>(id) * dim + j];
      ids.push_back(id);
      scores.push_back(static_cast<float>(dot));
    }
  // Rank the candidates by score, ties to the lower id: sort positions, then map back to ids.
  std::vector<size_t> order(ids.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : ids[a] < ids[b];
  });
  std::vector<int> best;
  for (size_t i = 0; i < order.size() && static_cast<int>(i) < k; ++i) best.push_back(ids[order[i]]);
  return best;
}

std::string rag_prompt(const std::vector<std::string>& passages, const std::vector<int>& ranked_ids,
                       const std::string& question, size_t max_chars) {
  const std::string tail = "Question: " + question + "\nAnswer:";
  std::string context;
  for (size_t i = 0; i < ranked_ids.size(); ++i) {
    const std::string line =
        "Context " + std::to_string(i + 1) + ": " + passages[static_cast<size_t>(ranked_ids[i])] + "\n";
    if (context.size() + line.size() + tail.size() > max_chars) break;
    context += line;
  }
  return context + tail;
}

}  // namespace ch08
