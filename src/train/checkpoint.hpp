#pragma once
// A training run is a folder, RUN (`minillm train --out RUN`):
//   RUN/latest                       one line naming the newest complete checkpoint: "checkpoints/step-000200"
//   RUN/checkpoints/step-000200/     one checkpoint, a unit:
//       config.json                  \ the model: a Hugging Face GPT-2 folder (gpt/model_files.hpp), so
//       model.safetensors            / `minillm generate --checkpoint` and transformers load it as it is
//       optimizer.safetensors        AdamW's running means: "m.<param>" and "v.<param>" (minillm's names)
//       state.json                   the run: training config, step, total steps, the batch sampler's RNG
//                                    state, the tokenizer and its hash, AdamW's step count; a fine-tuning
//                                    run also the model folder it started from ("init_from_model")
//   A LoRA run's checkpoint (gpt/lora.hpp) holds adapter.safetensors instead of model.safetensors, its config.json
//   names the base model by path and hash, and its optimizer state is the adapters' only.
//   RUN/loss.csv, RUN/loss.png       the loss log and its chart
// A checkpoint is written whole into a hidden folder (every file fsynced), renamed into place, and only then
// made current by replacing `latest` atomically; the previous checkpoint is deleted after that. So a crash
// or kill -9 at any moment leaves `latest` naming a complete checkpoint (the new one or the previous one).
#include <filesystem>
#include <memory>
#include <span>

#include <nlohmann/json.hpp>

#include "gpt/gpt.hpp"
#include "gpt/model_files.hpp"
#include "train/adamw.hpp"

namespace minillm {

// The model's shape as the training config's "model" object (minillm's names; config.json has HF's).
nlohmann::json to_json(const GptConfig& config);
GptConfig gpt_config_from_json(const nlohmann::json& j);  // Error naming a missing/bad field

// Writes a checkpoint of (model, optimizer, state) into run and makes it the latest.
void save_checkpoint(const std::filesystem::path& run, const Gpt& model, const AdamW& optimizer,
                     const nlohmann::json& state, const ModelInfo& info);
// The same with AdamW's m and v given whole (ZeRO-1's, gathered from the ranks' shards) and its step count.
void save_checkpoint(const std::filesystem::path& run, const Gpt& model, std::span<const float> m,
                     std::span<const float> v, int64_t adamw_steps, const nlohmann::json& state, const ModelInfo& info);

// True when run has a latest checkpoint.
bool has_checkpoint(const std::filesystem::path& run);

// The model of run's latest checkpoint (parameters loaded, trainable; a LoRA run's: the base frozen, with its
// adapters, the base found and checked through the checkpoint) and its state.json.
struct LoadedCheckpoint {
  std::filesystem::path dir;  // RUN/checkpoints/step-...
  std::unique_ptr<Gpt> model;
  nlohmann::json state;
};
LoadedCheckpoint load_checkpoint(const std::filesystem::path& run);

// The state.json of run's latest checkpoint (its "config" is the run's TrainConfig).
nlohmann::json read_checkpoint_state(const std::filesystem::path& run);

// Restores AdamW's m and v (and its step count from state["adamw_steps"]) from a checkpoint's folder; a
// ZeRO-1 optimizer reads its shard of them only.
void load_optimizer_state(const std::filesystem::path& checkpoint_dir, const Gpt& model, AdamW& optimizer,
                          const nlohmann::json& state);

// Removes what a killed run can leave behind: half-written checkpoint folders, checkpoints that are not the
// latest, and temporary files ("*.tmp-*") of interrupted atomic writes.
void clean_run_folder(const std::filesystem::path& run);

// Removes a run's checkpoints, `latest` and loss log (a fresh run in an old run's folder).
void clear_run_folder(const std::filesystem::path& run);

}  // namespace minillm
