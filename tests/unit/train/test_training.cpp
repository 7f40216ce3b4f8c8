// Schedule, data pipeline, checkpoints and the training loop.
#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "train/dataset.hpp"
#include "train/schedule.hpp"
#include "train/trainer.hpp"
#include "tokenizer/train_bpe.hpp"

namespace minillm {
namespace {

const std::string kText = std::string(MINILLM_SOURCE_DIR) + "/data/text/lighthouse_story.txt";

TEST(LrSchedule, WarmupThenCosineToMin) {
  const LrSchedule s{1.0f, 0.1f, 10, 110};
  EXPECT_FLOAT_EQ(s.at(0), 0.1f) << "step 0 of a 10-step warmup uses 1/10 of the peak";
  EXPECT_FLOAT_EQ(s.at(9), 1.0f) << "the last warmup step reaches the peak";
  EXPECT_FLOAT_EQ(s.at(10), 1.0f) << "the cosine starts at the peak";
  EXPECT_NEAR(s.at(60), 0.55f, 1e-6) << "halfway through the decay: (max + min) / 2";
  EXPECT_FLOAT_EQ(s.at(110), 0.1f);
  EXPECT_FLOAT_EQ(s.at(500), 0.1f) << "after the end it stays at min_lr";
  EXPECT_THROW((LrSchedule{1.0f, 2.0f, 0, 10}.validate()), Error) << "min_lr above max_lr";
}

TEST(Dataset, BatchesAreShiftedWindowsOfTheText) {
  TokenIds ids;
  for (int i = 0; i < 100; ++i) ids.push_back(token_id(i));
  Rng rng(1);
  TokenIds in, tg;
  sample_batch(ids, 4, 8, rng, in, tg);
  ASSERT_EQ(in.size(), 32u);
  for (int b = 0; b < 4; ++b)
    for (int t = 0; t < 8; ++t) {
      EXPECT_EQ(to_int(tg[b * 8 + t]), to_int(in[b * 8 + t]) + 1) << "the target is the next token";
      if (t > 0) {
        EXPECT_EQ(to_int(in[b * 8 + t]), to_int(in[b * 8 + t - 1]) + 1) << "windows are contiguous";
      }
    }
}

TEST(Dataset, SplitKeepsOrderAndRejectsTooLittleText) {
  TokenIds ids;
  for (int i = 0; i < 100; ++i) ids.push_back(token_id(i));
  const TokenSplit s = split_train_val(ids, 0.1, 8);
  EXPECT_EQ(s.train.size(), 90u);
  EXPECT_EQ(to_int(s.val.front()), 90) << "validation is the end of the text";
  EXPECT_THROW(split_train_val(ids, 0.1, 20), Error) << "10 validation tokens cannot hold a window of 21";
}

// A small BPE vocabulary trained on the project's own text (unit tests never need downloads).
std::string tiny_tokenizer() {
  const auto file = std::filesystem::path(MINILLM_BINARY_DIR) / "tests" / "tmp" / "train_tokenizer.bpe";
  if (!std::filesystem::exists(file)) {
    TrainOptions options;
    options.vocab_size = 300;
    train_bpe(read_file(kText), options).tokenizer.save(file);
  }
  return file.string();
}

TrainConfig tiny_config(const std::filesystem::path& out) {
  TrainConfig c;
  c.model = GptConfig{0, 16, 2, 2, 32};
  c.model.vocab_size = 256;
  c.corpus = kText;
  c.tokenizer = tiny_tokenizer();
  c.out_dir = out.string();
  c.cache_dir = "";
  c.batch = 4;
  c.steps = 4;
  c.lr = 3e-3f;
  c.warmup = 2;
  c.eval_every = 100;
  c.eval_batches = 2;
  return c;
}

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::path(MINILLM_BINARY_DIR) / "tests" / "tmp" / name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(Trainer, ResumeContinuesBitExactly) {
  TrainConfig straight = tiny_config(fresh_dir("straight"));
  const TrainSummary a = train(straight);
  ASSERT_EQ(a.step_losses.size(), 4u);

  TrainConfig halves = tiny_config(fresh_dir("halves"));
  halves.stop_after = 2;
  const TrainSummary first = train(halves);
  ASSERT_EQ(first.step_losses.size(), 2u);
  halves.stop_after = -1;
  halves.resume = true;
  const TrainSummary second = train(halves);
  ASSERT_EQ(second.step_losses.size(), 2u) << "resuming at step 2 of 4 runs steps 3 and 4";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(first.step_losses[i], a.step_losses[i]) << "step " << i + 1;
    EXPECT_EQ(second.step_losses[i], a.step_losses[i + 2]) << "step " << i + 3 << " after resume";
  }
  EXPECT_EQ(second.val_loss, a.val_loss) << "the final model is the same, so is its validation loss";
}

TEST(Trainer, OverfitsOneSmallTextAndReportsBitsPerByte) {
  TrainConfig c = tiny_config(fresh_dir("overfit"));
  c.steps = 40;
  c.lr = 1e-2f;
  const TrainSummary s = train(c);
  EXPECT_LT(s.step_losses.back(), s.step_losses.front() - 1.0f) << "40 AdamW steps must cut the loss clearly";
  const double expected_bpb_ratio = s.val_bits_per_byte / s.val_loss;
  EXPECT_GT(expected_bpb_ratio, 0.1) << "bits per byte is the loss in bits divided by bytes per token";
  EXPECT_GT(s.peak_memory_bytes, 0);
  const std::string png = read_file(std::filesystem::path(c.out_dir) / "loss.png");
  EXPECT_EQ(png.substr(1, 3), "PNG") << "the loss curve is written as a PNG next to the checkpoint";
}

TEST(Trainer, DivergenceStopsWithAClearMessage) {
  TrainConfig c = tiny_config(fresh_dir("diverge"));
  c.lr = 1e30f;
  c.min_lr = 0;
  c.warmup = 0;
  c.steps = 20;
  try {
    train(c);
    FAIL() << "a learning rate of 1e30 must make the loss non-finite";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(c.out_dir) / "state.json"))
      << "the last good state is saved";
}

TEST(Trainer, ConfigJsonRejectsUnknownKeys) {
  EXPECT_THROW(train_config_from_json(nlohmann::json{{"learning_rate", 1}}), Error);
  const TrainConfig c = train_config_from_json(nlohmann::json{{"lr", 0.5}, {"model", {{"n_layer", 3}}}});
  EXPECT_FLOAT_EQ(c.lr, 0.5f);
  EXPECT_EQ(c.model.n_layer, 3);
}

}  // namespace
}  // namespace minillm
