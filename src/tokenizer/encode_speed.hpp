#pragma once
// SPEED LAYER of encoding (read tokenizer/bpe_merge.hpp first: bpe_merge_scan is the whole idea).
//
// Encoding calls the merge once per piece of text, millions of times for a book. None of this changes
// which ids come out (tests/unit/tokenizer checks the heap against the scan, and gpt2 ids against
// tiktoken's); it only makes encoding fast:
//   bpe_merge     the size switch: the plain scan for short pieces (almost all of them), the heap merge
//                 for long ones (a megabyte with no spaces would take the scan O(n^2))
//   PieceCache    text repeats its words: each distinct piece is merged once per call, then copied
// The hash tables they consult (PairMap, BytesMap) are speed machinery too: see pair_map.hpp, bytes_map.hpp.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/bytes_map.hpp"
#include "tokenizer/pair_map.hpp"

namespace minillm {

// Same result as bpe_merge_scan, in O(n log n): a doubly linked list of tokens plus a min-heap of
// candidate merges, whose stale entries are skipped when popped.
void bpe_merge_heap(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);

// bpe_merge_scan for pieces of up to kScanLimit bytes, bpe_merge_heap beyond.
inline constexpr size_t kScanLimit = 128;
void bpe_merge(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);

// The ids of every piece merged so far in one encode call. The pieces are views into the text being
// encoded, which must outlive the cache.
class PieceCache {
 public:
  // Appends the cached ids of `piece` to `out` and returns true, or returns false if it is not cached.
  bool append_cached(std::string_view piece, std::vector<int32_t>& out) const;
  // Remembers out[from..] as the ids of `piece`.
  void remember(std::string_view piece, const std::vector<int32_t>& out, size_t from);

 private:
  BytesMap slots_;                                   // piece -> index into spans_
  std::vector<std::pair<uint32_t, uint32_t>> spans_;  // (start, count) in ids_
  std::vector<int32_t> ids_;
};

}  // namespace minillm
