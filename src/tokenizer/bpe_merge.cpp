#include "tokenizer/bpe_merge.hpp"

#include <climits>

namespace minillm {

namespace {
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

}  // namespace minillm
