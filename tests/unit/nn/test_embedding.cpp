// The embedding layer: lookup, scatter-add backward (repeated ids accumulate), errors, and the seed's
// example sizes.
#include <cmath>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/embedding.hpp"

namespace minillm {
namespace {

TokenIds ids_of(std::initializer_list<int> values) {
  TokenIds ids;
  for (int v : values) ids.push_back(token_id(v));
  return ids;
}

TEST(EmbeddingForward, CopiesTheRowOfEachId) {
  const int V = 4, C = 3;
  std::vector<float> table(V * C);
  for (int i = 0; i < V * C; ++i) table[size_t(i)] = float(i);  // row r is {3r, 3r+1, 3r+2}
  const TokenIds ids = ids_of({2, 0, 2});
  std::vector<float> out(ids.size() * C, -1.0f);
  embedding_forward(out.data(), ids, table.data(), V, C);
  const std::vector<float> expected = {6, 7, 8, 0, 1, 2, 6, 7, 8};
  EXPECT_EQ(out, expected) << "ids {2, 0, 2} select rows 2, 0 and 2 again";
}

TEST(EmbeddingForward, TheSeedExampleGivesFourRowsOf300) {
  // The seed lesson: a 10,000 x 300 table, ids {1, 5, 42, 999} -> a [4, 300] result.
  const int V = 10000, C = 300;
  std::vector<float> table(size_t(V) * C);
  Rng rng(7);
  embedding_init(table, rng);
  const TokenIds ids = ids_of({1, 5, 42, 999});
  std::vector<float> out(ids.size() * C);
  embedding_forward(out.data(), ids, table.data(), V, C);
  for (size_t n = 0; n < ids.size(); ++n)
    for (int c = 0; c < C; ++c)
      ASSERT_EQ(out[n * C + size_t(c)], table[size_t(to_int(ids[n])) * C + size_t(c)]) << "row " << n << " col " << c;
}

TEST(EmbeddingForward, AnIdOutsideTheTableIsAnErrorNamingItAndV) {
  std::vector<float> table(10 * 2), out(2 * 2);
  const TokenIds ids = ids_of({3, 10});
  try {
    embedding_forward(out.data(), ids, table.data(), 10, 2);
    FAIL() << "id 10 in a table of 10 rows must be rejected";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("token id 10"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[0, 10)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(embedding_forward(out.data(), ids_of({-1, 0}), table.data(), 10, 2), Error) << "negative id";
}

TEST(EmbeddingBackward, RepeatedIdsAccumulateAndExistingGradientIsKept) {
  const int V = 3, C = 2;
  std::vector<float> dtable = {100, 100, 0, 0, 0, 0};  // already holds a gradient: backward must add to it
  const TokenIds ids = ids_of({1, 0, 1});
  const std::vector<float> dout = {1, 2, 10, 20, 3, 4};
  embedding_backward(dtable.data(), ids, dout.data(), V, C);
  const std::vector<float> expected = {110, 120, 4, 6, 0, 0};
  EXPECT_EQ(dtable, expected) << "row 1 is used twice, so it gets {1,2} + {3,4}; row 0 gets 100 + {10, 20}; "
                                 "row 2 is unused and stays 0";
}

// L = Σ out * w; central differences of L over every table entry must match backward's gradient.
TEST(EmbeddingBackward, MatchesFiniteDifferences) {
  const int V = 5, C = 3;
  std::vector<float> table(V * C), weights(4 * C);
  Rng rng(3);
  rng.fill_normal(table, 0, 1);
  rng.fill_normal(weights, 0, 1);
  const TokenIds ids = ids_of({4, 1, 4, 0});
  const auto loss = [&] {
    std::vector<float> out(ids.size() * C);
    embedding_forward(out.data(), ids, table.data(), V, C);
    double s = 0;
    for (size_t i = 0; i < out.size(); ++i) s += double(out[i]) * weights[i];
    return s;
  };
  std::vector<float> dtable(V * C, 0.0f);
  embedding_backward(dtable.data(), ids, weights.data(), V, C);
  const float h = 1e-2f;
  for (size_t i = 0; i < table.size(); ++i) {
    const float saved = table[i];
    table[i] = saved + h;
    const double plus = loss();
    table[i] = saved - h;
    const double minus = loss();
    table[i] = saved;
    EXPECT_NEAR(dtable[i], (plus - minus) / (2 * h), 1e-3) << "table entry " << i;
  }
}

TEST(TokenPositionEmbedding, BackwardMatchesFiniteDifferencesForBothTables) {
  const int B = 2, T = 3, C = 2, V = 4, maxT = 5;
  std::vector<float> wte(V * C), wpe(maxT * C), weights(B * T * C);
  Rng rng(8);
  rng.fill_normal(wte, 0, 1);
  rng.fill_normal(wpe, 0, 1);
  rng.fill_normal(weights, 0, 1);
  const TokenIds ids = ids_of({3, 1, 3, 0, 3, 2});
  const auto loss = [&] {  // L = sum out * weights, so dL/dout = weights
    std::vector<float> out(B * T * C);
    token_position_forward(out.data(), ids, wte.data(), wpe.data(), B, T, C, V);
    double s = 0;
    for (size_t i = 0; i < out.size(); ++i) s += double(out[i]) * weights[i];
    return s;
  };
  std::vector<float> dwte(V * C, 0.0f), dwpe(maxT * C, 0.0f);
  token_position_backward(dwte.data(), dwpe.data(), ids, weights.data(), B, T, C, V);
  const float h = 1e-2f;
  for (auto [table, grad, name] : {std::tuple{&wte, &dwte, "wte"}, std::tuple{&wpe, &dwpe, "wpe"}}) {
    for (size_t i = 0; i < table->size(); ++i) {
      const float saved = (*table)[i];
      (*table)[i] = saved + h;
      const double plus = loss();
      (*table)[i] = saved - h;
      const double minus = loss();
      (*table)[i] = saved;
      EXPECT_NEAR((*grad)[i], (plus - minus) / (2 * h), 1e-3) << name << " entry " << i;
    }
  }
}

TEST(TokenPositionEmbedding, AddsThePositionRowAndBackwardFeedsBothTables) {
  const int B = 2, T = 3, C = 2, V = 4, maxT = 5;
  std::vector<float> wte(V * C), wpe(maxT * C);
  for (size_t i = 0; i < wte.size(); ++i) wte[i] = float(i);
  for (size_t i = 0; i < wpe.size(); ++i) wpe[i] = 100.0f * float(i);
  const TokenIds ids = ids_of({0, 1, 2, 3, 3, 3});
  std::vector<float> out(B * T * C);
  token_position_forward(out.data(), ids, wte.data(), wpe.data(), B, T, C, V);
  // b=1, t=2: token 3 -> {6, 7}; position 2 -> {400, 500}
  EXPECT_EQ(out[(1 * T + 2) * C + 0], 406.0f) << "wte[3][0] + wpe[2][0] = 6 + 400";
  EXPECT_EQ(out[(1 * T + 2) * C + 1], 507.0f) << "wte[3][1] + wpe[2][1] = 7 + 500";

  std::vector<float> dwte(V * C, 0.0f), dwpe(maxT * C, 0.0f), dout(B * T * C, 1.0f);
  token_position_backward(dwte.data(), dwpe.data(), ids, dout.data(), B, T, C, V);
  EXPECT_EQ(dwte[3 * C], 3.0f) << "token 3 is used three times (batch 1)";
  EXPECT_EQ(dwte[0], 1.0f) << "token 0 is used once";
  EXPECT_EQ(dwpe[0], 2.0f) << "position 0 appears once per batch row, B = 2";
  EXPECT_EQ(dwpe[3 * C], 0.0f) << "position 3 is beyond T = 3 and receives nothing";
  EXPECT_THROW(token_position_forward(out.data(), ids_of({0, 1}), wte.data(), wpe.data(), B, T, C, V), Error)
      << "2 ids for B*T = 6";
}

TEST(EmbeddingInit, IsNormalWithStandardDeviation002) {
  std::vector<float> table(100000);
  Rng rng(11);
  embedding_init(table, rng);
  double sum = 0, squares = 0;
  for (float v : table) { sum += v; squares += double(v) * v; }
  const double mean = sum / double(table.size());
  const double stddev = std::sqrt(squares / double(table.size()) - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.0005) << "N(0, 0.02): mean 0 (standard error 0.02/sqrt(1e5) = 6e-5)";
  EXPECT_NEAR(stddev, 0.02, 0.0005) << "N(0, 0.02): standard deviation 0.02";
}

}  // namespace
}  // namespace minillm
