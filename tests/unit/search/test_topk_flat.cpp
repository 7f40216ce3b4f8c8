// TopK and the flat index against a brute-force reference computed here in double precision.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "search/flat_index.hpp"
#include "search/vectors.hpp"

namespace minillm::search {
namespace {

std::vector<float> random_rows(int64_t n, int dim, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(size_t(n * dim));
  rng.fill_normal(v, 0, 1);
  normalise_rows(v.data(), n, dim);
  return v;
}

// The exact answer by the definition: every score in double, sorted by (score desc, id asc).
std::vector<int64_t> brute_force(const std::vector<float>& base, int dim, const float* q, int k) {
  const int64_t n = int64_t(base.size()) / dim;
  std::vector<std::pair<double, int64_t>> all;
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < dim; ++j) s += double(base[size_t(i * dim + j)]) * q[j];
    all.emplace_back(-s, i);
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> ids;
  for (int i = 0; i < k && i < int(all.size()); ++i) ids.push_back(all[size_t(i)].second);
  return ids;
}

TEST(TopK, KeepsTheKHighestScoresBestFirst) {
  TopK top(3);
  const float scores[] = {0.1f, 0.9f, -0.5f, 0.7f, 0.3f, 0.8f};
  for (int i = 0; i < 6; ++i) top.push(i, scores[i]);
  const auto hits = top.take_sorted();
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_EQ(hits[1].id, 5);
  EXPECT_EQ(hits[2].id, 3);
  EXPECT_FLOAT_EQ(hits[2].score, 0.7f);
}

TEST(TopK, EqualScoresGoToTheLowerIdWhateverTheOrderTheyArrive) {
  TopK top(2);
  for (int64_t id : {7, 3, 9, 5}) top.push(id, 1.0f);
  const auto hits = top.take_sorted();
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 3);
  EXPECT_EQ(hits[1].id, 5);
}

TEST(TopK, PushRowAndMergeAgreeWithOneByOnePushes) {
  Rng rng(3);
  std::vector<float> scores(1000);
  for (float& s : scores) s = float(rng.below(50)) / 10.0f;  // many ties on purpose
  TopK one(10), halves(10), second(10);
  for (int i = 0; i < 1000; ++i) one.push(i, scores[size_t(i)]);
  halves.push_row(scores.data() + 500, 500, 500);
  second.push_row(scores.data(), 500, 0);
  halves.merge(second);
  const auto a = one.take_sorted(), b = halves.take_sorted();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id) << "rank " << i;
}

TEST(TopK, RejectsKBelowOne) { EXPECT_THROW(TopK(0), Error); }

TEST(NormaliseRows, RowsGetLengthOneAndZeroRowsStayZero) {
  std::vector<float> m = {3, 4, 0, 0, 0, 0, 1, 0, 0};
  EXPECT_EQ(normalise_rows(m.data(), 3, 3), 1);
  EXPECT_FLOAT_EQ(m[0], 0.6f);
  EXPECT_FLOAT_EQ(m[1], 0.8f);
  EXPECT_EQ(m[3], 0.0f);
  EXPECT_FLOAT_EQ(m[6], 1.0f);
}

using SearchForm = SearchResults (FlatIndex::*)(const float*, int64_t, int) const;

// The fast form (search) by default; the plain form (search_plain) when asked.
void expect_exact(const FlatIndex& index, const std::vector<float>& base, const std::vector<float>& queries, int k,
                  SearchForm form = &FlatIndex::search) {
  const int dim = index.dim();
  const int64_t nq = int64_t(queries.size()) / dim;
  const SearchResults r = (index.*form)(queries.data(), nq, k);
  for (int64_t q = 0; q < nq; ++q) {
    const auto truth = brute_force(base, dim, queries.data() + q * dim, k);
    for (size_t i = 0; i < truth.size(); ++i) {
      ASSERT_EQ(r.ids[size_t(q * k) + i], truth[i]) << "query " << q << ", rank " << i;
      double s = 0;
      for (int j = 0; j < dim; ++j) s += double(base[size_t(truth[i] * dim + j)]) * queries[size_t(q * dim + j)];
      EXPECT_NEAR(r.scores[size_t(q * k) + i], s, 1e-5);
    }
  }
}

TEST(FlatIndex, BatchedAndSingleQueriesAreExactOnOneAndTwoThreads) {
  const int dim = 24;
  const auto base = random_rows(3000, dim, 1);  // several row blocks, a ragged last one
  FlatIndex index(dim);
  index.add(base.data(), 3000);
  const auto queries = random_rows(300, dim, 2);  // more than one query block
  const int saved = num_threads();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    expect_exact(index, base, queries, 10);
    expect_exact(index, base, std::vector<float>(queries.begin(), queries.begin() + dim), 7);
  }
  set_num_threads(saved);
}

TEST(FlatIndex, ThePlainFormIsExactAndTheFastFormEqualsIt) {
  const int dim = 24;
  const auto base = random_rows(3000, dim, 3);
  FlatIndex index(dim);
  index.add(base.data(), 3000);
  const auto queries = random_rows(40, dim, 4);
  expect_exact(index, base, queries, 10, &FlatIndex::search_plain);
  const SearchResults plain = index.search_plain(queries.data(), 40, 10), fast = index.search(queries.data(), 40, 10);
  EXPECT_EQ(fast.ids, plain.ids) << "the same vectors in the same order";
  for (size_t i = 0; i < plain.scores.size(); ++i) EXPECT_NEAR(fast.scores[i], plain.scores[i], 1e-5) << i;
}

TEST(FlatIndex, DuplicateVectorsRankByLowerIdAcrossThreadSlices) {
  const int dim = 4;
  std::vector<float> base(size_t(2000 * dim), 0.0f);
  for (int i = 0; i < 2000; ++i) base[size_t(i * dim + (i % 4))] = 1;  // 500 copies of each axis
  FlatIndex index(dim);
  index.add(base.data(), 2000);
  const float q[] = {0, 0, 1, 0};
  const int saved = num_threads();
  set_num_threads(2);
  const SearchResults r = index.search(q, 1, 5);
  set_num_threads(saved);
  const std::vector<int64_t> expected = {2, 6, 10, 14, 18};  // the first five rows along axis 2
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r.ids[size_t(i)], expected[size_t(i)]) << "rank " << i;
}

TEST(FlatIndex, FewerVectorsThanKLeavesEmptyPlaces) {
  FlatIndex index(2);
  const float base[] = {1, 0, 0, 1};
  index.add(base, 2);
  const float q[] = {0.6f, 0.8f};
  const SearchResults r = index.search(q, 1, 4);
  EXPECT_EQ(r.ids[0], 1);
  EXPECT_EQ(r.ids[1], 0);
  EXPECT_EQ(r.ids[2], -1);
  EXPECT_TRUE(std::isinf(r.scores[3]));
}

}  // namespace
}  // namespace minillm::search
