#pragma once
// Keeping the k best of many scores without sorting them all. A search scores every vector in the index
// (100,000 of them, say) but returns only the best k (10): a heap of size k whose root is the worst kept
// hit decides, for each new score, in one comparison whether it can enter. Sorting all n scores would
// cost n log n; the heap costs n comparisons plus log k work for the few that enter.
//
// "Better" is total, so results are exact and reproducible: a higher score wins, and of two equal scores
// the lower id wins (the order a plain scan from id 0 would keep).
#include <cstdint>
#include <vector>

namespace minillm::search {

struct Hit {
  int64_t id = -1;
  float score = 0;
};

// a ranks before b.
inline bool better(const Hit& a, const Hit& b) { return a.score > b.score || (a.score == b.score && a.id < b.id); }

class TopK {
 public:
  explicit TopK(int k);

  // Offers one hit; kept if fewer than k are held or it is better than the worst held.
  void push(int64_t id, float score) {
    if (size_ == k_ && !(score > heap_[0].score || (score == heap_[0].score && id < heap_[0].id))) return;
    insert({id, score});
  }
  // Offers scores[0..n) as the hits first_id, first_id + 1, ... (one row of a block of scores).
  void push_row(const float* scores, int64_t n, int64_t first_id);
  // Offers every hit another TopK holds (merging the results of two halves of the index).
  void merge(const TopK& other);

  int k() const { return k_; }
  int size() const { return size_; }
  // The hits, best first. Leaves the TopK empty.
  std::vector<Hit> take_sorted();

 private:
  void insert(Hit hit);
  int k_;
  int size_ = 0;
  std::vector<Hit> heap_;  // [k]: a binary heap with the worst hit at the root
};

}  // namespace minillm::search
