// Fine-tuning (train/init_from.hpp): a run that starts from a trained model, exported as a Hugging Face folder
// the way `minillm export` writes it, on the project's own texts (no downloads).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "gpt/memory_estimate.hpp"
#include "gpt/model_files.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors_reader.hpp"
#include "tokenizer/train_bpe.hpp"
#include "train/checkpoint.hpp"
#include "train/dataset.hpp"
#include "train/init_from.hpp"
#include "train/trainer.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;

const std::string kSourceText = std::string(MINILLM_SOURCE_DIR) + "/data/text/lighthouse_story.txt";
const std::string kFineTuneText = std::string(MINILLM_SOURCE_DIR) + "/data/text/how_models_read.txt";

// A folder of the current test's own: ctest runs tests in parallel processes, each making its own source.
fs::path tmp(const std::string& name) {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return fs::path(MINILLM_BINARY_DIR) / "tests" / "tmp" / ("FineTuning." + test) / name;
}

fs::path fresh_dir(const std::string& name) {
  fs::remove_all(tmp(name));
  return tmp(name);
}

// A 300-token BPE vocabulary trained on `text` (its own file per text, shared by the tests, written atomically).
std::string tokenizer_for(const std::string& text, const std::string& name) {
  const fs::path file = fs::path(MINILLM_BINARY_DIR) / "tests" / "tmp" / name;
  if (!fs::exists(file)) {
    fs::create_directories(file.parent_path());
    BpeTrainOptions options;
    options.vocab_size = 300;
    train_bpe(read_file(text), options).tokenizer.save(file);
  }
  return file.string();
}

TrainConfig tiny_run(const fs::path& out) {
  TrainConfig c;
  c.model = GptConfig{.vocab_size = 300, .context_length = 16, .n_layer = 2, .n_head = 2, .n_embd = 32};
  c.corpus = kSourceText;
  c.tokenizer = tokenizer_for(kSourceText, "init_from_story.bpe");
  c.out_dir = out.string();
  c.cache_dir = "";
  c.batch = 8;
  c.steps = 30;
  c.lr = 1e-2f;
  c.warmup = 2;
  c.eval_every = 100;
  c.eval_batches = 2;
  return c;
}

// A model trained here for 30 steps, exported as `minillm export` does: a Hugging Face GPT-2 folder whose
// config.json names the tokenizer. Each test makes its own (make_source) first.
fs::path source_hf_folder() { return tmp("source_hf"); }
void make_source() {
  const fs::path run = fresh_dir("source");
  train(tiny_run(run));
  save_model(load_model(run, GptForm::inference_only), fresh_dir("source_hf"), read_model_info(run));
}

// The fine-tuning run's config: the source's shape, another text.
TrainConfig fine_tune_config(const fs::path& out) {
  TrainConfig c = tiny_run(out);
  c.init_from = source_hf_folder().string();
  c.corpus = kFineTuneText;
  c.steps = 30;
  c.batch = 16;
  return c;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FineTuning, TheDefaultBatchOfGpt2SmallFitsIn24GB) {
  const GptConfig gpt2{.vocab_size = 50257, .context_length = 1024, .n_layer = 12, .n_head = 12, .n_embd = 768};
  ASSERT_EQ(gpt_parameter_count(gpt2), 124439808);
  EXPECT_EQ(fine_tuning_batch(1024), 4) << "4 x 1,024 = 4,096 tokens per step";
  EXPECT_LT(estimate_gpt_memory(gpt2, fine_tuning_batch(1024), 1024).training_total(), 16e9)
      << "the default must leave room on a 24 GB machine";
  EXPECT_EQ(fine_tuning_batch(512), 8);
  EXPECT_EQ(fine_tuning_batch(16), 16) << "at most 16";
  EXPECT_EQ(fine_tuning_batch(8192), 1) << "at least 1";
}

TEST(FineTuning, LoadsEveryParameterAndCropsThePositions) {
  make_source();
  const Gpt source = load_model(source_hf_folder(), GptForm::inference_only);
  const InitSource init = open_init_source(source_hf_folder().string());
  EXPECT_EQ(init.model, source.config());
  EXPECT_EQ(init.tokenizer, tokenizer_for(kSourceText, "init_from_story.bpe")) << "config.json names it";
  GptConfig cropped = source.config();
  cropped.context_length = 8;
  Gpt model(cropped);
  load_init_parameters(init, model);
  for (const auto& e : model.params().entries()) {
    const ConstTensorView theirs = source.params()[e.name];
    const float* ours = model.params().data() + e.offset;
    const Shape expected = e.name == "wpe" ? Shape{8, 32} : theirs.shape;
    ASSERT_EQ(expected, e.shape) << e.name;
    for (int64_t i = 0; i < e.shape.numel(); ++i)
      ASSERT_EQ(ours[i], theirs.data[i]) << e.name << "[" << i << "]: the first rows of wpe, everything else whole";
  }
}

