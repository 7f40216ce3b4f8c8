// ZeRO-1's optimizer: an AdamW that owns floats [begin, end) of the parameters (train/adamw.hpp) takes exactly
// the whole optimizer's step on them and leaves the rest alone, and reads its part of a checkpoint's m and v.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/rng.hpp"
#include "train/adamw.hpp"
#include "train/checkpoint.hpp"

namespace minillm {
namespace {

const GptConfig kConfig{.vocab_size = 12, .context_length = 4, .n_layer = 2, .n_head = 2, .n_embd = 4};

// A model with random parameters and gradients (seeded), so every float's update differs.
Gpt random_model() {
  Gpt model(kConfig);
  Rng rng(5);
  model.params().zero();
  rng.fill_normal({model.params().data(), model.params().size()}, 0.0f, 0.5f);
  rng.fill_normal({model.grads().data(), model.grads().size()}, 0.0f, 0.1f);
  return model;
}

TEST(AdamWShard, ShardsTogetherTakeTheWholeOptimizersStepsExactly) {
  Gpt whole_model = random_model(), shard_model = random_model();
  const auto n = static_cast<int64_t>(whole_model.params().size());
  // Three shards whose edges fall inside tensors (the first tensor, wte, is 48 floats).
  const std::vector<int64_t> edges = {0, 29, n - 7, n};
  AdamW whole(whole_model.params(), AdamWConfig{});
  std::vector<AdamW> shards;
  for (size_t s = 0; s + 1 < edges.size(); ++s)
    shards.emplace_back(shard_model.params(), AdamWConfig{}, edges[s], edges[s + 1]);
  for (int step = 0; step < 3; ++step) {
    whole.step(whole_model.params(), whole_model.grads(), 1e-2f);
    for (AdamW& shard : shards) shard.step(shard_model.params(), shard_model.grads(), 1e-2f);
  }
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(shard_model.params().data()[i], whole_model.params().data()[i]) << i;
  for (size_t s = 0; s < shards.size(); ++s)
    for (int64_t i = edges[s]; i < edges[s + 1]; ++i) {
      ASSERT_EQ(shards[s].m()[size_t(i - edges[s])], whole.m()[size_t(i)]) << i;
      ASSERT_EQ(shards[s].v()[size_t(i - edges[s])], whole.v()[size_t(i)]) << i;
    }
}

TEST(AdamWShard, AShardLeavesTheOtherParametersAlone) {
  Gpt model = random_model();
  const std::vector<float> before(model.params().data(), model.params().data() + model.params().size());
  AdamW shard(model.params(), AdamWConfig{}, 10, 20);
  EXPECT_EQ(shard.m().size(), 10u);
  shard.step(model.params(), model.grads(), 1e-2f);
  for (int64_t i = 0; i < int64_t(before.size()); ++i) {
    if (i >= 10 && i < 20) EXPECT_NE(model.params().data()[i], before[size_t(i)]) << i;
    else EXPECT_EQ(model.params().data()[i], before[size_t(i)]) << i;
  }
  EXPECT_THROW(AdamW(model.params(), AdamWConfig{}, 5, int64_t(before.size()) + 1), Error);
}

TEST(AdamWShard, AShardReadsItsPartOfACheckpointsMoments) {
  const auto dir = std::filesystem::temp_directory_path() / ("minillm-shard-" + std::to_string(::getpid()));
  Gpt model = random_model();
  AdamW whole(model.params(), AdamWConfig{});
  whole.step(model.params(), model.grads(), 1e-2f);
  save_checkpoint(dir, model, whole, {{"step", 1}}, {});
  const LoadedCheckpoint checkpoint = load_checkpoint(dir);
  const auto n = static_cast<int64_t>(model.params().size());
  for (const auto& [begin, end] : std::vector<std::pair<int64_t, int64_t>>{{0, 30}, {30, n - 3}, {n - 3, n}}) {
    AdamW shard(model.params(), AdamWConfig{}, begin, end);
    load_optimizer_state(checkpoint.dir, *checkpoint.model, shard, checkpoint.state);
    EXPECT_EQ(shard.steps_taken(), 1);
    for (int64_t i = begin; i < end; ++i) {
      ASSERT_EQ(shard.m()[size_t(i - begin)], whole.m()[size_t(i)]) << i;
      ASSERT_EQ(shard.v()[size_t(i - begin)], whole.v()[size_t(i)]) << i;
    }
  }
  // A sharded optimizer is not a whole one: its moments alone do not make a checkpoint.
  AdamW shard(model.params(), AdamWConfig{}, 0, 30);
  EXPECT_THROW(save_checkpoint(dir, model, shard, {{"step", 2}}, {}), Error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace minillm
