#pragma once
// A training checkpoint is a directory:
//   model.safetensors      the parameters, GPT-2 names (PyTorch / safetensors tools can read it)
//   optimizer.safetensors  AdamW's running means: "m.<param>" and "v.<param>"
//   state.json             everything else: model config, training config, tokenizer reference, step,
//                          AdamW step count, the batch sampler's RNG state
// Every file is written atomically, state.json last, so a checkpoint is whole or it is the previous one.
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "gpt/gpt.hpp"
#include "train/adamw.hpp"

namespace minillm {

nlohmann::json to_json(const GptConfig& config);
GptConfig gpt_config_from_json(const nlohmann::json& j);  // Error naming a missing/bad field

void save_checkpoint(const std::filesystem::path& dir, const Gpt& model, AdamW* optimizer, const nlohmann::json& state);

// True when dir holds a checkpoint (its state.json exists).
bool has_checkpoint(const std::filesystem::path& dir);

// The model of a checkpoint (parameters loaded) and its state.json.
struct LoadedCheckpoint {
  std::unique_ptr<Gpt> model;
  nlohmann::json state;
};
LoadedCheckpoint load_checkpoint(const std::filesystem::path& dir);

// Restores AdamW's m and v (and its step count from state["adamw_steps"]) from dir.
void load_optimizer_state(const std::filesystem::path& dir, const Gpt& model, AdamW& optimizer,
                          const nlohmann::json& state);

}  // namespace minillm
