// `minillm train`: the GPT of chapters 05 and 06 (generate, eval and export are in commands_generate.cpp).
#include <cmath>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "cli/validators.hpp"
#include "core/error.hpp"
#include "gpt/model_files.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "train/checkpoint.hpp"
#include "train/console.hpp"
#include "train/dataset.hpp"
#include "train/train_config.hpp"
#include "train/trainer.hpp"

namespace minillm::cli {

namespace {

// `minillm train`'s options: --config FILE, then the flags made from the config tables (train/train_config.hpp,
// gpt/gpt.hpp), then these.
struct TrainFlags {
  std::string config_file;
  int sample_tokens = 200;
  bool resume = false, json = false;
  std::shared_ptr<ConfigFlags<TrainConfig>> settings = std::make_shared<ConfigFlags<TrainConfig>>();
};

// The config file's settings, the flags over them, and the two couplings of train/train_config.hpp. With
// --resume, over the checkpoint's settings instead of the defaults (the trainer refuses changed ones that
// may not change).
TrainConfig config_from_flags(const TrainFlags& f) {
  TrainConfig c;
  if (f.resume) {
    TrainConfig where;
    f.settings->apply(where);  // --out, if given
    if (has_checkpoint(where.out_dir)) c = train_config_from_json(read_checkpoint_state(where.out_dir).at("config"));
    c.out_dir = where.out_dir;
  }
  if (!f.config_file.empty()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(f.config_file));
    } catch (const nlohmann::json::exception& e) {
      fail("{} is not valid JSON ({})", f.config_file, e.what());
    }
    c = train_config_from_json(j, c);
  }
  f.settings->apply(c);
  const auto given = [&](const char* flag) { return f.settings->given.contains(flag); };
  if (given("--lr")) c.min_lr = std::min(c.min_lr, c.lr / 10);  // a lower peak still decays 10x
  if (given("--minutes") && !given("--steps")) c.steps = 0;     // --minutes alone means a time budget
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
  add_config_flags<TrainConfig, TrainConfig>(*train_cmd, flags->settings, [](TrainConfig& c) -> TrainConfig& { return c; });
  add_config_flags<GptConfig, TrainConfig>(*train_cmd, flags->settings, [](TrainConfig& c) -> GptConfig& { return c.model; });
  train_cmd->add_option("--sample-tokens", flags->sample_tokens, "tokens to generate at the end (0: none)")
      ->check(non_negative());
  train_cmd->add_flag("--resume", flags->resume, "continue from the checkpoint in --out (which must hold one)");
  train_cmd->add_flag("--json", flags->json, "print one JSON summary line instead of progress");
  train_cmd->callback([flags] { run_train(*flags); });
});

}  // namespace minillm::cli
