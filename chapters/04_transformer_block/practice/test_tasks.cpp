// Tests for chapter 04's practice tasks. Each suite is one task of manifest.json. The references are the
// library's layers (src/nn), which tests/unit/nn checks against PyTorch and finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "nn/block.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
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
  ch04::layernorm_forward(out, &mean, &rstd, x, w, b, 1, 4);
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
  ch04::layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C);
  for (int row = 0; row < N; ++row) {
    ASSERT_NEAR(mean[row], want_mean[row], 1e-3f) << "mean of row " << row;
    ASSERT_NEAR(rstd[row], want_rstd[row], 1e-3f * want_rstd[row]) << "rstd of row " << row << ": two passes?";
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
  ch04::layernorm_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean.data(),
                           rstd.data(), N, C);
  for (int col = 0; col < C; ++col) {
    ASSERT_NEAR(db[col], want_db[col], 1e-5f) << "dbias[" << col << "] is the column sum of dout";
    ASSERT_NEAR(dw[col], want_dw[col], 1e-4f) << "dweight[" << col << "] is the column sum of dout * xhat";
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
  ch04::layernorm_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean.data(),
                           rstd.data(), N, C);
  std::vector<float> dx2(N * C, 1.0f), dw2(C, 1.0f), db2(C, 1.0f);
  ch04::layernorm_backward(dx2.data(), dw2.data(), db2.data(), dout.data(), x.data(), w.data(), mean.data(),
                           rstd.data(), N, C);
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(dx2[i], 1.0f + dx[i], 1e-6f) << "dinp must be added to (+=)";
  for (int col = 0; col < C; ++col) {
    ASSERT_NEAR(dw2[col], 1.0f + dw[col], 1e-6f) << "dweight must be added to (+=)";
    ASSERT_NEAR(db2[col], 1.0f + db[col], 1e-6f) << "dbias must be added to (+=)";
  }
}

// ---- gelu_backward ----

TEST(GeluBackward, KnownValues) {
  const float x[3] = {0.0f, 10.0f, -10.0f}, dout[3] = {1.0f, 1.0f, 1.0f};
  float dx[3] = {0, 0, 0};
  ch04::gelu_backward(dx, x, dout, 3);
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
  ch04::gelu_backward(dx.data(), x.data(), dout.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_NEAR(dx[i], want[i], 1e-5f) << "at x = " << x[i] << " (the buffer started at 0.5: use +=)";
}

TEST(LayerNormBackward, MatchesFiniteDifferences) {
  // loss = sum out * dout with LayerNorm computed in double; central differences for every input, weight and
  // bias. Independent of the library: it checks the maths itself.
  const int N = 2, C = 5;
  const std::vector<float> x = random_values(N * C, 12), w = random_values(C, 13, 1.0f), b = random_values(C, 14);
  const std::vector<float> dout = random_values(N * C, 15);
  std::vector<double> params[3] = {{x.begin(), x.end()}, {w.begin(), w.end()}, {b.begin(), b.end()}};
  const auto loss = [&] {
    double total = 0.0;
    for (int row = 0; row < N; ++row) {
      const double* in = params[0].data() + row * C;
      double mean = 0.0, var = 0.0;
      for (int col = 0; col < C; ++col) mean += in[col] / C;
      for (int col = 0; col < C; ++col) var += (in[col] - mean) * (in[col] - mean) / C;
      for (int col = 0; col < C; ++col)
        total += ((in[col] - mean) / std::sqrt(var + 1e-5) * params[1][col] + params[2][col]) * dout[row * C + col];
    }
    return total;
  };
  std::vector<float> mean(N), rstd(N), out(N * C);
  minillm::layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C);
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f), db(C, 0.0f);
  ch04::layernorm_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean.data(),
                           rstd.data(), N, C);
  const std::vector<float>* analytic[3] = {&dx, &dw, &db};
  const char* names[3] = {"dinp", "dweight", "dbias"};
  const double h = 1e-5;
  for (int which = 0; which < 3; ++which)
    for (size_t i = 0; i < params[which].size(); ++i) {
      const double saved = params[which][i];
      params[which][i] = saved + h;
      const double up = loss();
      params[which][i] = saved - h;
      const double down = loss();
      params[which][i] = saved;
      EXPECT_NEAR((*analytic[which])[i], (up - down) / (2 * h), 2e-4) << names[which] << "[" << i << "]";
    }
}

