#pragma once
// recall@k: how much of the true answer an approximate search found. For each query, the share of the
// exact top-k (the flat index's) that the approximate top-k also holds, averaged over the queries.
// 1.0 means nothing was missed; 0.9 means one true neighbour in ten was.
#include <cstdint>

#include "search/flat_index.hpp"

namespace minillm::search {

// Both results must hold the same number of queries; k is the first k of each (k <= both results' k).
double recall_at_k(const SearchResults& exact, const SearchResults& approximate, int k);

}  // namespace minillm::search
