// `minillm train`: the GPT of chapters 05 and 06 (generate, eval and export are in commands_generate.cpp).
#include <cmath>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/validators.hpp"
#include "core/error.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "gpt/model_files.hpp"
#include "train/console.hpp"
#include "train/dataset.hpp"
#include "train/trainer.hpp"

namespace minillm::cli {

namespace {

struct TrainFlags {
  std::string config_file, input, tokenizer, out;
  int64_t steps = -1;
  double minutes = -1;
  int batch = -1, context = -1, layers = -1, heads = -1, width = -1, sample_tokens = 200;
  float lr = -1;
  int64_t seed = -1;
  bool resume = false, json = false;
};

TrainConfig config_from_flags(const TrainFlags& f) {
  TrainConfig c;
  if (!f.config_file.empty()) {
    try {
      c = train_config_from_json(nlohmann::json::parse(read_file(f.config_file)));
    } catch (const nlohmann::json::exception& e) {
      fail("{} is not valid JSON ({})", f.config_file, e.what());
    }
  }
  if (!f.input.empty()) c.corpus = f.input;
  if (!f.tokenizer.empty()) c.tokenizer = f.tokenizer;
  if (!f.out.empty()) c.out_dir = f.out;
  if (f.steps >= 0) c.steps = f.steps;
  if (f.minutes >= 0) {
    c.minutes = f.minutes;
    if (f.steps < 0) c.steps = 0;  // --minutes alone means a time budget
  }
  if (f.batch > 0) c.batch = f.batch;
  if (f.context > 0) c.model.context_length = f.context;
  if (f.layers > 0) c.model.n_layer = f.layers;
  if (f.heads > 0) c.model.n_head = f.heads;
  if (f.width > 0) c.model.n_embd = f.width;
  if (f.lr > 0) c.lr = f.lr, c.min_lr = std::min(c.min_lr, f.lr / 10);
  if (f.seed >= 0) c.seed = static_cast<uint64_t>(f.seed);
  c.resume = f.resume;
  return c;
}

void run_train(const TrainFlags& flags) {
  const TrainConfig config = config_from_flags(flags);
  TrainHooks hooks = console_hooks(flags.json);
  hooks.sample_tokens = flags.sample_tokens;
  const TrainSummary s = train(config, hooks);
  if (flags.json) {
    const nlohmann::json line = {{"steps", s.steps},           {"tokens", s.tokens},
                                 {"tokens_per_second", s.tokens_per_second},
                                 {"train_loss", s.train_loss}, {"val_loss", s.val_loss},
                                 {"val_bits_per_byte", s.val_bits_per_byte},
                                 {"peak_memory_bytes", s.peak_memory_bytes}, {"seconds", s.seconds},
                                 {"interrupted", s.interrupted}};
    fmt::print("{}\n", line.dump());
    return;
  }
  fmt::print("trained {} steps ({} tokens, {:.0f} tokens/s); final training loss {:.4f}, validation loss {:.4f} "
             "= {:.3f} bits per byte\n", s.steps, s.tokens, s.tokens_per_second, s.train_loss, s.val_loss,
             s.val_bits_per_byte);
  fmt::print("checkpoint and loss log (loss.csv) in {}\n", config.out_dir);
  if (!s.sample.empty()) fmt::print("--- a sample from the model ---\n{}\n--- end of sample ---\n", s.sample);
}

}  // namespace

static CommandRegistrar reg(30, [](CLI::App& app) {
  auto flags = std::make_shared<TrainFlags>();
  auto* train_cmd = app.add_subcommand("train", "Train a GPT on a text file (chapter 06)");
  train_cmd->add_option("--config", flags->config_file, "JSON training config (same keys as state.json's config)");
  train_cmd->add_option("--input", flags->input, "training text file");
  train_cmd->add_option("--tokenizer", flags->tokenizer, "tokenizer file or tiktoken name (default gpt2)");
  train_cmd->add_option("--out", flags->out, "checkpoint directory (default data/out/run)");
  train_cmd->add_option("--steps", flags->steps, "number of optimizer steps")->check(positive());
  train_cmd->add_option("--minutes", flags->minutes, "time budget instead of --steps")->check(positive());
  train_cmd->add_option("--batch", flags->batch, "sequences per step (default 16)")->check(positive());
  train_cmd->add_option("--context", flags->context, "tokens per sequence (default 128)")->check(positive());
  train_cmd->add_option("--layers", flags->layers, "transformer blocks (default 4)")->check(positive());
  train_cmd->add_option("--heads", flags->heads, "attention heads (default 4)")->check(positive());
  train_cmd->add_option("--width", flags->width, "embedding width C (default 256)")->check(positive());
  train_cmd->add_option("--lr", flags->lr, "peak learning rate (default 1e-3)")->check(positive());
  train_cmd->add_option("--seed", flags->seed, "random seed")->check(non_negative());
  train_cmd->add_option("--sample-tokens", flags->sample_tokens, "tokens to generate at the end (0: none)")
      ->check(non_negative());
  train_cmd->add_flag("--resume", flags->resume, "continue from the checkpoint in --out (which must hold one)");
  train_cmd->add_flag("--json", flags->json, "print one JSON summary line instead of progress");
  train_cmd->callback([flags] { run_train(*flags); });
});

}  // namespace minillm::cli