// ---- gelu_forward ----

TEST(GeluForward, KnownValues) {
  // By hand (tanh approximation): gelu(0) = 0; gelu(1) = 0.5 (1 + tanh(0.79788 * 1.044715)) = 0.841192;
  // gelu(-1) = -1 + gelu(1) = -0.158808 (gelu(x) - gelu(-x) = x); far from 0 it is x or 0.
  const float x[5] = {0.0f, 1.0f, -1.0f, 10.0f, -10.0f};
  float out[5];
  ch04::gelu_forward(out, x, 5);
  EXPECT_EQ(out[0], 0.0f) << "gelu(0) = 0";
  EXPECT_NEAR(out[1], 0.841192f, 1e-5f) << "gelu(1) with the tanh approximation";
  EXPECT_NEAR(out[2], -0.158808f, 1e-5f) << "gelu(-1): a little below 0, GELU's dip";
  EXPECT_NEAR(out[3], 10.0f, 1e-5f) << "for large x GELU is x";
  EXPECT_NEAR(out[4], 0.0f, 1e-5f) << "for very negative x GELU is 0";
}

TEST(GeluForward, MatchesTheLibrary) {
  const int n = 41;
  std::vector<float> x(n), out(n + 1, -777.0f), want(n);
  for (int i = 0; i < n; ++i) x[i] = -5.0f + 0.25f * static_cast<float>(i);
  ch04::gelu_forward(out.data(), x.data(), n);
  minillm::gelu_forward(want.data(), x.data(), n);
  for (int i = 0; i < n; ++i) ASSERT_NEAR(out[i], want[i], 1e-6f) << "gelu(" << x[i] << ")";
  EXPECT_EQ(out[n], -777.0f) << "out has n values: nothing may be written past them";
}

// ---- rmsnorm_forward ----

TEST(RmsNormForward, OneRowByHand) {
  // The row (3, 4): mean square (9 + 16) / 2 = 12.5, so rrms = 1 / sqrt(12.5 + 1e-5), about 0.28284.
  const float x[2] = {3, 4}, w[2] = {1, 2};
  float out[2], rrms = 0;
  ch04::rmsnorm_forward(out, &rrms, x, w, 1, 2);
  const float r = 1.0f / std::sqrt(12.5f + 1e-5f);
  EXPECT_NEAR(rrms, r, 1e-6f) << "rrms = 1 / sqrt(mean of the squares + eps) = 1 / sqrt(12.5 + 1e-5)";
  EXPECT_NEAR(out[0], 3.0f * r, 1e-5f) << "out[0] = 3 * rrms * weight[0] (weight 1)";
  EXPECT_NEAR(out[1], 8.0f * r, 1e-5f) << "out[1] = 4 * rrms * weight[1] (weight 2)";
}

TEST(RmsNormForward, KeepsTheMeanThatLayerNormRemoves) {
  // A constant row (2, 2, 2, 2): LayerNorm would give zeros; RMSNorm divides by the root mean square, 2.
  const float x[4] = {2, 2, 2, 2}, w[4] = {1, 1, 1, 1};
  float out[4], rrms = 0;
  ch04::rmsnorm_forward(out, &rrms, x, w, 1, 4);
  for (int c = 0; c < 4; ++c) ASSERT_NEAR(out[c], 2.0f / std::sqrt(4.0f + 1e-5f), 1e-5f) << "out[" << c << "] ~ 1";
}

