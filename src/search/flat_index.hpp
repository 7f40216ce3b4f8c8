#pragma once
// The flat (exact) index: every vector in one [n, dim] matrix, and a search that scores the query against
// all of them. Nothing is approximated, so it is the reference every faster index is measured against
// (recall@k, recall.hpp), and with n up to a few hundred thousand it is fast enough by itself.
//
// The score is the dot product. Store unit vectors (normalise_rows) and it is the cosine similarity.
//
// How a search runs (flat_index.cpp):
//   many queries: blocks of queries times blocks of the matrix through BLAS sgemm, each block of scores
//                 fed row by row into a TopK per query (a partial top-k, never a full sort);
//   one query:    the matrix is cut into one slice per thread; each thread scores its slice (sgemv) and
//                 keeps its own TopK; the TopKs are merged at the end.
// Both read the matrix once per block of queries, which is what limits a flat scan: memory bandwidth.
#include <cstdint>
#include <vector>

#include "search/topk.hpp"

namespace minillm::search {

// The answers to nq queries, k each, row-major: ids[q * k + r] is query q's r-th best (r = 0 is best).
// When the index holds fewer than k vectors, the missing places have id -1 and score -infinity.
struct SearchResults {
  int64_t queries = 0;
  int k = 0;
  std::vector<int64_t> ids;
  std::vector<float> scores;
  void resize(int64_t nq, int k_per_query);
  void set(int64_t query, const std::vector<Hit>& hits);  // hits best first, at most k
};

class FlatIndex {
 public:
  explicit FlatIndex(int dim);

  int dim() const { return dim_; }
  int64_t size() const { return static_cast<int64_t>(vectors_.size()) / dim_; }
  const float* data() const { return vectors_.data(); }
  const float* vector(int64_t id) const { return vectors_.data() + id * dim_; }

  // Appends vectors [n, dim]; they get the ids size() .. size() + n - 1.
  void add(const float* vectors, int64_t n);

  // The k best vectors for each of queries [nq, dim], by dot product; ties go to the lower id.
  // The plain form, the definition: for each query, the dot product with every vector in id order, each
  // offered to a TopK. What the lesson quotes and the tests trust.
  SearchResults search_plain(const float* queries, int64_t nq, int k) const;
  // The fast form, the same results: blocks of queries and rows through BLAS sgemm, slices of the rows
  // on the threads (num_threads(), core/threads.hpp, with BLAS held to each calling thread).
  // tests/unit/search/test_flat_index.cpp holds the two equal.
  SearchResults search(const float* queries, int64_t nq, int k) const;

 private:
  int dim_;
  std::vector<float> vectors_;  // [size(), dim]
};

// Scores rows [begin, end) of matrix [*, dim] against queries [nq, dim] and offers them to tops[0..nq),
// in blocks through sgemm. BLAS runs on the calling thread's share (the caller decides the threading).
// Shared by the flat index and the IVF index's lists.
void scan_rows(const float* matrix, int dim, int64_t begin, int64_t end, const float* queries, int64_t nq,
               TopK* tops, const int64_t* ids = nullptr);

}  // namespace minillm::search
