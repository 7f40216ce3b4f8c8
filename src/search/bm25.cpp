#include "search/bm25.hpp"

#include <cmath>

#include "embed/vocabulary.hpp"

namespace minillm::search {

Bm25::Bm25(const std::vector<std::string>& passages, double k1, double b) : k1_(k1), b_(b) {
  double total = 0;
  for (size_t p = 0; p < passages.size(); ++p) {
    std::unordered_map<std::string, int> counts;
    const std::vector<std::string> words = embed::split_words(passages[p]);
    for (const std::string& w : words) ++counts[w];
    for (const auto& [w, c] : counts) postings_[w].push_back({static_cast<int>(p), c});
    lengths_.push_back(static_cast<int>(words.size()));
    total += double(words.size());
  }
  average_length_ = passages.empty() ? 1 : std::max(1.0, total / double(passages.size()));
}

std::vector<Hit> Bm25::search(std::string_view query, int k) const {
  std::vector<float> scores(lengths_.size(), 0.0f);
  const double n = double(lengths_.size());
  std::unordered_map<std::string, int> seen;
  for (const std::string& w : embed::split_words(query)) {
    if (seen[w]++ > 0) continue;  // a repeated query word counts once
    const auto it = postings_.find(w);
    if (it == postings_.end()) continue;
    const double df = double(it->second.size());
    const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    for (const Posting& p : it->second) {
      const double tf = p.count;
      const double norm = k1_ * (1 - b_ + b_ * lengths_[size_t(p.passage)] / average_length_);
      scores[size_t(p.passage)] += static_cast<float>(idf * tf * (k1_ + 1) / (tf + norm));
    }
  }
  TopK top(k);
  top.push_row(scores.data(), int64_t(scores.size()), 0);
  return top.take_sorted();
}

}  // namespace minillm::search
