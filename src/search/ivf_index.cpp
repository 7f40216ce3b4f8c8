#include "search/ivf_index.hpp"

#include <algorithm>
#include <numeric>

#include <cblas.h>
#include <omp.h>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "embed/kmeans.hpp"

namespace minillm::search {

namespace {

std::vector<float> half_squared_norms(const float* centroids, int lists, int dim) {
  std::vector<float> half(static_cast<size_t>(lists));
  for (int c = 0; c < lists; ++c) {
    double s = 0;
    for (int j = 0; j < dim; ++j) s += double(centroids[size_t(c) * size_t(dim) + size_t(j)]) * centroids[size_t(c) * size_t(dim) + size_t(j)];
    half[size_t(c)] = static_cast<float>(s / 2);
  }
  return half;
}

// scores[n, lists] = points · centroidsᵀ - |c|²/2: larger is nearer.
void centroid_scores(const float* points, int64_t n, const float* centroids, const std::vector<float>& half,
                     int dim, float* scores) {
  const int lists = static_cast<int>(half.size());
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(n), lists, dim, 1.0f, points, dim, centroids, dim, 0.0f,
              scores, lists);
  for (int64_t i = 0; i < n; ++i)
    for (int c = 0; c < lists; ++c) scores[i * lists + c] -= half[size_t(c)];
}

}  // namespace

std::vector<int32_t> assign_to_centroids(const float* points, int64_t n, const float* centroids, int lists,
                                         int dim) {
  require(lists >= 1, "assigning to centroids needs at least one centroid");
  const std::vector<float> half = half_squared_norms(centroids, lists, dim);
  std::vector<int32_t> assignment(static_cast<size_t>(n));
  constexpr int64_t kBlock = 1024;
  std::vector<float> scores(static_cast<size_t>(kBlock * lists));
  for (int64_t i0 = 0; i0 < n; i0 += kBlock) {
    const int64_t rows = std::min(kBlock, n - i0);
    centroid_scores(points + i0 * dim, rows, centroids, half, dim, scores.data());
    for (int64_t i = 0; i < rows; ++i) {
      const float* row = scores.data() + i * lists;
      assignment[size_t(i0 + i)] = static_cast<int32_t>(std::max_element(row, row + lists) - row);
    }
  }
  return assignment;
}

IvfIndex IvfIndex::train(const FlatIndex& flat, int lists, Rng& rng, int sample_per_list, int kmeans_iterations) {
  const int64_t n = flat.size();
  const int dim = flat.dim();
  require(lists >= 1 && lists <= n, "IVF: {} lists need between 1 and {} vectors (the index holds {})", lists, n, n);
  // A random sample without repeats (a partial Fisher-Yates shuffle of the ids).
  const int64_t sample = std::min<int64_t>(n, int64_t(lists) * sample_per_list);
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int64_t i = 0; i < sample; ++i)
    std::swap(order[size_t(i)], order[size_t(i + int64_t(rng.below(uint64_t(n - i))))]);
  std::vector<float> points(static_cast<size_t>(sample * dim));
  for (int64_t i = 0; i < sample; ++i)
    std::copy_n(flat.vector(order[size_t(i)]), dim, points.begin() + i * dim);
  embed::KMeansResult km = embed::kmeans(points.data(), int(sample), dim, lists, rng, kmeans_iterations);
  std::vector<int32_t> assignment = assign_to_centroids(flat.data(), n, km.centroids.data(), lists, dim);
  return IvfIndex(flat, std::move(km.centroids), std::move(assignment));
}

