// Tests for chapter 04's practice tasks. Each suite is one task of manifest.json. The references are the
// library's layers (src/nn), which tests/unit/nn checks against PyTorch and finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "tasks.hpp"

namespace {

std::vector<float> random_values(size_t n, uint64_t seed, float offset = 0.0f) {
  minillm::Rng rng(seed);
  std::vector<float> v(n);
  rng.fill_normal(v, offset, 1.0f);
  return v;
}

// ---- layernorm_forward ----

TEST(LayerNormForward, OneRowByHand) {
  const float x[4] = {1, 2, 3, 4}, w[4] = {1, 1, 1, 1}, b[4] = {0, 0, 0, 0};
  float out[4], mean, rstd;
  ch04::layernorm_forward(x, w, b, out, &mean, &rstd, 1, 4);
  EXPECT_FLOAT_EQ(mean, 2.5f) << "the mean of 1, 2, 3, 4";
  EXPECT_NEAR(rstd, 1.0f / std::sqrt(1.25f + 1e-5f), 1e-6f)
      << "the variance of 1..4 is (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25 (divide by C, not C - 1)";
  EXPECT_NEAR(out[0], -1.5f / std::sqrt(1.25f + 1e-5f), 1e-5f) << "(1 - 2.5) * rstd";
  EXPECT_NEAR(out[3], 1.5f / std::sqrt(1.25f + 1e-5f), 1e-5f) << "(4 - 2.5) * rstd";
}

TEST(LayerNormForward, WeightBiasAndRowsFarFromZero) {
  // Rows around 1000 with spread 1: the one-pass formula E[x²] - E[x]² cancels 1e6 - 1e6 in float32 and
  // gets the variance wrong by percent; two passes get it right.
  const int N = 3, C = 16;
  const auto x = random_values(N * C, 1, 1000.0f), w = random_values(C, 2), b = random_values(C, 3);
  std::vector<float> out(N * C), mean(N), rstd(N), want(N * C), want_mean(N), want_rstd(N);
  minillm::layernorm_forward(want.data(), want_mean.data(), want_rstd.data(), x.data(), w.data(), b.data(), N, C);
  ch04::layernorm_forward(x.data(), w.data(), b.data(), out.data(), mean.data(), rstd.data(), N, C);
  for (int n = 0; n < N; ++n) {
    ASSERT_NEAR(mean[n], want_mean[n], 1e-3f) << "mean of row " << n;
    ASSERT_NEAR(rstd[n], want_rstd[n], 1e-3f * want_rstd[n]) << "rstd of row " << n << ": two passes?";
  }
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(out[i], want[i], 2e-3f) << "out(" << i / C << ", " << i % C << ")";
}

// ---- layernorm_backward ----

TEST(LayerNormBackward, MatchesTheLibrary) {
  const int N = 4, C = 8;
  const auto x = random_values(N * C, 4), w = random_values(C, 5), b = random_values(C, 6),
             dout = random_values(N * C, 7);
  std::vector<float> out(N * C), mean(N), rstd(N);
  minillm::layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C);
  std::vector<float> dx(N * C), dw(C), db(C), want_dx(N * C), want_dw(C), want_db(C);
  minillm::layernorm_backward(want_dx.data(), want_dw.data(), want_db.data(), dout.data(), x.data(), w.data(),
                              mean.data(), rstd.data(), N, C);
  ch04::layernorm_backward(dout.data(), x.data(), w.data(), mean.data(), rstd.data(), dx.data(), dw.data(),
                           db.data(), N, C);
  for (int c = 0; c < C; ++c) {
    ASSERT_NEAR(db[c], want_db[c], 1e-5f) << "dbias[" << c << "] is the column sum of dout";
    ASSERT_NEAR(dw[c], want_dw[c], 1e-4f) << "dweight[" << c << "] is the column sum of dout * xhat";
  }
  for (int i = 0; i < N * C; ++i)
    ASSERT_NEAR(dx[i], want_dx[i], 1e-4f) << "dinp(" << i / C << ", " << i % C
                                          << "): did you subtract both row averages and multiply by rstd?";
}

TEST(LayerNormBackward, Accumulates) {
  const int N = 2, C = 4;
  const auto x = random_values(N * C, 8), w = random_values(C, 9), dout = random_values(N * C, 10);
  std::vector<float> out(N * C), mean(N), rstd(N);
  minillm::layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), w.data(), N, C);
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f), db(C, 0.0f);
  ch04::layernorm_backward(dout.data(), x.data(), w.data(), mean.data(), rstd.data(), dx.data(), dw.data(),
                           db.data(), N, C);
  std::vector<float> dx2(N * C, 1.0f), dw2(C, 1.0f), db2(C, 1.0f);
  ch04::layernorm_backward(dout.data(), x.data(), w.data(), mean.data(), rstd.data(), dx2.data(), dw2.data(),
                           db2.data(), N, C);
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(dx2[i], 1.0f + dx[i], 1e-6f) << "dinp must be added to (+=)";
  for (int c = 0; c < C; ++c) {
    ASSERT_NEAR(dw2[c], 1.0f + dw[c], 1e-6f) << "dweight must be added to (+=)";
    ASSERT_NEAR(db2[c], 1.0f + db[c], 1e-6f) << "dbias must be added to (+=)";
  }
}

// ---- gelu_backward ----

TEST(GeluBackward, KnownValues) {
  const float x[3] = {0.0f, 10.0f, -10.0f}, dout[3] = {1.0f, 1.0f, 1.0f};
  float dx[3] = {0, 0, 0};
  ch04::gelu_backward(x, dout, dx, 3);
  EXPECT_NEAR(dx[0], 0.5f, 1e-6f) << "gelu'(0) = 0.5: at 0 GELU is half the identity";
  EXPECT_NEAR(dx[1], 1.0f, 1e-5f) << "for large x GELU is x, slope 1";
  EXPECT_NEAR(dx[2], 0.0f, 1e-5f) << "for very negative x GELU is 0, slope 0";
}

TEST(GeluBackward, MatchesTheLibraryAndAccumulates) {
  const int n = 41;
  std::vector<float> x(n), dout = random_values(n, 11);
  for (int i = 0; i < n; ++i) x[i] = -5.0f + 0.25f * static_cast<float>(i);
  std::vector<float> want(n, 0.5f), dx(n, 0.5f);  // start at 0.5: both must ADD to it
  minillm::gelu_backward(want.data(), x.data(), dout.data(), n);
  ch04::gelu_backward(x.data(), dout.data(), dx.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_NEAR(dx[i], want[i], 1e-5f) << "at x = " << x[i] << " (the buffer started at 0.5: use +=)";
}

}  // namespace