TEST(RmsNormForward, EqualsLayerNormOnRowsWithMeanZero) {
  // Each row is (v, -v), so its mean is 0 and its variance is its mean square: RMSNorm then equals the
  // library's LayerNorm with bias 0, row by row.
  const int N = 3, C = 8;
  const auto half = random_values(N * C / 2, 11), w = random_values(C, 12);
  std::vector<float> x(N * C), zero_bias(C, 0.0f);
  for (int row = 0; row < N; ++row)
    for (int col = 0; col < C / 2; ++col)
      x[row * C + col] = half[row * C / 2 + col], x[row * C + C / 2 + col] = -half[row * C / 2 + col];
  std::vector<float> out(N * C), rrms(N), want(N * C), mean(N), rstd(N);
  minillm::layernorm_forward(want.data(), mean.data(), rstd.data(), x.data(), w.data(), zero_bias.data(), N, C);
  ch04::rmsnorm_forward(out.data(), rrms.data(), x.data(), w.data(), N, C);
  for (int row = 0; row < N; ++row) ASSERT_NEAR(rrms[row], rstd[row], 1e-4f * rstd[row]) << "rrms of row " << row;
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(out[i], want[i], 1e-4f) << "out(" << i / C << ", " << i % C << ")";
}

// ---- rmsnorm_backward ----

// RMSNorm in double, written here as the reference for the finite differences: sum over the output of
// out * w_out, so its gradient with respect to out is w_out.
double rms_loss(const std::vector<double>& in, const std::vector<double>& gamma, const std::vector<float>& w_out,
                int rows, int width) {
  double total = 0;
  for (int n = 0; n < rows; ++n) {
    double squares = 0;
    for (int c = 0; c < width; ++c) squares += in[n * width + c] * in[n * width + c];
    const double inv = 1.0 / std::sqrt(squares / width + 1e-5);
    for (int c = 0; c < width; ++c) total += in[n * width + c] * inv * gamma[c] * w_out[n * width + c];
  }
  return total;
}

// 1 / sqrt(mean square + 1e-5) of each row, what rmsnorm_forward saves (worked out here, so this task's tests
// do not depend on the forward task).
std::vector<float> inverse_rms(const std::vector<float>& in, int rows, int width) {
  std::vector<float> result;
  for (int row = 0; row < rows; ++row) {
    double squares = 0;
    for (int col = 0; col < width; ++col) squares += double(in[row * width + col]) * in[row * width + col];
    result.push_back(static_cast<float>(1.0 / std::sqrt(squares / width + 1e-5)));
  }
  return result;
}

TEST(RmsNormBackward, MatchesFiniteDifferences) {
  const int N = 3, C = 6;
  const auto x = random_values(N * C, 31, 0.5f), w = random_values(C, 32, 1.0f), dout = random_values(N * C, 33);
  const std::vector<float> rrms = inverse_rms(x, N, C);
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f);
  ch04::rmsnorm_backward(dx.data(), dw.data(), dout.data(), x.data(), w.data(), rrms.data(), N, C);
  std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end());
  const double h = 1e-5;
  for (int i = 0; i < N * C; ++i) {
    std::vector<double> up = xd, down = xd;
    up[i] += h, down[i] -= h;
    const double numeric = (rms_loss(up, wd, dout, N, C) - rms_loss(down, wd, dout, N, C)) / (2 * h);
    ASSERT_NEAR(dx[i], numeric, 1e-3 + 1e-3 * std::abs(numeric))
        << "dinp(" << i / C << ", " << i % C << "): the direct path and the path through rrms";
  }
  for (int col = 0; col < C; ++col) {
    std::vector<double> up = wd, down = wd;
    up[col] += h, down[col] -= h;
    const double numeric = (rms_loss(xd, up, dout, N, C) - rms_loss(xd, down, dout, N, C)) / (2 * h);
    ASSERT_NEAR(dw[col], numeric, 1e-3 + 1e-3 * std::abs(numeric)) << "dweight[" << col << "]: a sum over the rows";
  }
}

