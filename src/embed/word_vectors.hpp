#pragma once
// A vocabulary with one vector per word, and the questions asked of it: how similar are two words
// (cosine), which words are nearest to this one, and analogies (king - man + woman ≈ queen).
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "embed/vocabulary.hpp"

namespace minillm::embed {

// cos(a, b) = a·b / (|a| |b|), in [-1, 1]: 1 same direction, 0 unrelated (orthogonal), -1 opposite.
// A zero vector has no direction: an Error.
float cosine_similarity(std::span<const float> a, std::span<const float> b);

struct Neighbour {
  int index;
  std::string word;
  float similarity;
};

class WordVectors {
 public:
  // vectors is [vocabulary.size(), dim].
  WordVectors(Vocabulary vocabulary, std::vector<float> vectors, int dim);

  int size() const { return vocabulary_.size(); }
  int dim() const { return dim_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  std::span<const float> vector(int index) const;
  std::span<const float> vector(std::string_view word) const { return vector(vocabulary_.index_of(word)); }
  float similarity(std::string_view a, std::string_view b) const;

  // The k words whose vectors have the highest cosine with `query` (any length dim), excluding `exclude`.
  // One matrix-vector product (BLAS sgemv) over the row-normalised table scores every word at once.
  std::vector<Neighbour> nearest(std::span<const float> query, int k, std::span<const int> exclude = {}) const;
  std::vector<Neighbour> nearest(std::string_view word, int k) const;
  // a - b + c: "man is to king as woman is to ?" is analogy("king", "man", "woman").
  std::vector<Neighbour> analogy(std::string_view a, std::string_view b, std::string_view c, int k) const;

  // word2vec's text format: a header "V dim", then one line per word: the word and dim numbers.
  // gensim reads it with KeyedVectors.load_word2vec_format(path, binary=False).
  void save_text(const std::filesystem::path& path) const;
  static WordVectors load_text(const std::filesystem::path& path);

 private:
  Vocabulary vocabulary_;
  std::vector<float> vectors_;     // [V, dim]
  std::vector<float> normalised_;  // [V, dim], rows of length 1 (zero rows stay zero)
  int dim_;
};

}  // namespace minillm::embed
