#include "embed/word_vectors.hpp"

#include <cblas.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::embed {

namespace {

double norm(std::span<const float> x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return std::sqrt(s);
}

}  // namespace

float cosine_similarity(std::span<const float> a, std::span<const float> b) {
  require(a.size() == b.size(), "cosine similarity: the vectors have different lengths ({} and {})", a.size(),
          b.size());
  double dot = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i];
  const double na = norm(a), nb = norm(b);
  require(na > 0 && nb > 0, "cosine similarity of a zero vector is undefined (it has no direction)");
  return static_cast<float>(dot / (na * nb));
}

WordVectors::WordVectors(Vocabulary vocabulary, std::vector<float> vectors, int dim)
    : vocabulary_(std::move(vocabulary)), vectors_(std::move(vectors)), dim_(dim) {
  require(dim >= 1, "word vectors: dim must be at least 1 (got {})", dim);
  require(vectors_.size() == static_cast<size_t>(vocabulary_.size()) * static_cast<size_t>(dim),
          "word vectors: {} numbers for {} words of dim {} (expected {})", vectors_.size(), vocabulary_.size(), dim,
          static_cast<size_t>(vocabulary_.size()) * static_cast<size_t>(dim));
  normalised_ = vectors_;
  for (int i = 0; i < size(); ++i) {
    std::span<float> r(normalised_.data() + static_cast<size_t>(i) * static_cast<size_t>(dim_), static_cast<size_t>(dim_));
    const double n = norm(r);
    if (n > 0)
      for (float& v : r) v = static_cast<float>(v / n);
  }
}

std::span<const float> WordVectors::vector(int index) const {
  require(index >= 0 && index < size(), "word index {} is outside [0, {})", index, size());
  return {vectors_.data() + static_cast<size_t>(index) * static_cast<size_t>(dim_), static_cast<size_t>(dim_)};
}

float WordVectors::similarity(std::string_view a, std::string_view b) const {
  return cosine_similarity(vector(a), vector(b));
}

std::vector<Neighbour> WordVectors::nearest(std::span<const float> query, int k, std::span<const int> exclude) const {
  require(static_cast<int>(query.size()) == dim_, "nearest: the query has {} numbers, the vectors have {}",
          query.size(), dim_);
  require(k >= 1, "nearest: k must be at least 1 (got {})", k);
  const double n = norm(query);
  require(n > 0, "nearest: the query is a zero vector, which has no direction to compare");
  std::vector<float> unit(query.begin(), query.end());
  for (float& v : unit) v = static_cast<float>(v / n);
  // scores[V] = normalised[V, dim] · unit[dim]: every cosine in one BLAS call.
  std::vector<float> scores(static_cast<size_t>(size()));
  cblas_sgemv(CblasRowMajor, CblasNoTrans, size(), dim_, 1.0f, normalised_.data(), dim_, unit.data(), 1, 0.0f,
              scores.data(), 1);
  for (int e : exclude)
    if (e >= 0 && e < size()) scores[static_cast<size_t>(e)] = -INFINITY;
  std::vector<int> order(scores.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const size_t take = std::min(order.size(), static_cast<size_t>(k));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
                    [&](int a, int b) { return scores[size_t(a)] != scores[size_t(b)] ? scores[size_t(a)] > scores[size_t(b)] : a < b; });
  std::vector<Neighbour> result;
  for (size_t i = 0; i < take; ++i) {
    const int index = order[i];
    if (std::isinf(scores[static_cast<size_t>(index)])) break;
    result.push_back({index, vocabulary_.word(index), scores[static_cast<size_t>(index)]});
  }
  return result;
}

std::vector<Neighbour> WordVectors::nearest(std::string_view word, int k) const {
  const int index = vocabulary_.index_of(word);
  const int exclude[] = {index};
  return nearest(vector(index), k, exclude);
}