TEST(RmsNormBackward, Accumulates) {
  const int N = 2, C = 4;
  const auto x = random_values(N * C, 34, 0.5f), w = random_values(C, 35, 1.0f), dout = random_values(N * C, 36);
  const std::vector<float> rrms = inverse_rms(x, N, C);
  std::vector<float> dx0(N * C, 0.0f), dw0(C, 0.0f), dx1(N * C, 2.0f), dw1(C, 2.0f);
  ch04::rmsnorm_backward(dx0.data(), dw0.data(), dout.data(), x.data(), w.data(), rrms.data(), N, C);
  ch04::rmsnorm_backward(dx1.data(), dw1.data(), dout.data(), x.data(), w.data(), rrms.data(), N, C);
  bool any = false;
  for (int i = 0; i < N * C; ++i) {
    ASSERT_NEAR(dx1[i], 2.0f + dx0[i], 1e-5f) << "dinp[" << i << "] started at 2: use +=";
    any = any || dx0[i] != 0.0f;
  }
  for (int col = 0; col < C; ++col)
    ASSERT_NEAR(dw1[col], 2.0f + dw0[col], 1e-5f) << "dweight[" << col << "] started at 2: use +=";
  EXPECT_TRUE(any) << "the gradient of a random row is not all zeros";
}

// ---- mlp_forward ----

TEST(MlpForward, OneInputByHand) {
  // C = 1, so the hidden width is 4. c_fc multiplies x = 1 by (1, 2, -1, 0) and adds (0, 0, 0, 1): GELU of
  // (1, 2, -1, 1) is (0.841192, 1.954598, -0.158808, 0.841192). c_proj weighs them (1, 0, 2, 0) plus 0.5:
  // 0.841192 - 0.317616 + 0.5 = 1.023576.
  const float x[1] = {1.0f}, fc_w[4] = {1, 2, -1, 0}, fc_b[4] = {0, 0, 0, 1}, proj_w[4] = {1, 0, 2, 0};
  const float proj_b[1] = {0.5f};
  float hidden[4], out[1];
  ch04::mlp_forward(out, hidden, x, fc_w, fc_b, proj_w, proj_b, 1, 1);
  EXPECT_NEAR(hidden[0], 0.841192f, 1e-5f) << "hidden holds GELU of c_fc's output: gelu(1)";
  EXPECT_NEAR(hidden[1], 1.954598f, 1e-5f) << "gelu(2)";
  EXPECT_NEAR(hidden[2], -0.158808f, 1e-5f) << "gelu(-1)";
  EXPECT_NEAR(hidden[3], 0.841192f, 1e-5f) << "gelu(0 * 1 + 1): c_fc's bias counts";
  EXPECT_NEAR(out[0], 1.023576f, 1e-5f) << "c_proj: 1 * gelu(1) + 2 * gelu(-1) + 0.5";
}

TEST(MlpForward, MatchesTheLibraryLayers) {
  const int N = 3, C = 4;
  const std::vector<float> x = random_values(N * C, 16), fc_w = random_values(4 * C * C, 17);
  const std::vector<float> fc_b = random_values(4 * C, 18), proj_w = random_values(C * 4 * C, 19);
  const std::vector<float> proj_b = random_values(C, 20);
  std::vector<float> fc(N * 4 * C), want_hidden(N * 4 * C), want(N * C);
  minillm::linear_forward(fc.data(), x.data(), fc_w.data(), fc_b.data(), N, C, 4 * C);
  minillm::gelu_forward(want_hidden.data(), fc.data(), N * 4 * C);
  minillm::linear_forward(want.data(), want_hidden.data(), proj_w.data(), proj_b.data(), N, 4 * C, C);
  std::vector<float> hidden(N * 4 * C), out(N * C);
  ch04::mlp_forward(out.data(), hidden.data(), x.data(), fc_w.data(), fc_b.data(), proj_w.data(), proj_b.data(), N, C);
  for (int i = 0; i < N * 4 * C; ++i) ASSERT_NEAR(hidden[i], want_hidden[i], 1e-5f) << "hidden[" << i << "]";
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(out[i], want[i], 1e-4f) << "out(" << i / C << ", " << i % C << ")";
}

// ---- block_forward ----

