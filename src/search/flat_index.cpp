#include "search/flat_index.hpp"

#include <algorithm>
#include <limits>

#include <cblas.h>
#include <omp.h>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace minillm::search {

namespace {

// Rows of the matrix scored per block: 512 rows x 128 floats is 256 KB, which stays in cache while every
// block of queries is multiplied with it, so the matrix is read from memory once per search.
constexpr int64_t kRowBlock = 512;
// Queries per sgemm: the block of scores (256 x 512 floats, 512 KB) is read back at once by the top-k.
constexpr int64_t kQueryBlock = 256;

}  // namespace

void SearchResults::resize(int64_t nq, int k_per_query) {
  queries = nq;
  k = k_per_query;
  ids.assign(static_cast<size_t>(nq * k), -1);
  scores.assign(static_cast<size_t>(nq * k), -std::numeric_limits<float>::infinity());
}

void SearchResults::set(int64_t query, const std::vector<Hit>& hits) {
  for (size_t r = 0; r < hits.size() && r < size_t(k); ++r) {
    ids[size_t(query * k) + r] = hits[r].id;
    scores[size_t(query * k) + r] = hits[r].score;
  }
}

FlatIndex::FlatIndex(int dim) : dim_(dim) {
  require(dim >= 1, "an index needs vectors of at least 1 dimension, got {}", dim);
}

void FlatIndex::add(const float* vectors, int64_t n) {
  require(n >= 0, "cannot add {} vectors", n);
  vectors_.insert(vectors_.end(), vectors, vectors + n * dim_);
}

// lesson: flat_search_plain
SearchResults FlatIndex::search_plain(const float* queries, int64_t nq, int k) const {
  require(nq >= 0, "cannot search {} queries", nq);
  require(k >= 1, "k must be at least 1 (how many results per query), got {}", k);
  SearchResults results;
  results.resize(nq, k);
  for (int64_t q = 0; q < nq; ++q) {
    const float* query = queries + q * dim_;
    TopK top(k);
    for (int64_t id = 0; id < size(); ++id) {
      const float* v = vector(id);
      float score = 0.0f;
      for (int i = 0; i < dim_; ++i) score += query[i] * v[i];
      top.push(id, score);  // kept if it beats the worst of the k held so far
    }
    results.set(q, top.take_sorted());
  }
  return results;
}
// end lesson: flat_search_plain

// lesson: scan_rows
void scan_rows(const float* matrix, int dim, int64_t begin, int64_t end, const float* queries, int64_t nq,
               TopK* tops, const int64_t* ids) {
  std::vector<float> scores(static_cast<size_t>(std::min(nq, kQueryBlock) * kRowBlock));
  for (int64_t r0 = begin; r0 < end; r0 += kRowBlock) {
    const int64_t rows = std::min(kRowBlock, end - r0);
    const float* block = matrix + r0 * dim;
    for (int64_t q0 = 0; q0 < nq; q0 += kQueryBlock) {
      const int64_t nqb = std::min(kQueryBlock, nq - q0);
      // scores[nqb, rows] = queries[q0 .. q0+nqb) · block[rows, dim]ᵀ
      if (nqb == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, int(rows), dim, 1.0f, block, dim, queries + q0 * dim, 1, 0.0f,
                    scores.data(), 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(nqb), int(rows), dim, 1.0f, queries + q0 * dim,
                    dim, block, dim, 0.0f, scores.data(), int(rows));
      for (int64_t q = 0; q < nqb; ++q) {
        const float* row = scores.data() + q * rows;
        if (ids == nullptr) {
          tops[q0 + q].push_row(row, rows, r0);
        } else {
          for (int64_t i = 0; i < rows; ++i) tops[q0 + q].push(ids[r0 + i], row[i]);
        }
      }
    }
  }
}
// end lesson: scan_rows

// lesson: flat_search
SearchResults FlatIndex::search(const float* queries, int64_t nq, int k) const {
  require(nq >= 0, "cannot search {} queries", nq);
  require(k >= 1, "k must be at least 1 (how many results per query), got {}", k);
  SearchResults results;
  results.resize(nq, k);
  const int64_t n = size();
  if (nq == 0 || n == 0) return results;
  // Each thread scans its own slice of the rows for every query, with BLAS on that thread only (two
  // thread pools must not fight over the same cores); the per-slice top-ks are merged at the end.
  const int threads = static_cast<int>(std::clamp<int64_t>(n / kRowBlock, 1, num_threads()));
  std::vector<std::vector<TopK>> tops(static_cast<size_t>(threads), std::vector<TopK>(size_t(nq), TopK(k)));
  {
    BlasOnCallingThread blas_here;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int t = 0; t < threads; ++t) {
      const int64_t begin = n * t / threads, end = n * (t + 1) / threads;
      scan_rows(data(), dim_, begin, end, queries, nq, tops[size_t(t)].data());
    }
  }
  for (int64_t q = 0; q < nq; ++q) {
    for (int t = 1; t < threads; ++t) tops[0][size_t(q)].merge(tops[size_t(t)][size_t(q)]);
    results.set(q, tops[0][size_t(q)].take_sorted());
  }
  return results;
}
// end lesson: flat_search

}  // namespace minillm::search
