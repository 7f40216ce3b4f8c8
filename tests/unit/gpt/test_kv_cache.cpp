// The KV cache must not change what the model computes: at every position, the logits of prefill + step
// equal the full forward's (Gpt::forward over the same tokens) within 1e-4. Weights are drawn N(0, 0.2),
// ten times GPT-2's init, so logits are of order 1 and a wrong cache (a missing key, a shifted position,
// a wrong scale) moves them far more than that.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/sampling.hpp"

namespace minillm {
namespace {

constexpr float kTolerance = 1e-4f;

Gpt random_model(const GptConfig& config, uint64_t seed) {
  Gpt model(config);
  Rng rng(seed);
  for (const auto& entry : model.params().entries()) {
    TensorView t = model.params()[entry.name];
    if (entry.name.find("ln_") != std::string::npos && entry.name.ends_with(".weight"))
      rng.fill_uniform(t.span(), 0.8f, 1.2f);
    else
      rng.fill_normal(t.span(), 0.0f, 0.2f);
  }
  return model;
}

TokenIds random_tokens(int n, int V, uint64_t seed) {
  Rng rng(seed);
  TokenIds ids;
  for (int i = 0; i < n; ++i) ids.push_back(token_id(static_cast<int>(rng.below(static_cast<uint64_t>(V)))));
  return ids;
}

// Compares logits[V] with row t of the full forward's logits; true when all are within tolerance.
bool same_logits(std::span<const float> cached, const float* full_row, int V, const std::string& where) {
  for (int v = 0; v < V; ++v) {
    if (std::fabs(cached[v] - full_row[v]) > kTolerance) {
      ADD_FAILURE() << where << ": logit " << v << " is " << cached[v] << " with the cache, " << full_row[v]
                    << " in the full forward";
      return false;
    }
  }
  return true;
}

// For every prompt length p, prefill p tokens, then step to the end of the context: every position's
// logits must equal the full forward's row for that position.
void check_every_position(const GptConfig& config) {
  Gpt model = random_model(config, 11);
  const int T = config.context_length, V = config.vocab_size;
  const TokenIds tokens = random_tokens(T, V, 12);
  model.forward(tokens, 1, T);
  const std::vector<float> full(model.logits(), model.logits() + static_cast<size_t>(T) * V);
  Decoder decoder(model);
  for (int p : {1, T / 2 + 1, T}) {  // a prompt of one token, half the context, and the whole context
    std::span<const float> logits = decoder.prefill(std::span(tokens).first(static_cast<size_t>(p)));
    if (!same_logits(logits, &full[static_cast<size_t>(p - 1) * V], V, "prefill of " + std::to_string(p))) return;
    for (int t = p; t < T; ++t) {
      logits = decoder.step(tokens[static_cast<size_t>(t)]);
      if (!same_logits(logits, &full[static_cast<size_t>(t) * V], V,
                       "prompt " + std::to_string(p) + ", position " + std::to_string(t)))
        return;
    }
    EXPECT_TRUE(decoder.full());
  }
}

TEST(KvCache, MatchesTheFullForwardAtEveryPosition) {
  check_every_position(GptConfig{.vocab_size = 40, .context_length = 12, .n_layer = 2, .n_head = 2, .n_embd = 16});
}

TEST(KvCache, OddHeadSizes) {
  check_every_position(GptConfig{.vocab_size = 37, .context_length = 9, .n_layer = 3, .n_head = 3, .n_embd = 15});
  check_every_position(GptConfig{.vocab_size = 23, .context_length = 5, .n_layer = 1, .n_head = 1, .n_embd = 7});
}

TEST(KvCache, LongerContextThanTheAttentionBlock) {
  // 70 positions cross the full attention's 32-row causal blocks, and C = 36 the matvec's 8-wide lanes.
  check_every_position(GptConfig{.vocab_size = 50, .context_length = 70, .n_layer = 2, .n_head = 4, .n_embd = 36});
}

TEST(KvCache, AFullCacheRefusesAnotherStepAndEmptyOneToo) {
  const GptConfig config{.vocab_size = 16, .context_length = 4, .n_layer = 1, .n_head = 2, .n_embd = 8};
  Gpt model = random_model(config, 3);
  Decoder decoder(model);
  EXPECT_THROW(decoder.step(token_id(1)), Error) << "step before any prefill";
  decoder.prefill(random_tokens(4, 16, 4));
  EXPECT_TRUE(decoder.full());
  EXPECT_THROW(decoder.step(token_id(1)), Error) << "a full cache has no room for position 4";
  EXPECT_THROW(decoder.prefill(random_tokens(5, 16, 4)), Error) << "5 tokens do not fit a context of 4";
  EXPECT_THROW(decoder.prefill(TokenIds{token_id(16)}), Error) << "token 16 is outside a vocabulary of 16";
}

TEST(KvCache, CacheSizeFormula) {
  // GPT-2 124M at 1,024 tokens: 2 * 12 layers * 1024 * 768 * 4 bytes = 75,497,472 bytes.
  EXPECT_EQ(kv_cache_bytes(GptConfig{50257, 1024, 12, 12, 768}, 1024), 75497472);
}

// Greedy decoding picks the argmax, so with the cache and without it the same ids must come out.
TEST(Generate, CachedAndUncachedGreedyAgree) {
  const GptConfig config{.vocab_size = 30, .context_length = 16, .n_layer = 2, .n_head = 2, .n_embd = 12};
  Gpt model = random_model(config, 5);
  const TokenIds prompt = random_tokens(3, 30, 6);
  Rng a(1), b(1);
  const SamplingOptions greedy{0.0f, 0, 1.0f};
  EXPECT_EQ(generate(model, prompt, 13, greedy, a), generate_without_cache(model, prompt, 13, greedy, b));
}

// When the cache fills, generate() keeps the newest maxT/2 tokens and prefills them again. The reference
// below spells that rule out with the full forward: the ids must agree.
TEST(Generate, SlidesTheWindowWhenTheContextIsFull) {
  const GptConfig config{.vocab_size = 25, .context_length = 6, .n_layer = 2, .n_head = 2, .n_embd = 8};
  Gpt model = random_model(config, 7);
  const TokenIds prompt = random_tokens(4, 25, 8);
  Rng rng(1);
  const Generation g = generate(model, prompt, GenerateOptions{.max_new_tokens = 15, .sampling = {0.0f, 0, 1.0f}, .stop_token = {}},
                                rng);
  ASSERT_EQ(g.ids.size(), 15u);
  TokenIds context = prompt;  // what the model sees
  for (size_t i = 0; i < g.ids.size(); ++i) {
    model.forward(context, 1, static_cast<int>(context.size()));
    const float* last = model.logits() + (context.size() - 1) * 25;
    const TokenId expected = token_id(static_cast<int>(std::max_element(last, last + 25) - last));
    ASSERT_EQ(g.ids[i], expected) << "token " << i;
    if (context.size() == 6) context.erase(context.begin(), context.end() - 2);  // keep 6/2 - 1, add the new one
    context.push_back(expected);
  }
}

TEST(Generate, StopsAtTheStopTokenAndStreamsEveryOtherToken) {
  const GptConfig config{.vocab_size = 30, .context_length = 16, .n_layer = 1, .n_head = 2, .n_embd = 8};
  Gpt model = random_model(config, 9);
  const TokenIds prompt = random_tokens(2, 30, 10);
  Rng rng(3);
  const Generation free_run = generate(model, prompt, GenerateOptions{.max_new_tokens = 10, .sampling = {}, .stop_token = {}}, rng);
  ASSERT_EQ(free_run.ids.size(), 10u);
  EXPECT_FALSE(free_run.stopped) << "no stop token: the budget ends it";
  // Same seed, with the 5th token of the free run as the stop token: the run ends just before its first
  // occurrence, and the callback saw exactly the tokens returned.
  const TokenId stop = free_run.ids[4];
  const size_t first = static_cast<size_t>(std::find(free_run.ids.begin(), free_run.ids.end(), stop) -
                                           free_run.ids.begin());
  Rng again(3);
  TokenIds streamed;
  const Generation stopped =
      generate(model, prompt, GenerateOptions{.max_new_tokens = 10, .sampling = {}, .stop_token = stop}, again,
               [&](TokenId id) { streamed.push_back(id); });
  EXPECT_TRUE(stopped.stopped);
  EXPECT_EQ(stopped.ids, TokenIds(free_run.ids.begin(), free_run.ids.begin() + static_cast<long>(first)));
  EXPECT_EQ(streamed, stopped.ids) << "every generated token is streamed, in order; the stop token is not";
}

TEST(Generate, SameSeedSameTextOnOneAndTwoThreads) {
  // Big enough that the prefill's BLAS products and the matvecs are split between threads.
  const GptConfig config{.vocab_size = 500, .context_length = 96, .n_layer = 2, .n_head = 4, .n_embd = 64};
  Gpt model = random_model(config, 13);
  const TokenIds prompt = random_tokens(90, 500, 14);  // two row blocks of the prefill
  const int saved = num_threads();
  std::vector<Generation> runs;
  std::vector<std::vector<float>> logits;
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Rng rng(42);
    runs.push_back(generate(model, prompt, GenerateOptions{.max_new_tokens = 30, .sampling = {0.9f, 50, 0.95f}, .stop_token = {}},
                            rng));
    Decoder decoder(model);
    std::span<const float> l = decoder.prefill(prompt);
    std::vector<float> all(l.begin(), l.end());
    l = decoder.step(token_id(7));
    all.insert(all.end(), l.begin(), l.end());
    logits.push_back(all);
  }
  set_num_threads(saved);
  EXPECT_EQ(runs[0].ids, runs[1].ids) << "the same seed must give the same text on 1 and 2 threads";
  size_t first_diff = 0;
  while (first_diff < logits[0].size() && logits[0][first_diff] == logits[1][first_diff]) ++first_diff;
  EXPECT_EQ(first_diff, logits[0].size()) << "the logits must be bit-identical on 1 and 2 threads (entries 0..499: "
                                             "the prefill's last position, 500..999: one step)";
}

}  // namespace
}  // namespace minillm
