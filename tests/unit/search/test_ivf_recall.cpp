// IVF against the flat index, assign_to_centroids against a brute-force nearest centroid, recall@k by hand.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "search/ivf_index.hpp"
#include "search/recall.hpp"
#include "search/vectors.hpp"

namespace minillm::search {
namespace {

// n unit vectors drawn around `centres` random directions (noise of `spread` per coordinate).
std::vector<float> clustered(int64_t n, int dim, int centres, float spread, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> c(size_t(centres * dim));
  rng.fill_normal(c, 0, 1);
  normalise_rows(c.data(), centres, dim);
  std::vector<float> v(size_t(n * dim));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t centre = int64_t(rng.below(uint64_t(centres)));
    for (int j = 0; j < dim; ++j) v[size_t(i * dim + j)] = c[size_t(centre * dim + j)] + rng.normal(0, spread);
  }
  normalise_rows(v.data(), n, dim);
  return v;
}

TEST(AssignToCentroids, PicksTheEuclideanNearestCentroid) {
  Rng rng(5);
  const int dim = 8, lists = 13, n = 500;
  std::vector<float> points(size_t(n * dim)), centroids(size_t(lists * dim));
  rng.fill_normal(points, 0, 1);
  rng.fill_normal(centroids, 0, 2);
  const auto got = assign_to_centroids(points.data(), n, centroids.data(), lists, dim);
  for (int i = 0; i < n; ++i) {
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (int c = 0; c < lists; ++c) {
      double d = 0;
      for (int j = 0; j < dim; ++j) d += std::pow(double(points[size_t(i * dim + j)]) - centroids[size_t(c * dim + j)], 2);
      if (d < best_d) { best_d = d; best = c; }
    }
    ASSERT_EQ(got[size_t(i)], best) << "point " << i;
  }
}

TEST(IvfIndex, ProbingEveryListIsExact) {
  const int dim = 16;
  const auto base = clustered(2000, dim, 20, 0.3f, 1);
  FlatIndex flat(dim);
  flat.add(base.data(), 2000);
  Rng rng(2);
  const IvfIndex ivf = IvfIndex::train(flat, 10, rng);
  int64_t total = 0;
  for (int l = 0; l < ivf.lists(); ++l) total += ivf.list_size(l);
  EXPECT_EQ(total, 2000) << "every vector is in exactly one list";
  const auto queries = clustered(50, dim, 20, 0.3f, 3);
  const SearchResults exact = flat.search(queries.data(), 50, 10);
  const SearchResults all = ivf.search(queries.data(), 50, 10, ivf.lists());
  EXPECT_EQ(all.ids, exact.ids);
  EXPECT_DOUBLE_EQ(recall_at_k(exact, all, 10), 1.0);
}

TEST(IvfIndex, FewProbesKeepHighRecallOnClusteredData) {
  const int dim = 32, centres = 40;
  const auto base = clustered(8000, dim, centres, 0.15f, 4);
  FlatIndex flat(dim);
  flat.add(base.data(), 8000);
  Rng rng(6);
  const IvfIndex ivf = IvfIndex::train(flat, 40, rng);
  const auto queries = clustered(200, dim, centres, 0.15f, 4);  // the same centres (same seed)
  const SearchResults exact = flat.search(queries.data(), 200, 10);
  const double r1 = recall_at_k(exact, ivf.search(queries.data(), 200, 10, 1), 10);
  const double r4 = recall_at_k(exact, ivf.search(queries.data(), 200, 10, 4), 10);
  EXPECT_GT(r4, 0.95) << "4 of 40 lists hold nearly all true neighbours of a query from a cluster";
  EXPECT_LE(r1, r4) << "probing more lists never loses a neighbour";
  EXPECT_LT(r1, 1.0) << "one list alone misses some (else this test says nothing)";
}

TEST(IvfIndex, RejectsBadNprobe) {
  const auto base = clustered(100, 4, 3, 0.1f, 1);
  FlatIndex flat(4);
  flat.add(base.data(), 100);
  Rng rng(1);
  const IvfIndex ivf = IvfIndex::train(flat, 4, rng);
  EXPECT_THROW(ivf.search(base.data(), 1, 3, 0), Error);
  EXPECT_THROW(ivf.search(base.data(), 1, 3, 5), Error);
}

TEST(Recall, CountsTheTrueNeighboursFoundWhateverTheirRank) {
  SearchResults exact, approx;
  exact.resize(2, 3);
  approx.resize(2, 3);
  exact.ids = {1, 2, 3, 4, 5, 6};
  approx.ids = {3, 1, 9, 7, 8, 6};  // query 0 finds 1 and 3 (2 of 3), query 1 finds 6 (1 of 3)
  EXPECT_NEAR(recall_at_k(exact, approx, 3), 3.0 / 6.0, 1e-12);
  EXPECT_NEAR(recall_at_k(exact, approx, 1), 0.0, 1e-12) << "@1: 1 vs 3 and 4 vs 7";
}

}  // namespace
}  // namespace minillm::search
