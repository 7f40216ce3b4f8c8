// Tests for chapter 05's practice tasks. Each suite is one task of manifest.json. The references are values
// worked out by hand (in the comments), GPT-2 small's published size, and the library (src/nn, src/gpt),
// which tests/unit checks against PyTorch and finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "gpt/gpt.hpp"
#include "nn/embedding.hpp"
#include "nn/linear.hpp"
#include "tasks.hpp"

namespace {

std::vector<float> random_values(size_t n, uint64_t seed) {
  minillm::Rng rng(seed);
  std::vector<float> v(n);
  rng.fill_normal(v, 0.0f, 1.0f);
  return v;
}

minillm::TokenIds token_ids(const std::vector<int>& ids) {
  minillm::TokenIds tokens;
  for (int id : ids) tokens.push_back(minillm::token_id(id));
  return tokens;
}

// ---- token_position_embedding ----

TEST(TokenPositionEmbedding, TwoRowsByHand) {
  // wte rows: token 0 = (1, 2), token 1 = (3, 4), token 2 = (5, 6); wpe rows: position 0 = (10, 20),
  // position 1 = (30, 40). Row 0 is tokens (2, 0), row 1 tokens (1, 1): positions restart in every row.
  const std::vector<float> wte = {1, 2, 3, 4, 5, 6}, wpe = {10, 20, 30, 40};
  const std::vector<float> out = ch05::token_position_embedding({2, 0, 1, 1}, wte, wpe, 2, 2, 2);
  EXPECT_EQ(out, (std::vector<float>{15, 26, 31, 42, 13, 24, 33, 44}))
      << "out(b, t) = wte[token] + wpe[t]: (5+10, 6+20), (1+30, 2+40); (3+10, 4+20), (3+30, 4+40)";
}

TEST(TokenPositionEmbedding, MatchesTheLibrary) {
  const int V = 11, maxT = 6, B = 3, T = 5, C = 4;
  const std::vector<float> wte = random_values(V * C, 1), wpe = random_values(maxT * C, 2);
  const std::vector<int> ids = {3, 10, 0, 3, 7, 1, 1, 2, 9, 4, 5, 6, 8, 0, 10};
  std::vector<float> want(B * T * C);
  minillm::token_position_forward(want.data(), token_ids(ids), wte.data(), wpe.data(), B, T, C, V);
  const std::vector<float> out = ch05::token_position_embedding(ids, wte, wpe, B, T, C);
  ASSERT_EQ(out.size(), want.size()) << "out is [B, T, C]";
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(out[i], want[i]) << "out[" << i << "]";
}

// ---- tied_logits ----

TEST(TiedLogits, DotWithEachEmbedding) {
  const std::vector<float> x = {1, 2, 0, 1};             // N=2 rows of C=2
  const std::vector<float> wte = {1, 0, 0, 1, 1, 1};     // V=3 embeddings
  const std::vector<float> logits = ch05::tied_logits(x, wte, 2, 2, 3);
  const std::vector<float> expected = {1, 2, 3, 0, 1, 1};
  EXPECT_EQ(logits, expected) << "row 0: [1,2]·[1,0]=1, [1,2]·[0,1]=2, [1,2]·[1,1]=3; row 1: 0, 1, 1";
}

TEST(TiedLogits, MatchesALinearLayerWithoutBias) {
  const int N = 3, C = 5, V = 7;
  const std::vector<float> x = random_values(N * C, 3), wte = random_values(V * C, 4);
  std::vector<float> want(N * V);
  minillm::linear_forward(want.data(), x.data(), wte.data(), nullptr, N, C, V);
  const std::vector<float> logits = ch05::tied_logits(x, wte, N, C, V);
  ASSERT_EQ(logits.size(), want.size()) << "logits is [N, V]";
  for (size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(logits[i], want[i], 1e-5f) << "logits[" << i << "]";
}

// ---- parameter_count ----

TEST(ParameterCount, Gpt2Small) {
  EXPECT_EQ(ch05::parameter_count(minillm::GptConfig{50257, 1024, 12, 12, 768}), 124439808)
      << "GPT-2 small (V 50257, context 1024, 12 layers, width 768) has 124,439,808 parameters";
}

TEST(ParameterCount, TinyByHand) {
  // V = 10, maxT = 4, L = 1, C = 2: wte 20 + wpe 8 + one block (LayerNorms 8, c_attn 12 + 6, attn c_proj
  // 4 + 2, c_fc 16 + 8, mlp c_proj 16 + 2 = 74) + ln_f 4 = 106.
  EXPECT_EQ(ch05::parameter_count(minillm::GptConfig{10, 4, 1, 1, 2}), 106);
}

TEST(ParameterCount, EqualsTheFloatsTheModelAllocates) {
  for (const minillm::GptConfig& config : {minillm::GptConfig{100, 16, 3, 2, 8}, minillm::GptConfig{37, 5, 2, 4, 12}}) {
    const minillm::Gpt model(config);
    EXPECT_EQ(ch05::parameter_count(config), static_cast<int64_t>(model.params().size()))
        << "V " << config.vocab_size << ", maxT " << config.context_length << ", L " << config.n_layer << ", C "
        << config.n_embd << ": minillm::Gpt allocates this many parameters";
  }
}

// ---- token_position_backward ----

TEST(TokenPositionBackward, RepeatedTokensAndPositionsAddUp) {
  // B = 2, T = 2, C = 1, ids = (1, 1 | 0, 1), dout = (1, 2 | 3, 4):
  //   token 1 was used at three places: dwte[1] = 1 + 2 + 4 = 7; token 0 once: dwte[0] = 3
  //   position 0 in both rows: dwpe[0] = 1 + 3 = 4; position 1: dwpe[1] = 2 + 4 = 6
  std::vector<float> dwte = {0, 0, 0}, dwpe = {0, 0, 0};
  ch05::token_position_backward({1, 1, 0, 1}, {1, 2, 3, 4}, dwte, dwpe, 2, 2, 1);
  EXPECT_EQ(dwte, (std::vector<float>{3, 7, 0})) << "token 2 was never used: its row gets nothing";
  EXPECT_EQ(dwpe, (std::vector<float>{4, 6, 0})) << "position 2 (maxT = 3 > T = 2) was never used";
}

TEST(TokenPositionBackward, MatchesTheLibraryAndAccumulates) {
  const int V = 9, maxT = 7, B = 2, T = 6, C = 3;
  const std::vector<int> ids = {4, 4, 0, 8, 1, 4, 2, 2, 7, 3, 0, 4};
  const std::vector<float> dout = random_values(B * T * C, 5);
  std::vector<float> want_wte(V * C, 0.5f), want_wpe(maxT * C, 0.5f);
  minillm::token_position_backward(want_wte.data(), want_wpe.data(), token_ids(ids), dout.data(), B, T, C, V);
  std::vector<float> dwte(V * C, 0.5f), dwpe(maxT * C, 0.5f);  // start at 0.5: the task must ADD
  ch05::token_position_backward(ids, dout, dwte, dwpe, B, T, C);
  for (int i = 0; i < V * C; ++i) ASSERT_NEAR(dwte[i], want_wte[i], 1e-6f) << "dwte(" << i / C << ", " << i % C << ")";
  for (int i = 0; i < maxT * C; ++i) ASSERT_NEAR(dwpe[i], want_wpe[i], 1e-6f) << "dwpe(" << i / C << ", " << i % C << ")";
}

// ---- tied_logits_backward ----

TEST(TiedLogitsBackward, OneRowByHand) {
  // x = (1, 2), wte rows (1, 0) and (0, 1): logits (1, 2). With dlogits = (1, -1):
  //   dx = 1 * (1, 0) - 1 * (0, 1) = (1, -1)
  //   dwte row 0 += 1 * x = (1, 2), row 1 += -1 * x = (-1, -2)
  std::vector<float> dx = {0, 0}, dwte = {0, 0, 0, 0};
  ch05::tied_logits_backward({1, 2}, {1, 0, 0, 1}, {1, -1}, dx, dwte, 1, 2, 2);
  EXPECT_EQ(dx, (std::vector<float>{1, -1})) << "each logit sends its gradient back along its token's embedding";
  EXPECT_EQ(dwte, (std::vector<float>{1, 2, -1, -2})) << "each embedding row collects its logit's gradient times x";
}

TEST(TiedLogitsBackward, AddsToTheEmbeddingsGradient) {
  // In the GPT, wte has two uses and so two gradients: the input embedding's (already in dwte when the
  // head's backward runs, here from the library's token_position_backward) and the head's (the library's
  // linear_backward, the same product). dwte must end as their sum.
  const int N = 4, C = 3, V = 5, T = 4;
  const std::vector<float> x = random_values(N * C, 6), wte = random_values(V * C, 7);
  const std::vector<float> dlogits = random_values(N * V, 8), dembedded = random_values(N * C, 9);
  const std::vector<int> ids = {0, 3, 3, 1};
  std::vector<float> dwpe(T * C, 0.0f), embedding_part(V * C, 0.0f);
  minillm::token_position_backward(embedding_part.data(), dwpe.data(), token_ids(ids), dembedded.data(), 1, T, C, V);
  std::vector<float> want_dx(N * C, 0.0f), head_part(V * C, 0.0f);
  minillm::linear_backward(want_dx.data(), head_part.data(), nullptr, dlogits.data(), x.data(), wte.data(), N, C, V);

  std::vector<float> dx(N * C, 0.0f), dwte = embedding_part;
  ch05::tied_logits_backward(x, wte, dlogits, dx, dwte, N, C, V);
  for (int i = 0; i < N * C; ++i) ASSERT_NEAR(dx[i], want_dx[i], 1e-5f) << "dx(" << i / C << ", " << i % C << ")";
  for (int i = 0; i < V * C; ++i)
    ASSERT_NEAR(dwte[i], embedding_part[i] + head_part[i], 1e-5f)
        << "dwte(" << i / C << ", " << i % C << ") = embedding's gradient + head's gradient (use +=)";
}

// ---- gpt_forward ----

struct TinyGpt {
  minillm::GptConfig config{32, 8, 2, 2, 16};
  minillm::Gpt model{config};
  TinyGpt() {
    minillm::Rng rng(1);
    model.init_weights(rng);
  }
};

TEST(GptForward, MatchesTheLibrarysGpt) {
  TinyGpt gpt;
  const int B = 2, T = 5;
  const std::vector<int> ids = {5, 1, 31, 0, 7, 2, 2, 19, 8, 30};
  gpt.model.forward(token_ids(ids), B, T);
  const std::vector<float> logits = ch05::gpt_forward(gpt.model.params(), gpt.config, ids, B, T);
  ASSERT_EQ(logits.size(), static_cast<size_t>(B * T * gpt.config.vocab_size)) << "logits is [B, T, V]";
  for (size_t i = 0; i < logits.size(); ++i)
    ASSERT_NEAR(logits[i], gpt.model.logits()[i], 1e-4f)
        << "logits at row " << i / gpt.config.vocab_size << ", token " << i % gpt.config.vocab_size;
}

TEST(GptForward, NoPositionSeesTheFuture) {
  // Changing the last token may change only the last position's logits: every block's attention is causal.
  TinyGpt gpt;
  const int T = 6, V = gpt.config.vocab_size;
  std::vector<int> ids = {3, 14, 15, 9, 26, 5};
  const std::vector<float> before = ch05::gpt_forward(gpt.model.params(), gpt.config, ids, 1, T);
  ids[T - 1] = 27;
  const std::vector<float> after = ch05::gpt_forward(gpt.model.params(), gpt.config, ids, 1, T);
  ASSERT_EQ(before.size(), static_cast<size_t>(T * V));
  ASSERT_EQ(after.size(), static_cast<size_t>(T * V));
  for (int i = 0; i < (T - 1) * V; ++i)
    ASSERT_EQ(before[i], after[i]) << "position " << i / V << " changed when only the last token did";
  bool last_changed = false;
  for (int i = (T - 1) * V; i < T * V; ++i) last_changed = last_changed || before[i] != after[i];
  EXPECT_TRUE(last_changed) << "the last position's logits must depend on the last token";
}

// ---- gpt_backward ----

// A GPT small enough for finite differences on every tensor, with weights far from GPT-2's initialisation
// (LayerNorm weights around 1, everything else N(0, 0.3²)) so that every path carries a real gradient.
struct TrainableTinyGpt {
  minillm::GptConfig config{11, 6, 2, 2, 8};
  minillm::Gpt model{config};
  static constexpr int B = 2, T = 5;
  std::vector<int> ids = {3, 1, 10, 0, 3, 7, 7, 2, 9, 4}, targets = {1, 10, 0, 3, 5, 7, 2, 9, 4, 4};
  TrainableTinyGpt() {
    minillm::Rng rng(7);
    for (const auto& entry : model.params().entries()) {
      const bool ln_weight = entry.name.find("ln_") != std::string::npos && entry.name.ends_with("weight");
      rng.fill_normal(model.params()[entry.name].span(), ln_weight ? 1.0f : 0.0f, ln_weight ? 0.1f : 0.3f);
    }
    model.zero_grad();
  }
  float library_loss() { return model.forward(token_ids(ids), token_ids(targets), B, T); }
  float run() { return ch05::gpt_backward(model.params(), model.grads(), config, ids, targets, B, T); }
};

TEST(GptBackward, ReturnsTheMeanLossOfTheForwardPass) {
  TrainableTinyGpt gpt;
  const float want = gpt.library_loss();
  EXPECT_NEAR(gpt.run(), want, 1e-4f) << "the mean over the 10 positions of -log p(target), as the library's forward";
}

TEST(GptBackward, MatchesFiniteDifferencesOnEveryTensor) {
  // Central differences of the library's loss, on a spread of entries of every tensor: wte (used by the
  // embedding AND the head), wpe, every block's twelve tensors, ln_f.
  TrainableTinyGpt gpt;
  gpt.run();
  minillm::TensorArena& params = gpt.model.params();
  const float h = 1e-2f;
  for (const auto& entry : params.entries()) {
    const minillm::TensorView w = params[entry.name];
    const minillm::ConstTensorView g = std::as_const(gpt.model.grads())[entry.name];
    for (int64_t i = entry.name == "wte" ? 0 : 1; i < w.numel(); i += 5) {
      const float saved = w.data[i];
      w.data[i] = saved + h;
      const double up = gpt.library_loss();
      w.data[i] = saved - h;
      const double down = gpt.library_loss();
      w.data[i] = saved;
      const double numeric = (up - down) / (2 * h);
      ASSERT_NEAR(g.data[i], numeric, 5e-4 + 0.03 * std::abs(numeric))
          << "dLoss/d" << entry.name << "[" << i << "] against finite differences";
    }
  }
}

TEST(GptBackward, MatchesTheLibrarysBackwardAndAccumulates) {
  // grads starts at 0.5 everywhere: the result must be 0.5 + the library's gradient (Gpt::backward).
  TrainableTinyGpt gpt;
  gpt.library_loss();
  gpt.model.backward();
  std::vector<float> want(gpt.model.grads().data(), gpt.model.grads().data() + gpt.model.grads().size());
  for (const auto& entry : gpt.model.grads().entries()) gpt.model.grads()[entry.name].fill(0.5f);
  gpt.run();
  const minillm::TensorArena& grads = gpt.model.grads();
  for (const auto& entry : grads.entries()) {
    const minillm::ConstTensorView g = grads[entry.name];
    const float* expected = want.data() + (g.data - grads.data());
    for (int64_t i = 0; i < g.numel(); ++i)
      ASSERT_NEAR(g.data[i], 0.5f + expected[i], 1e-4f + 1e-3f * std::abs(expected[i]))
          << entry.name << "[" << i << "] = 0.5 (already there) + its gradient";
  }
}

}  // namespace
