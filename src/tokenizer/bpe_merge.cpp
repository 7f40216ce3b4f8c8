#include "tokenizer/bpe_merge.hpp"

#include <climits>
#include <queue>

namespace minillm {

namespace {
constexpr size_t kScanLimit = 128;  // above this many bytes the heap wins
constexpr int32_t kNoMerge = INT32_MAX;
}  // namespace

// lesson: merge_scan
void bpe_merge_scan(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out) {
  // Start with one token per byte (in place at the end of `out`, so there is no allocation).
  const size_t first = out.size();
  for (unsigned char byte : piece) out.push_back(byte_ids[byte]);
  size_t count = piece.size();
  int32_t* ids = out.data() + first;
  while (count >= 2) {
    // Find the pair whose merged token was learned first (lowest id); leftmost on ties.
    int32_t best = kNoMerge;
    size_t best_at = 0;
    for (size_t i = 0; i + 1 < count; ++i) {
      const int32_t merged = pairs.find(ids[i], ids[i + 1]);
      if (merged != PairMap::kNone && merged < best) {
        best = merged;
        best_at = i;
      }
    }
    if (best == kNoMerge) break;  // nothing left to merge
    // Replace the pair by the merged token and close the gap.
    ids[best_at] = best;
    for (size_t i = best_at + 1; i + 1 < count; ++i) ids[i] = ids[i + 1];
    --count;
  }
  out.resize(first + count);
}
// end lesson: merge_scan

void bpe_merge_heap(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out) {
  const int n = static_cast<int>(piece.size());
  std::vector<int32_t> id(n);
  std::vector<int> next(n), prev(n);  // linked list over start positions; -1 ends it
  for (int i = 0; i < n; ++i) {
    id[i] = byte_ids[static_cast<unsigned char>(piece[i])];
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // Candidate merge of the token starting at `at` with its right neighbour. Ordered by (rank, position),
  // so the heap pops exactly the pair the scan would choose.
  struct Candidate {
    int32_t rank;
    int at;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : at > o.at; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto consider = [&](int at) {
    if (at < 0 || next[at] < 0) return;
    const int32_t merged = pairs.find(id[at], id[next[at]]);
    if (merged != PairMap::kNone) heap.push({merged, at});
  };
  std::vector<char> alive(n, 1);
  for (int i = 0; i + 1 < n; ++i) consider(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    // Stale if the token at c.at was absorbed, or its pair has changed since the entry was pushed.
    if (!alive[c.at] || next[c.at] < 0 || pairs.find(id[c.at], id[next[c.at]]) != c.rank) continue;
    const int right = next[c.at];
    id[c.at] = c.rank;
    alive[right] = 0;
    next[c.at] = next[right];
    if (next[right] >= 0) prev[next[right]] = c.at;
    consider(prev[c.at]);
    consider(c.at);
  }
  for (int i = 0; i >= 0 && i < n; i = next[i]) out.push_back(id[i]);
}

void bpe_merge(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out) {
  if (piece.size() <= kScanLimit) {
    bpe_merge_scan(piece, byte_ids, pairs, out);
  } else {
    bpe_merge_heap(piece, byte_ids, pairs, out);
  }
}

}  // namespace minillm
