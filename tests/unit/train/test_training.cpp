// Schedule, data pipeline, checkpoints and the training loop.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "train/checkpoint.hpp"
#include "train/dataset.hpp"
#include "train/loss_chart.hpp"
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
  EXPECT_NEAR(s.at(35), 0.868198f, 1e-5) << "a quarter of the way: a cosine, not a straight line (0.775)";
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
    BpeTrainOptions options;
    options.vocab_size = 300;
    train_bpe(read_file(kText), options).tokenizer.save(file);
  }
  return file.string();
}

TrainConfig tiny_config(const std::filesystem::path& out) {
  TrainConfig c;
  c.model = GptConfig{.vocab_size = 256, .context_length = 16, .n_layer = 2, .n_head = 2, .n_embd = 32};
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
  // The reported validation numbers are evaluate()'s (whose formula the Evaluate tests check) on the
  // held-out end of the text, for the saved model.
  LoadedCheckpoint saved = load_checkpoint(c.out_dir);
  const Tokenizer tokenizer = Tokenizer::open(c.tokenizer);
  const TokenSplit split = split_train_val(tokenizer.encode_ordinary(read_file(kText)), c.val_fraction,
                                           c.model.context_length);
  const EvalResult r = evaluate(*saved.model, split.val, tokenizer, c.batch, c.model.context_length, c.eval_batches);
  EXPECT_NEAR(s.val_loss, r.loss, 1e-5);
  EXPECT_NEAR(s.val_bits_per_byte, r.bits_per_byte, 1e-5);
  EXPECT_LT(s.val_bits_per_byte, s.val_loss) << "bytes per token > 1 / ln 2 for this tokenizer, so bits per byte < nats per token";
  EXPECT_GT(s.peak_memory_bytes, 0);
  const std::string png = read_file(std::filesystem::path(c.out_dir) / "loss.png");
  EXPECT_EQ(png.substr(1, 3), "PNG") << "the loss curve is written as a PNG next to the checkpoint";
}

TEST(Trainer, WritesTextAtEveryValidationWithTheSameSeed) {
  TrainConfig c = tiny_config(fresh_dir("samples"));
  c.steps = 6;
  c.eval_every = 2;
  TrainHooks hooks;
  hooks.eval_sample_tokens = 5;
  const TrainSummary s = train(c, hooks);
  ASSERT_EQ(s.eval_samples.size(), 3u) << "validations at steps 2, 4 and 6";
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.eval_samples[i].step, int64_t(2 * (i + 1)));
    EXPECT_FALSE(s.eval_samples[i].text.empty()) << "5 tokens after the prompt at step " << s.eval_samples[i].step;
  }
  // Sampling at validations uses its own random numbers: the training itself is unchanged.
  TrainConfig plain = tiny_config(fresh_dir("samples_off"));
  plain.steps = 6;
  plain.eval_every = 2;
  EXPECT_EQ(train(plain).step_losses, s.step_losses);
}

TEST(LossChart, ShowsTheFirstMiddleAndLastSampleAtTheirValidationLoss) {
  const std::vector<std::pair<double, double>> train = {{1, 5.0}, {2, 4.0}, {3, 3.5}, {4, 3.0}, {5, 2.8}};
  const std::vector<std::pair<double, double>> val = {{1, 5.1}, {2, 4.2}, {3, 3.6}, {4, 3.1}, {5, 2.9}};
  const std::vector<StepSample> samples = {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}, {5, "e"}};
  const plot::LineChartSpec spec = loss_chart_spec(train, val, samples);
  ASSERT_EQ(spec.notes.size(), 3u) << "three of five samples";
  EXPECT_EQ(spec.notes[0].x, 1);
  EXPECT_EQ(spec.notes[1].x, 3) << "the middle one";
  EXPECT_EQ(spec.notes[2].x, 5);
  EXPECT_EQ(spec.notes[1].y, 3.6) << "at the validation loss of its step";
  EXPECT_EQ(spec.notes[1].text, "step 3: c");
  EXPECT_TRUE(loss_chart_spec(train, val).notes.empty());
}

