#pragma once
// BM25, the classic keyword search (Robertson and Zaragoza), as the baseline a meaning-based search must
// beat. A passage scores for each query word it contains: more for rare words (idf), more for repeats but
// with diminishing returns (k1), less in long passages (b).
//   score(q, p) = sum over query words w in p of idf(w) * tf (k1 + 1) / (tf + k1 (1 - b + b |p| / avg|p|))
//   idf(w) = ln(1 + (N - n(w) + 0.5) / (n(w) + 0.5))
// Words are chapter 02's (split_words: lowercase a-z runs).
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/topk.hpp"

namespace minillm::search {

class Bm25 {
 public:
  explicit Bm25(const std::vector<std::string>& passages, double k1 = 1.2, double b = 0.75);
  // The k best passages for the query, best first (ties: the lower id).
  std::vector<Hit> search(std::string_view query, int k) const;

 private:
  struct Posting {
    int passage;
    int count;
  };
  std::unordered_map<std::string, std::vector<Posting>> postings_;
  std::vector<int> lengths_;
  double average_length_ = 0;
  double k1_, b_;
};

}  // namespace minillm::search
