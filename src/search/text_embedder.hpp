#pragma once
// A passage's vector from word vectors (chapter 02): the weighted mean of its words' vectors, scaled to
// length 1. A query is embedded the same way, which is why an index file keeps the word vectors it was
// built with (index_file.hpp): different vectors would put queries in a different space.
//
// Weights: plain (every word 1) or SIF ("smooth inverse frequency", Arora et al. 2017): a / (a + p(w)),
// where p(w) is the word's share of the indexed text. Frequent words ("the", "of") say little about what a
// passage is about, and SIF turns them down. SIF's second step removes the "common component": means of
// many words all lean the same way (towards the frequent words' direction), which makes every passage look
// alike (cosines of 0.98 between unrelated paragraphs). remove_common_direction() finds that direction (the
// first principal axis of the passages' vectors) and embed() then subtracts each vector's share of it.
// Whether this helps is measured (docs/benchmarks.md, chapters/08_semantic_search).
#include <string>
#include <string_view>
#include <vector>

#include "embed/word_vectors.hpp"

namespace minillm::search {

class TextEmbedder {
 public:
  // words [V] with vectors [V, dim] and a weight per word.
  TextEmbedder(std::vector<std::string> words, std::vector<float> vectors, int dim, std::vector<float> weights);
  // Every word of `vectors` with weight 1.
  static TextEmbedder plain(const embed::WordVectors& vectors);
  // SIF weights a / (a + p(w)), p(w) counted over `text` (words not in it count as seen once).
  static TextEmbedder sif(const embed::WordVectors& vectors, std::string_view text, double a = 1e-3);

  int dim() const { return dim_; }
  int vocabulary_size() const { return static_cast<int>(words_.size()); }
  const std::vector<std::string>& words() const { return words_; }
  const std::vector<float>& vectors() const { return vectors_; }
  const std::vector<float>& weights() const { return weights_; }

  // Into out [dim]: the unit-length weighted mean of the text's known words (split_words of chapter 02),
  // less its share of the common direction if one is set. Returns how many words were known; with none,
  // out is all zeros (it matches nothing).
  int embed(std::string_view text, float* out) const;

  // Finds the direction the texts' vectors share most (the top singular vector of their matrix, by power
  // iteration) and removes it from every later embed(). Texts embed as before until this is called.
  void remove_common_direction(const std::vector<std::string>& texts);
  // [dim], unit length, or empty when no direction is removed.
  const std::vector<float>& common_direction() const { return common_; }
  void set_common_direction(std::vector<float> direction);  // empty, or [dim] of length 1

 private:
  std::vector<std::string> words_;
  std::vector<float> vectors_;  // [V, dim]
  int dim_;
  std::vector<float> weights_;  // [V]
  std::vector<float> common_;   // [dim] or empty
  embed::Vocabulary lookup_;
};

}  // namespace minillm::search