std::vector<Neighbour> WordVectors::analogy(std::string_view a, std::string_view b, std::string_view c, int k) const {
  const int ia = vocabulary_.index_of(a), ib = vocabulary_.index_of(b), ic = vocabulary_.index_of(c);
  // On unit vectors (as gensim does), so one long vector cannot dominate the sum.
  std::vector<float> query(static_cast<size_t>(dim_));
  const auto unit = [&](int i) { return normalised_.data() + static_cast<size_t>(i) * static_cast<size_t>(dim_); };
  for (int d = 0; d < dim_; ++d) query[size_t(d)] = unit(ia)[d] - unit(ib)[d] + unit(ic)[d];
  const int exclude[] = {ia, ib, ic};
  return nearest(query, k, exclude);
}

void WordVectors::save_text(const std::filesystem::path& path) const {
  write_file_atomically(path, [&](std::ostream& out) {
    out << size() << ' ' << dim_ << '\n';
    for (int i = 0; i < size(); ++i) {
      std::string line = vocabulary_.word(i);
      // {:.9g} round-trips a float exactly, so save-then-load gives the same vectors.
      for (float v : vector(i)) line += fmt::format(" {:.9g}", v);
      line += '\n';
      out << line;
    }
  });
}

WordVectors WordVectors::load_text(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  std::istringstream in(text);
  std::string header;
  require(static_cast<bool>(std::getline(in, header)), "{}: the file is empty; expected a header line \"V dim\"",
          path.string());
  long long V = 0, dim = 0;
  {
    std::istringstream h(header);
    require(static_cast<bool>(h >> V >> dim) && V >= 1 && dim >= 1 && V < (1LL << 31) && dim <= 100000,
            "{}: the first line \"{}\" is not a word2vec text header \"<number of words> <dimensions>\"",
            path.string(), header.substr(0, 80));
  }
  // Every number takes at least 2 bytes (a digit and a space): a header promising more is not this file's.
  require(V * dim <= static_cast<long long>(text.size() / 2),
          "{}: the header promises {} words of {} numbers, more than a file of {} bytes can hold", path.string(), V,
          dim, text.size());
  std::vector<std::string> words;
  std::vector<float> vectors;
  words.reserve(static_cast<size_t>(V));
  vectors.reserve(static_cast<size_t>(V * dim));
  std::string line;
  for (long long i = 0; i < V; ++i) {
    require(static_cast<bool>(std::getline(in, line)), "{}: the header promises {} words but the file ends after {}",
            path.string(), V, i);
    const char* p = line.data();
    const char* end = p + line.size();
    const char* space = std::find(p, end, ' ');
    words.emplace_back(p, space);
    p = space;
    for (long long d = 0; d < dim; ++d) {
      while (p < end && *p == ' ') ++p;
      require(p < end, "{}: line {} (word \"{}\") has {} numbers where the header says {}", path.string(), i + 2,
              words.back(), d, dim);
      float v = 0;
      const auto [next, ec] = std::from_chars(p, end, v);
      const char* token_end = std::find(p, end, ' ');
      require(ec == std::errc() && (next == token_end || *next == '\r') && std::isfinite(v),
              "{}: line {} (word \"{}\"): number {} is \"{}\", not a finite float", path.string(), i + 2,
              words.back(), d + 1, std::string(p, token_end).substr(0, 40));
      vectors.push_back(v);
      p = next;
    }
    while (p < end && (*p == ' ' || *p == '\r')) ++p;
    require(p == end, "{}: line {} (word \"{}\") has more than {} numbers", path.string(), i + 2, words.back(), dim);
  }
  while (std::getline(in, line))
    require(line.find_first_not_of(" \r") == std::string::npos,
            "{}: the header promises {} words, but the file has more lines after them", path.string(), V);
  return WordVectors(Vocabulary::from_words(std::move(words)), std::move(vectors), static_cast<int>(dim));
}

}  // namespace minillm::embed