// A block's parameters and activations, in arenas as the GPT holds them. Parameters are random; LayerNorm
// weights near 1.
struct BlockFixture {
  minillm::BlockShape s{2, 3, 8, 2};
  minillm::TensorArena params, acts, want_acts;
  std::vector<float> inp = random_values(2 * 3 * 8, 21);
  BlockFixture() {
    minillm::add_block_params(params, "h.0.", s.C);
    params.allocate();
    minillm::Rng rng(22);
    for (const auto& entry : params.entries()) {
      const bool ln_weight = entry.name.ends_with("ln_1.weight") || entry.name.ends_with("ln_2.weight");
      rng.fill_normal(params[entry.name].span(), ln_weight ? 1.0f : 0.0f, ln_weight ? 0.1f : 0.3f);
    }
    for (minillm::TensorArena* arena : {&acts, &want_acts}) {
      minillm::add_block_acts(*arena, "h.0.", s);
      arena->allocate();
    }
  }
  minillm::BlockParams p() { return minillm::block_params(params, "h.0."); }
  void zero(const std::string& name) { params["h.0." + name].zero(); }
};

TEST(BlockForward, WithZeroOutputProjectionsTheStreamPassesThrough) {
  // If both branches end in a layer whose weights and bias are 0, each branch adds 0 to the residual stream:
  // the block's output is its input, exactly.
  BlockFixture f;
  for (const char* name : {"attn.c_proj.weight", "attn.c_proj.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"})
    f.zero(name);
  const minillm::BlockActs a = minillm::block_acts(f.acts, "h.0.");
  ch04::block_forward(a, f.inp.data(), f.p(), f.s);
  for (size_t i = 0; i < f.inp.size(); ++i) {
    ASSERT_EQ(a.residual2[i], f.inp[i]) << "residual2 = inp + attention branch, and that branch is 0 here";
    ASSERT_EQ(a.out[i], f.inp[i]) << "out = residual2 + MLP branch, and that branch is 0 here";
  }
}

TEST(BlockForward, MatchesTheLibrarysBlock) {
  BlockFixture f;
  const minillm::BlockActs a = minillm::block_acts(f.acts, "h.0.");
  const minillm::BlockActs want = minillm::block_acts(f.want_acts, "h.0.");
  minillm::block_forward(want, f.inp.data(), f.p(), f.s);
  ch04::block_forward(a, f.inp.data(), f.p(), f.s);
  // Every activation the backward pass reads, by name: a missing one shows which box is not done.
  for (const auto& entry : f.acts.entries()) {
    const minillm::TensorView got = f.acts[entry.name], expected = f.want_acts[entry.name];
    for (int64_t i = 0; i < got.numel(); ++i) {
      if (got.data[i] == expected.data[i]) continue;  // also the masked scores, -inf in both
      ASSERT_NEAR(got.data[i], expected.data[i], 1e-4f) << entry.name << "[" << i << "] of " << entry.shape.str();
    }
  }
}

// ---- block_backward ----

// A block's forward pass by the library, and gradient buffers: the learner's (grads, dacts) and the
// library's (want_grads, want_dacts). dacts starts as garbage, as the task's contract allows.
struct BackwardFixture : BlockFixture {
  minillm::TensorArena grads, want_grads, dacts, want_dacts;
  std::vector<float> dout = random_values(2 * 3 * 8, 23);
  BackwardFixture() {
    for (minillm::TensorArena* arena : {&grads, &want_grads}) {
      minillm::add_block_params(*arena, "h.0.", s.C);
      arena->allocate();
    }
    for (minillm::TensorArena* arena : {&dacts, &want_dacts}) {
      minillm::add_block_acts(*arena, "h.0.", s);
      arena->allocate();
    }
    for (const auto& entry : dacts.entries()) dacts[entry.name].fill(7.0f);
    minillm::block_forward(minillm::block_acts(acts, "h.0."), inp.data(), p(), s);
  }
  void run(float* dinp) {
    ch04::block_backward(dinp, minillm::block_params(grads, "h.0."), minillm::block_acts(dacts, "h.0."),
                         dout.data(), inp.data(), p(), minillm::block_acts(acts, "h.0."), s);
  }
  void run_library(float* dinp) {
    minillm::block_backward(dinp, minillm::block_params(want_grads, "h.0."), minillm::block_acts(want_dacts, "h.0."),
                            dout.data(), inp.data(), p(), minillm::block_acts(acts, "h.0."), s);
  }
  // sum(out * dout) for the current parameters and input: the loss whose gradient the backward computes.
  double loss(const std::vector<float>& x) {
    minillm::block_forward(minillm::block_acts(want_acts, "h.0."), x.data(), p(), s);
    const float* out = minillm::block_acts(want_acts, "h.0.").out;
    double sum = 0;
    for (size_t i = 0; i < dout.size(); ++i) sum += double(out[i]) * dout[i];
    return sum;
  }
};

