#pragma once
// LoRA for a whole GPT (chapter 09): every block's four linear layers (attn.c_attn, attn.c_proj, mlp.c_fc,
// mlp.c_proj) keep their weight W frozen and learn a low-rank update instead,
//   W + (alpha / R) · B · A,   A [R, in], B [out, R]   (nn/lora.hpp computes it)
// B starts at zero, so the first forward is exactly the base model's. The model is a GptForm::frozen Gpt:
// its own parameters get no gradient and no AdamW state, so training holds parameters + adapters instead of
// four model-sized buffers (parameters, gradients, m, v). The adapters are their own tensor table, arenas
// and routes through the block's linear slot (nn/block.hpp BlockRoutes).
//
// On disk a LoRA model is a folder (a LoRA run's checkpoint) without the base weights:
//   config.json           the base model's config.json (GPT2Config keys, its tokenizer), plus "minillm_lora":
//                         {"rank", "alpha", "target_modules", "base_model": the base model folder (absolute),
//                          "base_model_hash": FNV-1a 64 of its model.safetensors (io/file_hash.hpp), hex}
//   adapter.safetensors   "h.<l>.<layer>.lora_A" [R, in] and "h.<l>.<layer>.lora_B" [out, R] (peft's layout)
// Loading it finds the base through base_model and refuses in one line when the base file has changed.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "gpt/gpt.hpp"
#include "gpt/model_files.hpp"
#include "nn/block.hpp"

namespace minillm {

struct LoraConfig {
  int rank = 8;        // R
  float alpha = 16.0f;  // the update is scaled by alpha / R, so a change of R keeps the update's size
  float scale() const { return alpha / static_cast<float>(rank); }
  void validate() const;  // Error naming rank or alpha
};

// The layers LoRA adapts, in BlockLinear order, by their name in the block's table (nn/block.hpp; the
// weight is name + ".weight", whose shape [out, in] gives the adapter's).
inline constexpr std::array<const char*, 4> kLoraLayers = {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"};

// The adapters' tables for a model: every block's lora_A and lora_B (names under "h.<l>."), and the
// activations the backward needs, h = inp · Aᵀ per layer ("h.<l>.<layer>.lora_h" [N, R]) and one scratch
// "lora_dh" [N, R] that every layer's backward reuses.
std::vector<TensorSpec> lora_parameter_table(const GptConfig& model, int rank);
std::vector<TensorSpec> lora_activation_table(const GptConfig& model, int rank, int B, int T);
int64_t lora_parameter_count(const GptConfig& model, int rank);

// The model a LoRA adapter was trained on: its folder and the hash of its model.safetensors.
struct LoraBase {
  std::string path;
  uint64_t model_hash = 0;
};
// The base as it is now (hashes model_dir/model.safetensors).
LoraBase lora_base_of(const std::filesystem::path& model_dir);

class LoraAdapters {
 public:
  LoraAdapters(const GptConfig& model, LoraConfig config, LoraBase base);

  // A: uniform in ±1/sqrt(in) (peft's Kaiming-uniform), B: 0, so the adapted model starts as the base.
  void init(Rng& rng);

  const LoraConfig& config() const { return config_; }
  const LoraBase& base() const { return base_; }
  TensorArena& params() { return params_; }
  const TensorArena& params() const { return params_; }
  TensorArena& grads() { return grads_; }
  void allocate_activations(int B, int T);
  size_t activation_floats() const { return acts_.size(); }

  // Block `layer`'s linear slot with its adapters: forward the base layer plus the adapter (lora_forward),
  // backward the adapter's gradients and the input's, none for the frozen weight (lora_backward).
  BlockRoutes routes(int layer);

  // W += scale · B · A for every adapted layer of `model` (lora_merge): the merged model alone computes
  // what the base with the adapters did.
  void merge_into(Gpt& model) const;

 private:
  struct Layer {
    float *A = nullptr, *B = nullptr, *dA = nullptr, *dB = nullptr, *h = nullptr;
  };
  GptConfig model_;
  LoraConfig config_;
  LoraBase base_;
  TensorArena params_, grads_, acts_;
  std::vector<std::array<Layer, kLoraLayers.size()>> layers_;  // [L][BlockLinear]
  float* dh_ = nullptr;
};

// An inference_only copy of a model with adapters, the adapters merged into its weights (for the KV-cache
// decoder, which reads the weights themselves); the model itself is left as it is.
Gpt merged_lora_copy(const Gpt& model);

// The parameter counts a LoRA run prints: "LoRA rank 8 (alpha 16) on attn.c_attn, ...: 98,304 trainable
// parameters, 0.94% of the model's 10.5 M; the rest is frozen."
std::string lora_summary(const GptConfig& model, const LoraConfig& config);

// True when the model folder `dir` names (a folder or a run, gpt/model_files.hpp) is a LoRA adapter.
bool is_lora_folder(const std::filesystem::path& dir);

// Writes dir/adapter.safetensors, then dir/config.json (each atomically; creates dir). The model must carry
// adapters (Gpt::lora()).
void save_lora_model(const Gpt& model, const std::filesystem::path& dir, const ModelInfo& info);

// The base model (found and checked through config.json) with the adapters of dir attached, not merged:
// form frozen to train on, inference_only to run. Errors, one line: the base is missing, or its
// model.safetensors has changed since the adapter was trained (the hashes, and what to do).
Gpt load_lora_model(const std::filesystem::path& dir, GptForm form);
// The same with the adapters merged into the weights (an ordinary model: generate, eval, export).
Gpt load_merged_lora_model(const std::filesystem::path& dir, GptForm form);

}  // namespace minillm
