#include "search/text_embedder.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/error.hpp"
#include "search/vectors.hpp"

namespace minillm::search {

TextEmbedder::TextEmbedder(std::vector<std::string> words, std::vector<float> vectors, int dim,
                           std::vector<float> weights)
    : words_(std::move(words)), vectors_(std::move(vectors)), dim_(dim), weights_(std::move(weights)),
      lookup_(embed::Vocabulary::from_words(words_)) {
  require(dim_ >= 1 && vectors_.size() == words_.size() * size_t(dim_) && weights_.size() == words_.size(),
          "text embedder: {} words need {} numbers and {} weights (got {} and {})", words_.size(),
          words_.size() * size_t(std::max(dim_, 0)), words_.size(), vectors_.size(), weights_.size());
}

TextEmbedder TextEmbedder::plain(const embed::WordVectors& vectors) {
  std::vector<float> table;
  table.reserve(size_t(vectors.size()) * size_t(vectors.dim()));
  for (int i = 0; i < vectors.size(); ++i) {
    const auto v = vectors.vector(i);
    table.insert(table.end(), v.begin(), v.end());
  }
  return TextEmbedder(vectors.vocabulary().words(), std::move(table), vectors.dim(),
                      std::vector<float>(size_t(vectors.size()), 1.0f));
}

TextEmbedder TextEmbedder::sif(const embed::WordVectors& vectors, std::string_view text, double a) {
  TextEmbedder e = plain(vectors);
  std::unordered_map<int, int64_t> counts;
  int64_t total = 0;
  for (const std::string& w : embed::split_words(text)) {
    ++total;
    const int i = e.lookup_.find(w);
    if (i >= 0) ++counts[i];
  }
  for (int i = 0; i < e.vocabulary_size(); ++i) {
    const auto it = counts.find(i);
    const double p = double(it == counts.end() ? 1 : it->second) / double(std::max<int64_t>(total, 1));
    e.weights_[size_t(i)] = static_cast<float>(a / (a + p));
  }
  return e;
}

// lesson: embed_text
int TextEmbedder::embed(std::string_view text, float* out) const {
  std::vector<double> sum(static_cast<size_t>(dim_), 0.0);
  int known = 0;
  for (const std::string& word : embed::split_words(text)) {
    const int i = lookup_.find(word);
    if (i < 0) continue;  // a word the vectors never saw has no meaning to add
    ++known;
    const float* v = vectors_.data() + size_t(i) * size_t(dim_);
    for (int j = 0; j < dim_; ++j) sum[size_t(j)] += double(weights_[size_t(i)]) * v[j];
  }
  if (!common_.empty()) {  // remove the share of the direction every passage leans towards
    double along = 0;
    for (int j = 0; j < dim_; ++j) along += sum[size_t(j)] * common_[size_t(j)];
    for (int j = 0; j < dim_; ++j) sum[size_t(j)] -= along * common_[size_t(j)];
  }
  for (int j = 0; j < dim_; ++j) out[j] = static_cast<float>(sum[size_t(j)]);
  normalise_rows(out, 1, dim_);  // the mean's length does not matter for cosine: only its direction
  return known;
}
// end lesson: embed_text

void TextEmbedder::set_common_direction(std::vector<float> direction) {
  require(direction.empty() || direction.size() == size_t(dim_), "the common direction needs {} numbers, got {}",
          dim_, direction.size());
  if (!direction.empty()) {
    const double length = l2_norm(direction);
    require(std::abs(length - 1) < 1e-3, "the common direction must have length 1 (it has {})", length);
  }
  common_ = std::move(direction);
}

void TextEmbedder::remove_common_direction(const std::vector<std::string>& texts) {
  common_.clear();
  const size_t d = size_t(dim_);
  std::vector<double> gram(d * d, 0.0);  // XᵀX over the texts' unit vectors
  std::vector<float> v(d);
  for (const std::string& text : texts) {
    if (embed(text, v.data()) == 0) continue;
    for (size_t a = 0; a < d; ++a)
      for (size_t b = 0; b < d; ++b) gram[a * d + b] += double(v[a]) * v[b];
  }
  std::vector<double> u(d, 1.0 / std::sqrt(double(d))), next(d);
  for (int step = 0; step < 200; ++step) {  // power iteration: u converges to XᵀX's top eigenvector
    for (size_t a = 0; a < d; ++a) {
      next[a] = 0;
      for (size_t b = 0; b < d; ++b) next[a] += gram[a * d + b] * u[b];
    }
    double length = 0;
    for (double x : next) length += x * x;
    length = std::sqrt(length);
    if (length == 0) return;  // no text had a known word: nothing to remove
    for (size_t a = 0; a < d; ++a) u[a] = next[a] / length;
  }
  std::vector<float> direction(u.begin(), u.end());
  normalise_rows(direction.data(), 1, dim_);
  common_ = std::move(direction);
}

}  // namespace minillm::search
