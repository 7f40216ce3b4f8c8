#pragma once
// A model on disk is a Hugging Face GPT-2 folder, so minillm reads what `transformers` writes and the other
// way round (GPT2LMHeadModel.from_pretrained(dir) loads a model minillm trained):
//   config.json        GPT2Config's keys: vocab_size, n_positions (= n_ctx), n_embd, n_layer, n_head,
//                      activation_function "gelu_new", layer_norm_epsilon 1e-5, model_type "gpt2", ...;
//                      plus bos/eos_token_id and "minillm_tokenizer" when the writer knows them
//   model.safetensors  the parameters under Hugging Face's names: "wte.weight", "wpe.weight",
//                      "h.0.ln_1.weight", "h.0.attn.c_attn.weight", ..., "ln_f.bias"
// Two differences from the model in memory, both undone on load:
//   - Hugging Face's GPT-2 uses Conv1D, whose weight is [in, out]; minillm keeps torch.nn.Linear's
//     [out, in] (the layout its gemms read), so the four linear weights of each block are transposed;
//   - the embeddings are "wte"/"wpe" in memory and "wte.weight"/"wpe.weight" on disk.
// Reading also accepts the "transformer." prefix of GPT2LMHeadModel's state dict, a "lm_head.weight" equal
// to wte (the tied head), and skips the causal-mask buffers older files carry ("h.0.attn.bias").
// A training run (src/train/checkpoint.hpp) is a folder with a `latest` file naming the model folder of its
// newest complete checkpoint; every function here that takes a folder also accepts such a run folder.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "gpt/gpt.hpp"

namespace minillm {

// What config.json says beyond the model's shape. All optional.
struct ModelInfo {
  std::optional<int> bos_token_id{}, eos_token_id{};
  std::string tokenizer{};  // "minillm_tokenizer": what Tokenizer::open() needs ("gpt2" or a .bpe file); "" if unknown
};

// config.json's content for a model of this shape: GPT2Config's keys and the ModelInfo ones.
nlohmann::json model_config_json(const GptConfig& config, const ModelInfo& info);

// Writes dir/config.json and dir/model.safetensors (each atomically; creates dir).
void save_model(const Gpt& model, const std::filesystem::path& dir, const ModelInfo& info = {});

// The parameters of the model in dir, in a model of that folder's config. inference_only: no gradients or
// backward scratch (for generating and scoring; backward() is then an Error). A LoRA adapter's folder
// (gpt/lora.hpp) gives its base model, found and checked through the folder, with the adapter merged in.
Gpt load_model(const std::filesystem::path& dir, GptForm form = GptForm::trainable);

// Fills an existing model's parameters from dir (its config must equal the model's). With crop_context, the
// model may have fewer positions than dir's (fine-tuning at a shorter context): wpe's first rows are read.
void load_model_parameters(const std::filesystem::path& dir, Gpt& model, bool crop_context = false);

GptConfig read_model_config(const std::filesystem::path& dir);  // Error naming a missing or unsupported key
ModelInfo read_model_info(const std::filesystem::path& dir);

// GPT-2's vocabulary: OpenAI's 50,000 merges, 256 bytes and <|endoftext|>.
constexpr int kGpt2VocabularySize = 50257;

// The tokenizer a model folder uses: the one its config.json names ("minillm_tokenizer"), else, for a folder
// that names none (a Hugging Face download) with GPT-2's 50,257 tokens, tiktoken's "gpt2"; else "" (unknown).
std::string model_tokenizer_name(const std::filesystem::path& dir, const GptConfig& config);

// The model folder a path names: dir itself when it holds config.json, else the folder its `latest` file
// names (a training run). Error saying what is missing otherwise.
std::filesystem::path find_model_dir(const std::filesystem::path& dir);

}  // namespace minillm