TEST(FineTuning, StartsWhereTheModelLeftOffAndTheLossFalls) {
  make_source();
  const TrainSummary fine = train(fine_tune_config(fresh_dir("fine_tune")));
  TrainConfig scratch_config = fine_tune_config(fresh_dir("fine_tune_scratch"));
  scratch_config.init_from = "";
  const TrainSummary scratch = train(scratch_config);
  ASSERT_EQ(fine.step_losses.size(), 30u);
  EXPECT_LT(fine.step_losses.front(), scratch.step_losses.front() - 0.5f)
      << "the first batch is the same; a trained model must predict it better than random weights";
  // The loss on the text it was fine-tuned on (all of its training part, scored the same way) before and after.
  const TrainConfig c = fine_tune_config(tmp("fine_tune"));
  const Tokenizer tokenizer = Tokenizer::open(c.tokenizer);
  const TokenSplit split = split_train_val(tokenizer.encode_ordinary(read_file(kFineTuneText)), c.val_fraction, 16);
  Gpt source = load_model(source_hf_folder(), GptForm::inference_only);
  Gpt tuned = load_model(tmp("fine_tune"), GptForm::inference_only);
  const double before = evaluate(source, split.train, tokenizer, c.batch, 16, 0).loss;
  const double after = evaluate(tuned, split.train, tokenizer, c.batch, 16, 0).loss;
  EXPECT_LT(after, before - 0.2) << "30 steps on the new text must lower the loss on it";

  const nlohmann::json state = read_checkpoint_state(tmp("fine_tune"));
  EXPECT_EQ(state["config"]["init_from"].get<std::string>(), source_hf_folder().string());
  EXPECT_EQ(state["init_from_model"].get<std::string>(), fs::absolute(source_hf_folder()).lexically_normal().string());
  EXPECT_EQ(state["step"].get<int64_t>(), 30) << "a fine-tuning run counts its own steps from 0";
}

TEST(FineTuning, AResumedFineTuningRunContinuesItNotTheSource) {
  make_source();
  const TrainSummary straight = train(fine_tune_config(fresh_dir("fine_tune_straight")));
  TrainConfig halves = fine_tune_config(fresh_dir("fine_tune_halves"));
  halves.stop_after = 15;
  train(halves);
  halves.stop_after = -1;
  halves.resume = true;
  const TrainSummary second = train(halves);
  ASSERT_EQ(second.step_losses.size(), 15u);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(second.step_losses[i], straight.step_losses[15 + i]) << "step " << 16 + i;
}

TEST(FineTuning, ARunFolderItsLatestFileAndACheckpointFolderAreSources) {
  make_source();
  const fs::path run = tmp("source");
  const fs::path checkpoint = find_model_dir(run);
  for (const fs::path& path : {run, run / "latest", checkpoint}) {
    const InitSource s = open_init_source(path.string());
    EXPECT_EQ(s.model_dir, checkpoint) << path;
    EXPECT_EQ(s.description, "the minillm checkpoint") << path;
  }
  EXPECT_EQ(open_init_source(source_hf_folder().string()).description, "the Hugging Face GPT-2 folder");
}

TEST(FineTuning, SettingsThatCannotFitTheModelAreOneLineErrors) {
  make_source();
  const InitSource source = open_init_source(source_hf_folder().string());
  const TrainConfig good = fine_tune_config(tmp("fine_tune_errors"));
  const Tokenizer tokenizer = Tokenizer::open(good.tokenizer);
  EXPECT_EQ(error_of([&] { check_init_config(source, good, tokenizer); }), "(no error)");

  TrainConfig layers = good;
  layers.model.n_layer = 3;
  EXPECT_EQ(error_of([&] { check_init_config(source, layers, tokenizer); }),
            "--layers 3 differs from the model in " + source.model_dir.string() +
                ", which has 2 (n_layer in its config.json): fine-tuning keeps the shape of the model it starts "
                "from; drop --layers");
  TrainConfig context = good;
  context.model.context_length = 32;
  EXPECT_NE(error_of([&] { check_init_config(source, context, tokenizer); }).find("--context 32 is longer than the 16 "
                                                                                  "positions"), std::string::npos);
  TrainConfig other_tokenizer = good;
  other_tokenizer.tokenizer = tokenizer_for(kFineTuneText, "init_from_other.bpe");
  EXPECT_NE(error_of([&] { check_init_config(source, other_tokenizer, Tokenizer::open(other_tokenizer.tokenizer)); })
                .find("is not the tokenizer the model in"), std::string::npos)
      << "same vocabulary size, other merges: the ids would mean other text";
  TrainConfig into_source = good;
  into_source.out_dir = source_hf_folder().string();
  EXPECT_NE(error_of([&] { check_init_config(source, into_source, tokenizer); }).find("holds the model --init-from"),
            std::string::npos);
}

