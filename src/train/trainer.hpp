#pragma once
// The training loop: batches -> forward -> loss -> backward -> clip -> AdamW, with validation, checkpoints,
// resume, a NaN guard and Ctrl-C handling. Everything it needs is in TrainConfig, which is also the JSON
// config file of `minillm train --config FILE` (same keys).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "gpt/gpt.hpp"
#include "train/adamw.hpp"

namespace minillm {

struct TrainConfig {
  GptConfig model;                 // model.vocab_size is taken from the tokenizer
  std::string corpus;              // a text file
  std::string tokenizer = "gpt2";  // a tokenizer file or a tiktoken name (Tokenizer::open)
  std::string out_dir = "data/out/run";
  std::string cache_dir = "data/cache/tokens";  // tokenized corpus cache ("" = none)
  int batch = 16;
  int64_t steps = 0;       // exact number of steps, or 0 to use `minutes`
  double minutes = 5.0;    // time budget when steps == 0
  float lr = 1e-3f;
  float min_lr = 1e-4f;
  int64_t warmup = 50;
  AdamWConfig adamw;
  float clip = 1.0f;
  int eval_every = 100;    // steps between validation runs
  int eval_batches = 8;
  int checkpoint_every = 200;
  uint64_t seed = 1337;
  double val_fraction = 0.1;
  bool resume = false;     // continue from out_dir's checkpoint (an Error if there is none)
  int64_t stop_after = -1; // stop (with a checkpoint) after this many steps, keeping the schedule of `steps`

  void validate() const;
};

nlohmann::json to_json(const TrainConfig& config);
// Reads the keys present in j over `base` (so a config file can set a few). Unknown keys are an Error.
TrainConfig train_config_from_json(const nlohmann::json& j, TrainConfig base = {});

struct TrainSummary {
  int64_t steps = 0;           // steps taken in total (including before a resume)
  int64_t tokens = 0;          // tokens processed in this run
  double tokens_per_second = 0;
  double seconds = 0;
  float train_loss = 0;        // last step's loss
  double val_loss = 0, val_bits_per_byte = 0;
  int64_t peak_memory_bytes = 0;
  bool interrupted = false;    // Ctrl-C
  std::vector<float> step_losses;  // every step's training loss in this run
  std::string sample;          // generated text at the end (empty if sample_tokens == 0)
};

struct TrainHooks {
  // Called after every step: (step, total steps, loss, tokens per second, seconds left).
  std::function<void(int64_t, int64_t, float, double, double)> on_step;
  // Called after every validation: (step, val loss, val bits per byte).
  std::function<void(int64_t, double, double)> on_eval;
  std::function<void(const std::string&)> say;  // sentences for the user
  int sample_tokens = 0;
  std::string sample_prompt = "\n";
};

TrainSummary train(const TrainConfig& config, const TrainHooks& hooks = {});

// One optimizer step on one batch (inputs/targets: B*T ids): zero the gradients, forward, backward, clip
// the gradient norm, AdamW at learning rate lr. Returns the loss measured before the update; a non-finite
// loss returns at once, with the parameters unchanged.
float train_step(Gpt& model, AdamW& optimizer, std::span<const TokenId> inputs, std::span<const TokenId> targets,
                 int B, int T, float lr, float clip);

// The process's peak resident memory (VmHWM), 0 if unknown.
int64_t peak_memory_bytes();

}  // namespace minillm
