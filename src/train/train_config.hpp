#pragma once
// Everything a training run needs to know, declared once: TrainConfig's table below, GptConfig's
// (gpt/gpt.hpp) and AdamWConfig's (train/adamw.hpp). From those tables come the JSON of
// `minillm train --config FILE` and of state.json's "config" (the same keys), its checks, and the
// command-line flags with their help (src/cli/config_flags.hpp). docs/architecture.md shows how to add one.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "gpt/gpt.hpp"
#include "io/config_fields.hpp"
#include "train/adamw.hpp"

namespace minillm {

// One row per setting: type, name (= JSON key), default, `minillm train` flag ("" for none), range, whether
// `--resume` may change it (kMayChange: how the run goes on, such as its length or learning rate; kFixed: the run
// itself, such as its data or batch), help.
// Three flags do more than set their field, on purpose (src/cli/commands_train.cpp):
//   --lr also lowers min_lr to at most lr/10, so a lower peak still decays by 10x;
//   --minutes alone sets steps to 0: a time budget replaces the step count;
//   --init-from sets fine-tuning's defaults first (train/init_from.hpp: the model's shape and tokenizer, the
//   batch, a gentler schedule, --out data/out/finetune), then the other settings apply over them.
#define MINILLM_TRAIN_CONFIG(X)                                                                                       \
  X(std::string, corpus, "", "--input", any_value(), kFixed, "training text file")                                    \
  X(std::string, tokenizer, "gpt2", "--tokenizer", any_value(), kFixed, "tokenizer file or tiktoken name")            \
  X(std::string, out_dir, "data/out/run", "--out", any_value(), kMayChange,                                           \
    "the run's folder: checkpoints, loss.csv, loss.png")                                                              \
  X(std::string, init_from, "", "--init-from", any_value(), kFixed,                                                   \
    "fine-tune: start from this model (a Hugging Face GPT-2 folder, or a minillm run or checkpoint folder)")          \
  X(int, lora_rank, 0, "--lora-rank", at_least(0), kFixed,                                                             \
    "fine-tune with LoRA: rank-R adapters on the blocks' linear layers, the model frozen (with --init-from; 0: train "  \
    "every weight)")                                                                                                  \
  X(float, lora_alpha, 16.0f, "--lora-alpha", greater_than(0), kFixed, "LoRA's scale is alpha / rank")                \
  X(std::string, cache_dir, "data/cache/tokens", "", any_value(), kMayChange,                                         \
    "tokenized corpus cache (\"\" for none)")                                                                         \
  X(int, batch, 16, "--batch", greater_than(0), kFixed, "sequences per step")                                         \
  X(int64_t, steps, 0, "--steps", greater_than_or_unset(0), kMayChange,                                               \
    "optimizer steps (if unset: train for `minutes`)")                                                                \
  X(double, minutes, 5.0, "--minutes", greater_than_or_unset(0), kMayChange, "time budget instead of --steps")        \
  X(float, lr, 1e-3f, "--lr", greater_than(0), kMayChange, "peak learning rate")                                      \
  X(float, min_lr, 1e-4f, "", at_least(0), kMayChange, "learning rate at the end of the cosine decay")                \
  X(int64_t, warmup, 50, "", at_least(0), kMayChange, "steps of linear learning-rate warmup")                         \
  X(float, clip, 1.0f, "", greater_than(0), kFixed, "largest global L2 norm of the gradient")                         \
  X(int, eval_every, 100, "", greater_than(0), kMayChange, "steps between validation runs")                           \
  X(int, eval_batches, 8, "", greater_than(0), kMayChange, "batches per validation run")                              \
  X(int, checkpoint_every, 200, "", greater_than(0), kMayChange, "steps between checkpoints")                         \
  X(int, max_bad_steps, 3, "", greater_than(0), kMayChange,                                                           \
    "updates in a row skipped for a non-finite loss or gradient norm before the run stops as diverged")               \
  X(uint64_t, seed, 1337, "--seed", at_least(0), kFixed, "random seed (initialisation, batches)")                     \
  X(int, zero, 0, "--zero", between(0, 1), kMayChange,                                                              \
    "under mpirun: ZeRO stage; 1 shards AdamW's m and v across the ranks (0: every rank holds them whole)")           \
  X(int, overlap, 1, "", between(0, 1), kMayChange,                                                                   \
    "under mpirun: 1 starts each block's gradient all-reduce during the backward, 0 sums them all after it")         \
  X(double, val_fraction, 0.1, "", between(0, 1), kFixed, "share of the text held out for validation (its end)")

// The resume column, and the rows without it for the shared table macros (io/config_fields.hpp).
inline constexpr bool kMayChange = true, kFixed = false;
#define MINILLM_TRAIN_MEMBER(type, name, value, flag, range, on_resume, help) \
  MINILLM_CONFIG_MEMBER(type, name, value, flag, range, help)
#define MINILLM_TRAIN_FIELD(type, name, value, flag, range, on_resume, help) \
  MINILLM_CONFIG_FIELD(type, name, value, flag, range, help)

struct TrainConfig {
  using Self = TrainConfig;
  MINILLM_TRAIN_CONFIG(MINILLM_TRAIN_MEMBER)
  GptConfig model;     // JSON "model": {...}; model.vocab_size is taken from the tokenizer
  AdamWConfig adamw;   // JSON: its keys (beta1, beta2, eps, weight_decay) beside the ones above
  // How to run, not what to train (not in the JSON):
  bool resume = false;       // continue from out_dir's latest checkpoint (an Error if there is none)
  int64_t stop_after = -1;   // stop (with a checkpoint) after this many steps, keeping the schedule of `steps`

  static std::vector<ConfigField<Self>> fields() { return {MINILLM_TRAIN_CONFIG(MINILLM_TRAIN_FIELD)}; }
  void validate() const;  // Error naming the setting
};

nlohmann::json to_json(const TrainConfig& config);

// Resuming takes the run's settings from its checkpoint. The rows marked kMayChange may differ on resume, and
// say how the run goes on (steps and minutes stretch or shrink the cosine schedule to the new end; lr,
// min_lr and warmup reshape it). Everything else, the model's and AdamW's settings included, is the run itself.
bool may_change_on_resume(const std::string& key);
// An Error naming the first setting of `yours` that differs from the checkpoint's and may not change, with
// both values.
void check_resume_config(const TrainConfig& checkpoint, const TrainConfig& yours);
// Reads the keys present in j over `base` (so a config file can set a few). Unknown keys are an Error.
TrainConfig train_config_from_json(const nlohmann::json& j, TrainConfig base = {});

}  // namespace minillm