TEST(BlockBackward, MatchesTheLibrarysBackward) {
  BackwardFixture f;
  std::vector<float> dinp(f.inp.size(), 0.0f), want_dinp(f.inp.size(), 0.0f);
  f.run(dinp.data());
  f.run_library(want_dinp.data());
  for (size_t i = 0; i < dinp.size(); ++i)
    ASSERT_NEAR(dinp[i], want_dinp[i], 1e-4f) << "dinp[" << i << "]: both branches and the residual path reach it";
  // Every parameter's gradient, by name: the first wrong one shows which box's backward is off.
  for (const auto& entry : f.grads.entries()) {
    const minillm::TensorView got = f.grads[entry.name], expected = f.want_grads[entry.name];
    for (int64_t i = 0; i < got.numel(); ++i)
      ASSERT_NEAR(got.data[i], expected.data[i], 1e-4f) << "the gradient of " << entry.name << "[" << i << "]";
  }
}

TEST(BlockBackward, MatchesFiniteDifferences) {
  // Central differences of sum(out * dout), on the input and on a few entries of every parameter.
  BackwardFixture f;
  std::vector<float> dinp(f.inp.size(), 0.0f);
  f.run(dinp.data());
  const float h = 1e-2f;
  for (size_t i = 0; i < f.inp.size(); i += 5) {
    std::vector<float> x = f.inp;
    x[i] += h;
    const double up = f.loss(x);
    x[i] -= 2 * h;
    const double numeric = (up - f.loss(x)) / (2 * h);
    ASSERT_NEAR(dinp[i], numeric, 2e-3 + 0.03 * std::abs(numeric)) << "dinp[" << i << "] against finite differences";
  }
  for (const auto& entry : f.params.entries()) {
    const minillm::TensorView w = f.params[entry.name], g = f.grads[entry.name];
    for (int64_t i = 0; i < w.numel(); i += 7) {
      const float saved = w.data[i];
      w.data[i] = saved + h;
      const double up = f.loss(f.inp);
      w.data[i] = saved - h;
      const double down = f.loss(f.inp);
      w.data[i] = saved;
      const double numeric = (up - down) / (2 * h);
      ASSERT_NEAR(g.data[i], numeric, 2e-3 + 0.03 * std::abs(numeric))
          << "the gradient of " << entry.name << "[" << i << "] against finite differences";
    }
  }
}

TEST(BlockBackward, AccumulatesIntoDinpAndTheParameterGradients) {
  // The caller's buffers start at 1: the backward must add to them (a GPT adds several uses together).
  BackwardFixture f;
  for (const auto& entry : f.grads.entries()) f.grads[entry.name].fill(1.0f), f.want_grads[entry.name].fill(1.0f);
  std::vector<float> dinp(f.inp.size(), 1.0f), want_dinp(f.inp.size(), 1.0f);
  f.run(dinp.data());
  f.run_library(want_dinp.data());
  for (size_t i = 0; i < dinp.size(); ++i) ASSERT_NEAR(dinp[i], want_dinp[i], 1e-4f) << "dinp[" << i << "] = 1 + ...";
  for (const auto& entry : f.grads.entries()) {
    const minillm::TensorView got = f.grads[entry.name], expected = f.want_grads[entry.name];
    for (int64_t i = 0; i < got.numel(); ++i)
      ASSERT_NEAR(got.data[i], expected.data[i], 1e-4f) << entry.name << "[" << i << "] = 1 + its gradient";
  }
}

}  // namespace
