#pragma once
// Fine-tuning: a training run that starts from a trained model instead of random weights,
// `minillm train --init-from DIR`, as llm.c starts from GPT-2 124M. DIR is a Hugging Face GPT-2 folder
// (config.json + model.safetensors) or a minillm run: RUN, RUN/latest or RUN/checkpoints/step-N.
//   - The model's shape comes from DIR, and so does its tokenizer (the one config.json names; "gpt2" for a
//     folder that names none with GPT-2's 50,257 tokens): the token ids are what the weights learned.
//   - The context may be cropped below DIR's (a shorter T costs less memory and time per step): the model
//     keeps wpe's first T rows, the positions it will see. A longer context has no learned positions.
//   - Everything else starts new: AdamW's moments, the step count, the schedule, the batch sampler. The
//     run folder written is an ordinary run (RUN/latest -> checkpoints/step-N) that remembers DIR
//     (state.json: config.init_from, as given, and init_from_model, the model folder it resolved to).
#include <filesystem>
#include <string>

#include "gpt/gpt.hpp"
#include "tokenizer/tokenizer.hpp"
#include "train/train_config.hpp"

namespace minillm {

// The model a run starts from.
struct InitSource {
  std::filesystem::path model_dir;  // the folder holding config.json and model.safetensors
  GptConfig model;                  // its shape
  std::string tokenizer;            // what it was trained with (model_tokenizer_name); "" if it does not say
  std::string description;          // "a Hugging Face GPT-2 folder" or "step 200 of a minillm run"
};

// Reads DIR's config (the weights are read later, by load_init_parameters). Error, one line, for a folder
// that does not exist, is not a model, has no model.safetensors, or whose config.json is damaged.
InitSource open_init_source(const std::string& dir);

// Fine-tuning's default batch: as many sequences of `context` tokens as make 4,096 tokens per step, at least
// 1 and at most 16. GPT-2 124M at its 1,024 positions gets 4: about 13 GB to train, where 8 would need 24.
int fine_tuning_batch(int context);

// Fine-tuning's defaults, set before the user's settings (so flags and a --config file still win, and are
// checked): the source's shape and tokenizer, batch fine_tuning_batch(its context), a gentler schedule
// (lr 1e-4 down to 1e-5 after a 10-step warmup: a trained model needs small steps) and --out
// data/out/finetune.
void apply_fine_tuning_defaults(TrainConfig& config, const InitSource& source);

// Error naming the first setting that cannot start from `source`: a shape flag that differs from it (the
// flag, the folder's value and yours), a context longer than its, a tokenizer other than the one it was
// trained with, or an --out folder that holds the source itself (a fresh run clears its folder).
void check_init_config(const InitSource& source, const TrainConfig& config, const Tokenizer& tokenizer);

// Fills a fresh model of the run's shape with the source's parameters (wpe cropped to its context).
void load_init_parameters(const InitSource& source, Gpt& model);

}  // namespace minillm