IvfIndex::IvfIndex(const FlatIndex& flat, std::vector<float> centroids, std::vector<int32_t> assignment)
    : dim_(flat.dim()), centroids_(std::move(centroids)), assignment_(std::move(assignment)) {
  require(!centroids_.empty() && centroids_.size() % size_t(dim_) == 0,
          "IVF: the centroids must be whole rows of {} numbers", dim_);
  lists_ = static_cast<int>(centroids_.size() / size_t(dim_));
  require(int64_t(assignment_.size()) == flat.size(), "IVF: {} list numbers for {} vectors", assignment_.size(),
          flat.size());
  half_norms_ = half_squared_norms(centroids_.data(), lists_, dim_);
  offsets_.assign(size_t(lists_) + 1, 0);
  for (int32_t l : assignment_) {
    require(l >= 0 && l < lists_, "IVF: list number {} is outside 0..{}", l, lists_ - 1);
    ++offsets_[size_t(l) + 1];
  }
  std::partial_sum(offsets_.begin(), offsets_.end(), offsets_.begin());
  std::vector<int64_t> next(offsets_.begin(), offsets_.end() - 1);
  ids_.resize(assignment_.size());
  vectors_.resize(assignment_.size() * size_t(dim_));
  for (int64_t id = 0; id < flat.size(); ++id) {
    const int64_t row = next[size_t(assignment_[size_t(id)])]++;
    ids_[size_t(row)] = id;
    std::copy_n(flat.vector(id), dim_, vectors_.begin() + row * dim_);
  }
}

std::vector<int32_t> IvfIndex::nearest_lists(const float* scores, int nprobe) const {
  std::vector<int32_t> order(static_cast<size_t>(lists_));
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + nprobe, order.end(), [&](int32_t a, int32_t b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  });
  order.resize(size_t(nprobe));
  return order;
}

// Scores list `list` against the queries that probe it (gathered into one block) and offers the scores
// to those queries' TopKs.
void IvfIndex::scan_list(int list, const std::vector<int64_t>& probing, const float* queries,
                         std::vector<TopK>& tops) const {
  if (probing.empty() || list_size(list) == 0) return;
  const int64_t nq = static_cast<int64_t>(probing.size());
  std::vector<float> block(static_cast<size_t>(nq * dim_));
  for (int64_t i = 0; i < nq; ++i) std::copy_n(queries + probing[size_t(i)] * dim_, dim_, block.begin() + i * dim_);
  std::vector<TopK> local(static_cast<size_t>(nq), TopK(tops[0].k()));
  scan_rows(vectors_.data(), dim_, offsets_[size_t(list)], offsets_[size_t(list) + 1], block.data(), nq,
            local.data(), ids_.data());
  for (int64_t i = 0; i < nq; ++i) tops[size_t(probing[size_t(i)])].merge(local[size_t(i)]);
}

// lesson: ivf_search
SearchResults IvfIndex::search(const float* queries, int64_t nq, int k, int nprobe) const {
  require(k >= 1, "k must be at least 1, got {}", k);
  require(nprobe >= 1 && nprobe <= lists_, "nprobe {} must be between 1 and the {} lists", nprobe, lists_);
  SearchResults results;
  results.resize(nq, k);
  if (nq == 0) return results;
  // 1. Every query against every centroid (one sgemm), and each query's nprobe nearest lists.
  std::vector<float> scores(static_cast<size_t>(nq * lists_));
  centroid_scores(queries, nq, centroids_.data(), half_norms_, dim_, scores.data());
  // 2. Turned around: for each list, the queries that probe it. Scanning list by list lets one sgemm
  //    score a list against all its queries, reading the list once instead of once per query.
  std::vector<std::vector<int64_t>> probes(static_cast<size_t>(lists_));
  for (int64_t q = 0; q < nq; ++q)
    for (int32_t list : nearest_lists(scores.data() + q * lists_, nprobe)) probes[size_t(list)].push_back(q);
  // 3. Lists in parallel, BLAS on the calling thread; each thread keeps its own TopK per query.
  const int threads = num_threads();
  std::vector<std::vector<TopK>> tops(static_cast<size_t>(threads), std::vector<TopK>(size_t(nq), TopK(k)));
  BlasOnCallingThread blas_here;
#pragma omp parallel num_threads(threads)
  {
    std::vector<TopK>& mine = tops[size_t(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 1)
    for (int list = 0; list < lists_; ++list) scan_list(list, probes[size_t(list)], queries, mine);
  }
  for (int64_t q = 0; q < nq; ++q) {
    for (int t = 1; t < threads; ++t) tops[0][size_t(q)].merge(tops[size_t(t)][size_t(q)]);
    results.set(q, tops[0][size_t(q)].take_sorted());
  }
  return results;
}
// end lesson: ivf_search

}  // namespace minillm::search
