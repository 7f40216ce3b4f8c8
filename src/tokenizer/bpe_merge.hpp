#pragma once
// The heart of BPE encoding, in its plain form: turn one piece's bytes into tokens by repeatedly merging
// the adjacent pair whose merged token has the lowest rank (= the smallest id: the merge learned first).
// Among equal ranks the leftmost pair merges first, exactly as tiktoken does.
//
// This is the definition (and what chapter 01 teaches). Encoding a whole text goes through
// tokenizer/encode_speed.hpp, which calls it for short pieces and adds the fast paths around it.
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/pair_map.hpp"

namespace minillm {

// Appends the ids of `piece` to `out`. byte_ids[b] is the token of the single byte b; pairs says which
// adjacent tokens merge into which. Each round scans every adjacent pair: O(n^2) for n bytes.
void bpe_merge_scan(std::string_view piece, const int32_t* byte_ids, const PairMap& pairs, std::vector<int32_t>& out);

}  // namespace minillm
