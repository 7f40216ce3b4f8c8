#pragma once
// A GPT-2 whose big matrices are Q8_0 (quant/q8_0.hpp): the token embedding wte (also the tied head) and the
// four linear weights of every block. LayerNorm parameters, biases and wpe stay float32: they are 0.1% of
// GPT-2 124M's weights (wpe: 0.8 MB), and LayerNorm's gains are the most sensitive numbers in the model.
//
// On disk, a folder like a float model's (gpt/model_files.hpp):
//   config.json        the float model's GPT2Config keys, plus "minillm_quantization":
//                      {"format": "q8_0", "block_size": 32, "source": its path, "source_hash": FNV-1a 64 of
//                      the source's model.safetensors, as 16 hex digits}
//   model.safetensors  float32 tensors under Hugging Face's names ("wpe.weight", "h.0.ln_1.weight", ...), and
//                      for each quantized weight NAME two tensors:
//                        NAME          I8   [out, in]       the values, minillm's [out, in] layout (Hugging
//                                                           Face's Conv1D float weights are [in, out])
//                        NAME.scales   F16  [out, in/32]    one scale per block of 32 along each row
// Such a folder can generate and be scored (`minillm generate`, `minillm eval`); everything that trains,
// exports or embeds needs the float model, and load_model() refuses a quantized folder saying so.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "gpt/gpt.hpp"
#include "gpt/model_files.hpp"
#include "quant/q8_0.hpp"

namespace minillm {

// The four quantized weights of one block ("h.<l>.attn.c_attn.weight", ...), each [out, in].
struct QuantizedBlock {
  Q8Matrix attn_c_attn, attn_c_proj, mlp_c_fc, mlp_c_proj;
};

struct QuantizedGpt {
  QuantizedGpt() = default;
  QuantizedGpt(QuantizedGpt&&) = default;  // the buffers move, so the pointers into them stay valid
  QuantizedGpt& operator=(QuantizedGpt&&) = default;
  QuantizedGpt(const QuantizedGpt&) = delete;  // a copy's pointers would point into the original

  GptConfig config;
  TensorArena floats;                  // the float32 parameters, by minillm's names ("wpe", "h.0.ln_1.weight", ...)
  Q8Matrix wte;                        // [V, C] the token embedding and the tied output head
  std::vector<QuantizedBlock> blocks;  // L
  std::vector<BlockParams> params;     // L: LayerNorms and biases point into `floats`; the weights are nullptr
  const float* wpe = nullptr;          // [maxT, C]
  const float* ln_f_weight = nullptr;  // [C]
  const float* ln_f_bias = nullptr;    // [C]
  int64_t bytes() const;               // of the weights in memory: int8 values, fp16 scales, float32 rest
};

// Where a quantized model came from, recorded in its config.json.
struct QuantizationSource {
  std::string path;  // the float model's folder
  uint64_t model_hash = 0;
};

// Q8_0 of a float model. Error naming the first tensor whose rows are not a multiple of 32 values.
QuantizedGpt quantize_gpt(const Gpt& model);

// A float model holding the dequantized weights (every quantized value times its scale) and the float ones.
Gpt dequantize_gpt(const QuantizedGpt& model);

// Writes dir/model.safetensors, then dir/config.json (each atomically; creates dir).
void save_quantized_model(const QuantizedGpt& model, const std::filesystem::path& dir, const ModelInfo& info,
                          const QuantizationSource& source);

// Reads a quantized folder. Errors, naming the file and tensor: a missing or truncated tensor, a dtype or
// shape that is not the format's (scales not one per block of 32), a scale that is not finite and >= 0.
QuantizedGpt load_quantized_model(const std::filesystem::path& dir);

// The format of a quantized model folder (or run folder), "q8_0"; "" for a float model.
std::string quantization_format(const std::filesystem::path& dir);

// Error unless dir holds a float model, saying to use the float model the quantized one was made from (and
// naming it). load_model_parameters() calls it, so training, fine-tuning, export and index building refuse
// a quantized folder.
void require_float_model(const std::filesystem::path& dir);

}  // namespace minillm
