#pragma once
// The approximate index IVF ("inverted file"): k-means (chapter 02) cuts the vectors into `lists` groups
// around centroids; a search scores the query against the centroids first, then scans only the vectors of
// the `nprobe` nearest groups. It reads about nprobe / lists of the matrix instead of all of it, and misses
// a true neighbour only when that neighbour lives in a group the query did not probe: recall@k
// (recall.hpp) against the flat index says how often.
//
// Structure is what IVF exploits. On uniform random vectors every group is as near as every other and a
// search must probe most of them to find the true neighbours; on clustered data (real embeddings are) a
// few groups hold them.
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "search/flat_index.hpp"

namespace minillm::search {

// The nearest centroid (Euclidean) of each of points [n, dim] among centroids [lists, dim], through one
// sgemm per block: |x - c|² = |x|² - 2 x·c + |c|², and |x|² is the same for every c, so the nearest c is the
// one with the largest x·c - |c|²/2. Ties go to the lower centroid.
std::vector<int32_t> assign_to_centroids(const float* points, int64_t n, const float* centroids, int lists,
                                         int dim);

class IvfIndex {
 public:
  // Trains centroids with embed::kmeans on a random sample of the index's vectors (at most
  // sample_per_list per list, since k-means costs n * lists * dim per iteration), then puts every vector
  // into the list of its nearest centroid.
  static IvfIndex train(const FlatIndex& flat, int lists, Rng& rng, int sample_per_list = 40,
                        int kmeans_iterations = 12);
  // An index from centroids and each vector's list (as saved in an index file).
  IvfIndex(const FlatIndex& flat, std::vector<float> centroids, std::vector<int32_t> assignment);

  int dim() const { return dim_; }
  int lists() const { return lists_; }
  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  const std::vector<float>& centroids() const { return centroids_; }
  const std::vector<int32_t>& assignment() const { return assignment_; }
  int64_t list_size(int list) const { return offsets_[size_t(list) + 1] - offsets_[size_t(list)]; }

  // The k best of each query among the vectors of its nprobe nearest lists (1 <= nprobe <= lists; with
  // nprobe = lists it is exact). Lists are scanned in parallel (num_threads()), each against all the
  // queries that probe it in one sgemm.
  SearchResults search(const float* queries, int64_t nq, int k, int nprobe) const;

 private:
  std::vector<int32_t> nearest_lists(const float* centroid_scores, int nprobe) const;
  void scan_list(int list, const std::vector<int64_t>& probing, const float* queries, std::vector<TopK>& tops) const;
  int dim_ = 0;
  int lists_ = 0;
  std::vector<float> centroids_;       // [lists, dim]
  std::vector<float> half_norms_;      // [lists]: |c|² / 2
  std::vector<int32_t> assignment_;    // [n]: each vector's list
  std::vector<int64_t> offsets_;       // [lists + 1]: list l is rows offsets[l] .. offsets[l+1] below
  std::vector<int64_t> ids_;           // [n]: the id of each row, lists one after the other
  std::vector<float> vectors_;         // [n, dim]: the vectors in that order, so each list is contiguous
};

}  // namespace minillm::search
