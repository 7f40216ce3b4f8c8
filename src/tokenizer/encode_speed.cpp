#include "tokenizer/encode_speed.hpp"

#include <queue>

#include "tokenizer/bpe_merge.hpp"

namespace minillm {

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

bool PieceCache::append_cached(std::string_view piece, std::vector<int32_t>& out) const {
  const int32_t slot = slots_.find(piece);
  if (slot == BytesMap::kNone) return false;
  const auto [start, count] = spans_[static_cast<size_t>(slot)];
  out.insert(out.end(), ids_.begin() + start, ids_.begin() + start + count);
  return true;
}

void PieceCache::remember(std::string_view piece, const std::vector<int32_t>& out, size_t from) {
  slots_.insert(piece, static_cast<int32_t>(spans_.size()));
  spans_.emplace_back(static_cast<uint32_t>(ids_.size()), static_cast<uint32_t>(out.size() - from));
  ids_.insert(ids_.end(), out.begin() + static_cast<std::ptrdiff_t>(from), out.end());
}

}  // namespace minillm
