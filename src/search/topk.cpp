#include "search/topk.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace minillm::search {

namespace {
// The heap keeps the worst hit on top: "less" for std heap functions means "ranks before".
bool ranks_before(const Hit& a, const Hit& b) { return better(a, b); }
}  // namespace

TopK::TopK(int k) : k_(k), heap_(static_cast<size_t>(k)) {
  require(k >= 1, "k must be at least 1 (how many results to keep), got {}", k);
}

void TopK::insert(Hit hit) {
  if (size_ < k_) {
    heap_[size_t(size_++)] = hit;
    std::push_heap(heap_.begin(), heap_.begin() + size_, ranks_before);
    return;
  }
  std::pop_heap(heap_.begin(), heap_.begin() + size_, ranks_before);
  heap_[size_t(size_ - 1)] = hit;
  std::push_heap(heap_.begin(), heap_.begin() + size_, ranks_before);
}

void TopK::push_row(const float* scores, int64_t n, int64_t first_id) {
  int64_t i = 0;
  for (; i < n && size_ < k_; ++i) insert({first_id + i, scores[i]});
  // Within a row ids only grow, so an equal score never beats the root: a strict > is the whole test.
  float threshold = size_ == k_ ? heap_[0].score : 0;
  for (; i < n; ++i) {
    if (scores[i] > threshold || (scores[i] == threshold && first_id + i < heap_[0].id)) {
      insert({first_id + i, scores[i]});
      threshold = heap_[0].score;
    }
  }
}

void TopK::merge(const TopK& other) {
  for (int i = 0; i < other.size_; ++i) push(other.heap_[size_t(i)].id, other.heap_[size_t(i)].score);
}

std::vector<Hit> TopK::take_sorted() {
  std::vector<Hit> hits(heap_.begin(), heap_.begin() + size_);
  std::sort(hits.begin(), hits.end(), better);
  size_ = 0;
  return hits;
}

}  // namespace minillm::search
