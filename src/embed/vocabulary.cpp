#include "embed/vocabulary.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"

namespace minillm::embed {

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower >= 'a' && lower <= 'z') {
      current += lower;
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

Vocabulary Vocabulary::count(const std::vector<std::string>& words, int min_count) {
  require(min_count >= 1, "min_count must be at least 1 (got {})", min_count);
  std::unordered_map<std::string, int64_t> counts;
  for (const std::string& w : words) ++counts[w];
  std::vector<std::pair<std::string, int64_t>> kept;
  for (auto& [word, n] : counts)
    if (n >= min_count) kept.emplace_back(word, n);
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  require(!kept.empty(),
          "no word occurs at least {} times in the {} words of the text: use a longer text or a smaller min_count",
          min_count, words.size());
  Vocabulary v;
  v.min_count_ = min_count;
  for (auto& [word, n] : kept) {
    v.index_.emplace(word, static_cast<int>(v.words_.size()));
    v.words_.push_back(word);
    v.counts_.push_back(n);
    v.total_ += n;
  }
  return v;
}

Vocabulary Vocabulary::from_words(std::vector<std::string> words) {
  Vocabulary v;
  v.min_count_ = 0;  // unknown: the file does not say
  for (std::string& w : words) {
    require(!v.index_.contains(w), "the word \"{}\" appears twice in the vocabulary", w);
    v.index_.emplace(w, static_cast<int>(v.words_.size()));
    v.words_.push_back(std::move(w));
    v.counts_.push_back(1);
  }
  v.total_ = static_cast<int64_t>(v.words_.size());
  return v;
}

int Vocabulary::find(std::string_view word) const {
  auto it = index_.find(std::string(word));
  return it == index_.end() ? -1 : it->second;
}

int Vocabulary::index_of(std::string_view word) const {
  const int index = find(word);
  if (index < 0 && min_count_ == 0)
    fail("\"{}\" is not in the vocabulary ({} words): words are lowercase a-z only, and the file holds only the "
         "words the trainer kept (those seen at least min_count times)",
         word, words_.size());
  if (index < 0)
    fail("\"{}\" is not in the vocabulary ({} words): words are lowercase a-z only, and words seen fewer than "
         "min_count = {} times in the training text get no vector",
         word, words_.size(), min_count_);
  return index;
}

std::vector<int32_t> Vocabulary::encode(const std::vector<std::string>& words) const {
  std::vector<int32_t> ids;
  ids.reserve(words.size());
  for (const std::string& w : words)
    if (const int index = find(w); index >= 0) ids.push_back(index);
  return ids;
}

}  // namespace minillm::embed
