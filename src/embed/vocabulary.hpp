#pragma once
// Words for word2vec: the text is cut into lowercase ASCII words (runs of letters a-z after lowercasing;
// everything else, digits and apostrophes included, separates words), then counted. Words seen fewer than
// min_count times are dropped: a vector trained from two sightings is noise.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace minillm::embed {

// "The whale's jaw!" -> {"the", "whale", "s", "jaw"}
std::vector<std::string> split_words(std::string_view text);

class Vocabulary {
 public:
  // Words ordered by count, most frequent first (ties alphabetical), so row 0 is the most common word.
  static Vocabulary count(const std::vector<std::string>& words, int min_count);
  // A vocabulary read from a file of vectors (counts unknown: all 1).
  static Vocabulary from_words(std::vector<std::string> words);

  int size() const { return static_cast<int>(words_.size()); }
  const std::string& word(int index) const { return words_.at(static_cast<size_t>(index)); }
  const std::vector<std::string>& words() const { return words_; }
  int64_t count_of(int index) const { return counts_.at(static_cast<size_t>(index)); }
  int64_t total_count() const { return total_; }

  // -1 if the word is not in the vocabulary.
  int find(std::string_view word) const;
  // The index, or an Error saying the word is unknown and why that happens.
  int index_of(std::string_view word) const;

  // The text's words as row indices; words not in the vocabulary are skipped (as word2vec does).
  std::vector<int32_t> encode(const std::vector<std::string>& words) const;

 private:
  std::vector<std::string> words_;
  std::vector<int64_t> counts_;
  int64_t total_ = 0;
  std::unordered_map<std::string, int> index_;
  int min_count_ = 1;
};

}  // namespace minillm::embed