TEST(LossChart, NoteTextIsOnePrintableLine) {
  const std::string text = sample_note_text({12, "Call\tme \u201CIsh\u2019m\u00e6el\u201D\n" + std::string(100, 'x')});
  EXPECT_EQ(text.substr(0, 31), "step 12: Call me \"Ish'm?el\" xxx")
      << "tabs and newlines as spaces, curly quotes as ASCII, another character as one '?'";
  EXPECT_EQ(text.size(), std::string("step 12: ").size() + 56) << "at most 56 characters of the sample";
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

// The message of the Error that train(c) must end with.
std::string divergence_message(const TrainConfig& c) {
  try {
    train(c);
  } catch (const Error& e) {
    return e.what();
  }
  return "(train returned normally)";
}

TEST(Trainer, DivergenceBeforeAnyCheckpointStopsAndSavesNothing) {
  TrainConfig c = tiny_config(fresh_dir("diverge"));
  c.lr = 1e30f;  // the first update throws the weights to ~1e30: every later loss is inf or NaN
  c.min_lr = 0;
  c.warmup = 0;
  c.steps = 20;
  const std::string message = divergence_message(c);
  EXPECT_NE(message.find("training diverged"), std::string::npos) << message;
  EXPECT_NE(message.find("at steps 2 to 4 (3 updates in a row skipped)"), std::string::npos)
      << "max_bad_steps is 3 by default, and step 1's loss is finite: " << message;
  EXPECT_NE(message.find("no checkpoint had been saved yet"), std::string::npos) << message;
  EXPECT_FALSE(has_checkpoint(c.out_dir)) << "the diverged parameters are not saved as a checkpoint";
}

TEST(Trainer, DivergenceKeepsTheLastGoodCheckpoint) {
  TrainConfig c = tiny_config(fresh_dir("diverge_resume"));
  train(c);  // 4 good steps, saved at the end
  c.resume = true;
  c.steps = 20;
  c.lr = 1e30f;  // may change on resume: step 5 (from the good step-4 weights) is finite, then it blows up
  c.min_lr = 0;
  c.warmup = 0;
  c.max_bad_steps = 2;
  const std::string message = divergence_message(c);
  EXPECT_NE(message.find("at steps 6 to 7 (2 updates in a row skipped)"), std::string::npos) << message;
  EXPECT_NE(message.find("the checkpoint of step 4"), std::string::npos) << message;
  EXPECT_NE(message.find("is intact, and its parameters gave a finite loss"), std::string::npos) << message;
  LoadedCheckpoint saved = load_checkpoint(c.out_dir);
  EXPECT_EQ(saved.state["step"].get<int64_t>(), 4);
  const Tokenizer tokenizer = Tokenizer::open(c.tokenizer);
  const TokenIds ids = tokenizer.encode_ordinary(read_file(kText));
  const EvalResult r = evaluate(*saved.model, ids, tokenizer, 4, c.model.context_length, 2);
  EXPECT_TRUE(std::isfinite(r.loss)) << "the kept checkpoint's parameters have a finite loss";
}

TEST(TrainStep, ANonFiniteLossChangesNothing) {
  Gpt model(GptConfig{.vocab_size = 32, .context_length = 8, .n_layer = 1, .n_head = 2, .n_embd = 16});
  Rng rng(3);
  model.init_weights(rng);
  AdamW optimizer(model.params(), AdamWConfig{});
  TokenIds inputs, targets;
  for (int i = 0; i < 8; ++i) {
    inputs.push_back(token_id(i));
    targets.push_back(token_id(i + 1));
  }
  const StepResult good = train_step(model, optimizer, inputs, targets, 1, 8, 1e-3f, 1.0f);
  EXPECT_TRUE(good.updated);
  EXPECT_TRUE(std::isfinite(good.grad_norm) && good.grad_norm > 0) << good.grad_norm;
  model.params()["ln_f.weight"].data[0] = std::nanf("");  // one poisoned weight: every loss is NaN now
  const std::vector<float> params(model.params().data(), model.params().data() + model.params().size());
  const std::vector<float> m = optimizer.m(), v = optimizer.v();
  const StepResult bad = train_step(model, optimizer, inputs, targets, 1, 8, 1e-3f, 1.0f);
  EXPECT_FALSE(bad.updated);
  EXPECT_TRUE(std::isnan(bad.loss));
  EXPECT_EQ(optimizer.steps_taken(), 1) << "AdamW's step count (its bias correction) did not move";
  EXPECT_EQ(optimizer.m(), m);
  EXPECT_EQ(optimizer.v(), v);
  const float* after = model.params().data();
  for (size_t i = 0; i < params.size(); ++i)
    if (!std::isnan(params[i])) {
      ASSERT_EQ(after[i], params[i]) << "parameter " << i;
    }
}

// A model to score texts with: tiny, untrained, the same every run.
std::unique_ptr<Gpt> tiny_untrained_model(const Tokenizer& tokenizer, int context) {
  auto model = std::make_unique<Gpt>(
      GptConfig{.vocab_size = tokenizer.vocab_size(), .context_length = context, .n_layer = 1, .n_head = 2, .n_embd = 16});
  Rng rng(5);
  model->init_weights(rng);
  return model;
}

TEST(Evaluate, ScoresEveryTokenOnceWhateverTheBatchSize) {
  const Tokenizer tokenizer = Tokenizer::open(tiny_tokenizer());
  TokenIds ids = tokenizer.encode_ordinary(read_file(kText));
  ids.resize(std::min<size_t>(ids.size(), 203));  // 202 predictions: 12 windows of 16 and 10 left over
  const std::unique_ptr<Gpt> owned = tiny_untrained_model(tokenizer, 16);
  Gpt& model = *owned;

  // The reference, computed here window by window: every id after the first is predicted once.
  double nats = 0, bytes = 0;
  for (size_t o = 0; o + 1 < ids.size(); o += 16) {
    const size_t n = std::min<size_t>(16, ids.size() - 1 - o);
    const TokenIds in(ids.begin() + o, ids.begin() + o + n), tg(ids.begin() + o + 1, ids.begin() + o + n + 1);
    model.forward(in, tg, 1, static_cast<int>(n));
    for (size_t i = 0; i < n; ++i) {
      nats += model.losses()[i];
      bytes += static_cast<double>(tokenizer.token_bytes(tg[i]).size());
    }
  }
  for (int B : {1, 3, 8, 20}) {
    const EvalResult r = evaluate(model, ids, tokenizer, B, 16, 0);
    EXPECT_EQ(r.tokens, static_cast<int64_t>(ids.size()) - 1) << "batch " << B << ": each target counted once";
    EXPECT_NEAR(r.loss, nats / double(ids.size() - 1), 1e-5) << "batch " << B;
    EXPECT_NEAR(r.bits_per_byte, nats / (std::log(2.0) * bytes), 1e-5)
        << "batch " << B << ": bits per byte = total nats / (ln 2 x UTF-8 bytes of the predicted tokens)";
  }
}

TEST(Evaluate, AShortTextIsOneShortWindowAndOneTokenIsAnError) {
  const Tokenizer tokenizer = Tokenizer::open(tiny_tokenizer());
  const TokenIds ids = tokenizer.encode_ordinary("The keeper lit the lamp.");
  ASSERT_LT(ids.size(), 17u);
  const std::unique_ptr<Gpt> model = tiny_untrained_model(tokenizer, 16);
  EXPECT_EQ(evaluate(*model, ids, tokenizer, 8, 16, 0).tokens, static_cast<int64_t>(ids.size()) - 1);
  EXPECT_THROW(evaluate(*model, TokenIds{ids[0]}, tokenizer, 8, 16, 0), Error) << "one token predicts nothing";
}

TEST(Trainer, ConfigJsonRejectsUnknownKeys) {
  EXPECT_THROW(train_config_from_json(nlohmann::json{{"learning_rate", 1}}), Error);
  const TrainConfig c = train_config_from_json(nlohmann::json{{"lr", 0.5}, {"model", {{"n_layer", 3}}}});
  EXPECT_FLOAT_EQ(c.lr, 0.5f);
  EXPECT_EQ(c.model.n_layer, 3);
}

TEST(Trainer, ConfigJsonRefusesWholeNumbersPastTheirType) {
  // 2^63 is one past int64's largest; as a double it equals int64's largest, so a check in doubles let it
  // through and it wrapped to a negative step count.
  const auto message_of = [](const nlohmann::json& j) {
    try {
      train_config_from_json(j);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message_of(nlohmann::json{{"steps", 9223372036854775808ULL}}),
            "training config: 'steps' = 9223372036854775808 is out of range");
  EXPECT_EQ(message_of(nlohmann::json{{"steps", 9223372036854775807LL}}), "(no error)");
  EXPECT_EQ(message_of(nlohmann::json{{"seed", -1}}), "training config: 'seed' = -1 is out of range");
  EXPECT_EQ(message_of(nlohmann::json{{"batch", 2147483648LL}}), "training config: 'batch' = 2147483648 is out of range");
}

}  // namespace
}  // namespace minillm