TEST(FineTuning, MissingAndDamagedFoldersAreNamed) {
  make_source();
  EXPECT_EQ(error_of([] { open_init_source("/nonexistent/model"); }),
            "--init-from: '/nonexistent/model' does not exist: give a Hugging Face GPT-2 folder (config.json and "
            "model.safetensors) or a minillm run's folder");
  const fs::path no_weights = fresh_dir("init_from_no_weights");
  fs::create_directories(no_weights);
  fs::copy_file(source_hf_folder() / "config.json", no_weights / "config.json");
  EXPECT_NE(error_of([&] { open_init_source(no_weights.string()); }).find("has a config.json but no model.safetensors"),
            std::string::npos);
  std::ofstream(no_weights / "model.safetensors") << "not a safetensors file";
  EXPECT_NE(error_of([&] { open_init_source(no_weights.string()); }).find("model.safetensors"), std::string::npos);
  std::ofstream(no_weights / "config.json") << "{ broken";
  EXPECT_NE(error_of([&] { open_init_source(no_weights.string()); }).find("config.json is not valid JSON"),
            std::string::npos);

  // Hugging Face's own files name no tokenizer: with a vocabulary other than GPT-2's, the user must give it.
  const InitSource hf = open_init_source(std::string(MINILLM_SOURCE_DIR) + "/tests/fixtures/hf_gpt2/tiny");
  EXPECT_EQ(hf.tokenizer, "") << "97 tokens, no 'minillm_tokenizer'";
  TrainConfig c = fine_tune_config(tmp("fine_tune_errors"));
  c.model = hf.model;
  EXPECT_NE(error_of([&] { check_init_config(hf, c, Tokenizer::open(c.tokenizer)); })
                .find("names no tokenizer ('minillm_tokenizer') and its vocabulary of 97 is not GPT-2's"),
            std::string::npos);
}

// LoRA fine-tuning (gpt/lora.hpp): the run's checkpoint holds the adapter and its optimizer state only, the
// base stays as it was, the run says what it trains, and a resumed LoRA run continues bit for bit.
TrainConfig lora_config(const fs::path& out) {
  TrainConfig c = fine_tune_config(out);
  c.lora_rank = 4;
  c.lora_alpha = 8.0f;
  c.lr = 1e-2f;
  return c;
}

