#include "search/recall.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace minillm::search {

double recall_at_k(const SearchResults& exact, const SearchResults& approximate, int k) {
  require(exact.queries == approximate.queries, "recall: {} exact answers but {} approximate ones", exact.queries,
          approximate.queries);
  require(k >= 1 && k <= exact.k && k <= approximate.k, "recall@{}: both results need at least {} hits per query", k, k);
  if (exact.queries == 0) return 1.0;
  int64_t found = 0, wanted = 0;
  for (int64_t q = 0; q < exact.queries; ++q) {
    const int64_t* truth = exact.ids.data() + q * exact.k;
    const int64_t* got = approximate.ids.data() + q * approximate.k;
    for (int i = 0; i < k; ++i) {
      if (truth[i] < 0) continue;  // the index had fewer than k vectors
      ++wanted;
      found += std::find(got, got + k, truth[i]) != got + k;
    }
  }
  return wanted == 0 ? 1.0 : double(found) / double(wanted);
}

}  // namespace minillm::search
