#pragma once
// A token id is not a number you do arithmetic with, and it is certainly not a vector: it is the index of
// a row in the embedding table. A distinct type makes "passed the ids where the vectors were expected"
// a compile error instead of a silent bug. Zero cost: it is an int32 in memory.
#include <cstdint>
#include <span>
#include <vector>

namespace minillm {

enum class TokenId : int32_t {};

constexpr TokenId token_id(int64_t value) { return static_cast<TokenId>(static_cast<int32_t>(value)); }
constexpr int32_t to_int(TokenId id) { return static_cast<int32_t>(id); }

using TokenIds = std::vector<TokenId>;

}  // namespace minillm