TEST(FineTuning, ALoraRunTrainsAndSavesTheAdapterOnly) {
  make_source();
  const fs::path out = fresh_dir("lora");
  std::vector<std::string> said;
  TrainHooks hooks;
  hooks.say = [&](const std::string& s) { said.push_back(s); };
  const TrainSummary s = train(lora_config(out), hooks);
  const GptConfig m = lora_config(out).model;
  const int64_t adapters = lora_parameter_count(m, 4);
  bool counted = false, saving = false;
  for (const std::string& line : said) {
    counted |= line.find(fmt::format("{} trainable parameters", adapters)) != std::string::npos;
    saving |= line.find("the frozen weights hold no gradients and no AdamW moments") != std::string::npos;
  }
  EXPECT_TRUE(counted) << "the run prints how many parameters it trains";
  EXPECT_TRUE(saving) << "and the memory that freezing saves";
  ASSERT_EQ(s.step_losses.size(), 30u);
  // The loss on the text it was fine-tuned on (its training part, scored the same way) before and after.
  const TrainConfig c = lora_config(out);
  const Tokenizer tokenizer = Tokenizer::open(c.tokenizer);
  const TokenSplit split = split_train_val(tokenizer.encode_ordinary(read_file(kFineTuneText)), c.val_fraction, 16);
  Gpt source_model = load_model(source_hf_folder(), GptForm::inference_only);
  Gpt tuned = load_model(out, GptForm::inference_only);  // the base found through the checkpoint, merged
  const double before = evaluate(source_model, split.train, tokenizer, c.batch, 16, 0).loss;
  const double after = evaluate(tuned, split.train, tokenizer, c.batch, 16, 0).loss;
  // Less than full fine-tuning's 0.2 (StartsWhereTheModelLeftOffAndTheLossFalls): the embeddings, the tied head
  // and the LayerNorms, which carry most of a tiny model's move to a new text, are frozen.
  EXPECT_LT(after, before - 0.02) << "30 steps of the adapters on the new text must lower the loss on it";

  const fs::path dir = find_model_dir(out);
  EXPECT_TRUE(fs::exists(dir / "adapter.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "model.safetensors")) << "a LoRA checkpoint names its base, it does not copy it";
  EXPECT_LT(fs::file_size(dir / "adapter.safetensors"), fs::file_size(source_hf_folder() / "model.safetensors") / 3);
  SafetensorsReader moments(dir / "optimizer.safetensors");
  EXPECT_EQ(moments.entries().size(), 2 * lora_parameter_table(m, 4).size()) << "m and v of the adapters only";

  Gpt loaded = load_lora_model(out, GptForm::inference_only);
  const Gpt source = load_model(source_hf_folder(), GptForm::inference_only);
  ASSERT_EQ(loaded.params().size(), source.params().size());
  EXPECT_TRUE(std::equal(source.params().data(), source.params().data() + source.params().size(),
                         loaded.params().data())) << "the base weights are frozen: exactly the source's";
}

TEST(FineTuning, AResumedLoraRunContinuesBitExactly) {
  make_source();
  TrainConfig straight_config = lora_config(fresh_dir("lora_straight"));
  straight_config.steps = 10;
  const TrainSummary straight = train(straight_config);
  TrainConfig halves = lora_config(fresh_dir("lora_halves"));
  halves.steps = 10;
  halves.stop_after = 5;
  train(halves);
  halves.stop_after = -1;
  halves.resume = true;
  const TrainSummary second = train(halves);
  ASSERT_EQ(second.step_losses.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(second.step_losses[i], straight.step_losses[5 + i]) << "step " << 6 + i;
  EXPECT_EQ(second.val_loss, straight.val_loss);
}

TEST(FineTuning, LoraNeedsAModelToStartFromAndABaseThatDidNotChange) {
  TrainConfig c = tiny_run(fresh_dir("lora_no_source"));
  c.lora_rank = 4;
  EXPECT_NE(error_of([&] { train(c); }).find("--lora-rank 4: LoRA adapts a trained model, so give the one to start "
                                             "from (--init-from MODEL)"), std::string::npos);
  make_source();
  TrainConfig run = lora_config(fresh_dir("lora_base_changed"));
  run.steps = 4;
  run.stop_after = 2;
  train(run);
  const fs::path weights = source_hf_folder() / "model.safetensors";
  std::string bytes = read_file(weights);
  bytes[bytes.size() - 1] ^= 0x01;  // one bit of the last weight: the base model changed
  write_file_atomically(weights, bytes);
  run.stop_after = -1;
  run.resume = true;
  const std::string e = error_of([&] { train(run); });
  EXPECT_NE(e.find("is a LoRA adapter for the base model " + fs::absolute(source_hf_folder()).lexically_normal().string() +
                   ", whose model.safetensors has changed since"), std::string::npos) << e;
}

// train_step with adapters: AdamW updates the adapters alone, and steps on one batch drive its loss down
// while the frozen weights stay exactly as they were.
TEST(FineTuning, LoraStepsOnOneBatchLowerItsLossAndLeaveTheWeights) {
  const GptConfig config{.vocab_size = 13, .context_length = 6, .n_layer = 2, .n_head = 2, .n_embd = 8};
  Gpt model(config, GptForm::frozen);
  Rng rng(41);
  for (float& x : std::span(model.params().data(), model.params().size())) x = static_cast<float>(rng.normal() * 0.3);
  const std::vector<float> weights(model.params().data(), model.params().data() + model.params().size());
  auto adapters = std::make_unique<LoraAdapters>(config, LoraConfig{.rank = 4, .alpha = 8.0f}, LoraBase{});
  adapters->init(rng);
  model.attach_lora(std::move(adapters));
  TokenIds inputs, targets;
  for (int i = 0; i < 10; ++i) {
    inputs.push_back(token_id((i * 5 + 1) % 13));
    targets.push_back(token_id((i * 3 + 2) % 13));
  }
  AdamW optimizer(model.trainable_params(), AdamWConfig{});
  const float first = train_step(model, optimizer, inputs, targets, 2, 5, 1e-2f, 1.0f).loss;
  float last = first;
  for (int step = 0; step < 100; ++step) last = train_step(model, optimizer, inputs, targets, 2, 5, 1e-2f, 1.0f).loss;
  // (Slower than training every weight, which reaches 0.03 here: the frozen ln_f and wte bound the logits.)
  EXPECT_LT(last, first - 0.3f) << "from " << first;
  EXPECT_TRUE(std::equal(weights.begin(), weights.end(), model.params().data())) << "the frozen weights did not move";
}

}  // namespace
}  // namespace minillm
