#pragma once
// The heart of BPE encoding: turn one piece's bytes into tokens by repeatedly merging the adjacent pair
// whose merged token has the lowest rank (= the smallest id: the merge learned first). Among equal ranks
// the leftmost pair merges first, exactly as tiktoken does.
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/pair_map.hpp"

namespace minillm {

// Appends the ids of `piece` to `out`. byte_ids[b] is the token of the single byte b; pairs says which
// adjacent tokens merge into which.
//
// Short pieces (almost all of them) use a plain scan of a small array, like tiktoken. Long ones (a
// megabyte with no spaces) use a doubly linked list plus a min-heap of candidate merges whose stale
// entries are skipped when popped: O(n log n) instead of tiktoken's O(n^2).
void bpe_merge(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);

// The two strategies, exposed so tests can check they agree.
void bpe_merge_scan(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);
void bpe_merge_heap(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);

}  // namespace minillm
