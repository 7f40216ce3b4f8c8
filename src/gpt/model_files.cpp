#include "gpt/model_files.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "gpt/quantized_model.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"
#include "nn/layernorm.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The block weights Hugging Face stores as Conv1D, [in, out]: transposed on the way in and out. The block's
// parameter table says which (its hf_transposed column, nn/block.hpp); `name` is "h.<l>.<row name>".
bool is_conv1d_weight(const std::string& name) {
  if (!name.starts_with("h.")) return false;
  const size_t dot = name.find('.', 2);
  if (dot == std::string::npos) return false;
  const std::string row = name.substr(dot + 1);
  for (const TensorSpec& spec : block_parameter_table(1))
    if (spec.name == row) return spec.hf_transposed;
  return false;
}

// The name of a parameter in model.safetensors.
std::string file_name(const std::string& arena_name) {
  return arena_name == "wte" || arena_name == "wpe" ? arena_name + ".weight" : arena_name;
}

json read_json(const fs::path& file) {
  try {
    return json::parse(read_file(file));
  } catch (const json::exception& e) {
    fail("{} is not valid JSON ({})", file.string(), e.what());
  }
}

int int_key(const json& j, const fs::path& file, const char* key) {
  require(j.contains(key) && j[key].is_number_integer() && j[key].get<int64_t>() >= 0 &&
              j[key].get<int64_t>() <= INT32_MAX,
          "{}: '{}' is missing or not an integer (up to 2147483647)", file.string(), key);
  return static_cast<int>(j[key].get<int64_t>());
}

// config.json keys that change the computation must say what minillm computes; the rest (dropout,
// task_specific_params, ...) do not matter for a forward pass and are ignored.
void check_supported(const json& j, const fs::path& file) {
  auto is = [&](const char* key, const json& wanted) { return !j.contains(key) || j[key].is_null() || j[key] == wanted; };
  // json::value() throws the library's type_error for a key of the wrong type: say which key instead.
  for (const auto& [key, number] : {std::pair{"activation_function", false}, {"layer_norm_epsilon", true}, {"n_embd", true}}) {
    if (!j.contains(key) || j[key].is_null()) continue;  // (j[key] of a missing key is undefined: test first)
    require(number ? j[key].is_number() : j[key].is_string(), "{}: '{}' is {}, not a {}", file.string(), key,
            j[key].dump(), number ? "number" : "string");
  }
  require(is("model_type", "gpt2"), "{}: model_type {} is not GPT-2; minillm runs GPT-2 models only", file.string(),
          j.value("model_type", json()).dump());
  const std::string act = j.value("activation_function", std::string("gelu_new"));
  require(act == "gelu_new" || act == "gelu_pytorch_tanh",
          "{}: activation_function '{}' is not GPT-2's tanh GELU ('gelu_new'), the one minillm computes",
          file.string(), act);
  const double eps = j.value("layer_norm_epsilon", double{kLayerNormEps});
  require(std::abs(eps - 1e-5) < 1e-9, "{}: layer_norm_epsilon {} is not GPT-2's 1e-5, the one minillm uses",
          file.string(), eps);
  require(is("tie_word_embeddings", true), "{}: the output head is not tied to wte; minillm ties it", file.string());
  require(is("scale_attn_weights", true) && is("scale_attn_by_inverse_layer_idx", false),
          "{}: the attention scaling differs from GPT-2's 1/sqrt(head size)", file.string());
}

// The entry of the file under `name`, with or without GPT2LMHeadModel's "transformer." prefix.
const SafetensorsEntry* find_entry(const SafetensorsReader& file, const std::string& name) {
  const SafetensorsEntry* e = file.find(name);
  return e != nullptr ? e : file.find("transformer." + name);
}

std::string without_prefix(const std::string& name) {
  return name.rfind("transformer.", 0) == 0 ? name.substr(12) : name;
}

// The causal-mask buffers ("h.0.attn.bias", "h.0.attn.masked_bias") Hugging Face files may carry: constants
// of the attention, not weights; minillm builds the mask itself.
bool is_mask_buffer(const std::string& full_name) {
  const std::string name = without_prefix(full_name);
  return name.rfind("h.", 0) == 0 && (name.ends_with(".attn.bias") || name.ends_with(".attn.masked_bias"));
}

// src[rows, cols] -> dst[cols, rows].
void transpose_into(float* dst, const float* src, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
}

}  // namespace

namespace {

// A classifier's folder (src/classify: `minillm classify train`) holds a GPT under backbone/, but it is not a
// language model: its top blocks were trained for another task, and its head is not the tied one.
void refuse_classifier(const fs::path& dir, const fs::path& named) {
  require(!fs::exists(dir / "classifier.json"), "'{}' is a text classifier (`minillm classify train` made it), not "
          "a language model: use it with `minillm classify eval` or `minillm classify predict`", named.string());
}

}  // namespace

fs::path find_model_dir(const fs::path& dir) {
  refuse_classifier(dir, dir);
  if (fs::exists(dir / "config.json")) return dir;
  if (fs::exists(dir / "latest")) {
    std::string target = read_file(dir / "latest");
    while (!target.empty() && (target.back() == '\n' || target.back() == ' ')) target.pop_back();
    if (!target.empty()) refuse_classifier(dir / target, dir);
    require(!target.empty() && fs::exists(dir / target / "config.json"),
            "{}/latest names '{}', which holds no model (config.json); the run folder is damaged", dir.string(),
            target);
    return dir / target;
  }
  require(fs::exists(dir), "'{}' does not exist: give a model folder or a training run's folder", dir.string());
  fail("'{}' is not a model folder (no config.json) nor a training run (no 'latest' file); train one with "
       "`minillm train`", dir.string());
}

GptConfig read_model_config(const fs::path& dir_in) {
  const fs::path file = find_model_dir(dir_in) / "config.json";
  const json j = read_json(file);
  require(j.is_object(), "{} is not a JSON object", file.string());
  check_supported(j, file);
  GptConfig c;
  c.vocab_size = int_key(j, file, "vocab_size");
  c.context_length = int_key(j, file, j.contains("n_positions") ? "n_positions" : "n_ctx");
  c.n_layer = int_key(j, file, "n_layer");
  c.n_head = int_key(j, file, "n_head");
  c.n_embd = int_key(j, file, "n_embd");
  require(!j.contains("n_inner") || j["n_inner"].is_null() || j["n_inner"] == 4 * int64_t{c.n_embd},
          "{}: n_inner {} is not 4 x n_embd; minillm's MLP is 4 times wider", file.string(),
          j.value("n_inner", json()).dump());
  c.validate();
  return c;
}

ModelInfo read_model_info(const fs::path& dir) {
  const json j = read_json(find_model_dir(dir) / "config.json");
  ModelInfo info;
  const auto id_key = [&](const char* key, auto& out) {  // token ids that fit an int; others are not ids
    if (j.contains(key) && j[key].is_number_integer() && j[key].get<int64_t>() >= 0 && j[key].get<int64_t>() <= INT32_MAX)
      out = static_cast<int>(j[key].get<int64_t>());
  };
  id_key("bos_token_id", info.bos_token_id);
  id_key("eos_token_id", info.eos_token_id);
  if (j.contains("minillm_tokenizer") && j["minillm_tokenizer"].is_string()) info.tokenizer = j["minillm_tokenizer"];
  return info;
}

std::string model_tokenizer_name(const fs::path& dir, const GptConfig& config) {
  const std::string named = read_model_info(dir).tokenizer;
  if (named.empty() && config.vocab_size == kGpt2VocabularySize) return "gpt2";
  return named;
}

json model_config_json(const GptConfig& c, const ModelInfo& info) {
  json config = {{"architectures", {"GPT2LMHeadModel"}}, {"model_type", "gpt2"}, {"vocab_size", c.vocab_size},
                 {"n_positions", c.context_length}, {"n_ctx", c.context_length}, {"n_embd", c.n_embd},
                 {"n_layer", c.n_layer}, {"n_head", c.n_head}, {"n_inner", nullptr},
                 {"activation_function", "gelu_new"}, {"layer_norm_epsilon", 1e-5},
                 {"attn_pdrop", 0.0}, {"embd_pdrop", 0.0}, {"resid_pdrop", 0.0},  // minillm has no dropout
                 {"initializer_range", 0.02}, {"scale_attn_weights", true}, {"tie_word_embeddings", true},
                 {"use_cache", true}, {"torch_dtype", "float32"}};
  if (info.bos_token_id) config["bos_token_id"] = *info.bos_token_id;
  if (info.eos_token_id) config["eos_token_id"] = *info.eos_token_id;
  if (!info.tokenizer.empty()) config["minillm_tokenizer"] = info.tokenizer;
  return config;
}

void save_model(const Gpt& model, const fs::path& dir, const ModelInfo& info) {
  const json config = model_config_json(model.config(), info);
  // Streamed from the parameter buffer (no copy); a Conv1D weight is written as Hugging Face's [in, out].
  const TensorArena& params = model.params();
  std::vector<SafetensorsBlob> tensors;
  for (const auto& e : params.entries()) {
    const bool conv1d = is_conv1d_weight(e.name);
    const Shape shape = conv1d ? Shape{e.shape[1], e.shape[0]} : e.shape;
    tensors.push_back({file_name(e.name), "F32", shape.dims(), params.data() + e.offset,
                       size_t(shape.numel()) * sizeof(float), conv1d});
  }
  std::sort(tensors.begin(), tensors.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  fs::create_directories(dir);
  save_safetensors_blobs(dir / "model.safetensors", tensors, {{"format", "pt"}});  // transformers needs "format"
  write_file_atomically(dir / "config.json", config.dump(2) + "\n");
}

// lesson: load_model_parameters
// Reads each tensor straight into the model's parameter buffer (SafetensorsReader: no copy of the whole
// file, F16 and BF16 converted to float32 on the way). Only a Conv1D weight passes through a buffer of its
// own size, to be transposed from Hugging Face's [in, out] to minillm's [out, in], and so does wpe when a
// fine-tuning run crops the context (its first rows are the positions kept).
void load_model_parameters(const fs::path& dir_in, Gpt& model, bool crop_context) {
  const fs::path dir = find_model_dir(dir_in);
  require_float_model(dir);
  const GptConfig config = read_model_config(dir);
  GptConfig wanted_config = model.config();
  if (crop_context && wanted_config.context_length <= config.context_length)
    wanted_config.context_length = config.context_length;  // fewer positions: wpe's first rows
  require(config == wanted_config, "{}: its config.json describes another model shape than this one",
          dir.string());
  const fs::path path = dir / "model.safetensors";
  SafetensorsReader file(path);
  TensorArena& params = model.params();
  std::set<std::string> wanted;
  std::vector<float> buffer;  // a Conv1D weight to transpose, or a whole wpe to crop
  for (const auto& e : params.entries()) {
    const std::string name = file_name(e.name);
    wanted.insert(name);
    const SafetensorsEntry* t = find_entry(file, name);
    require(t != nullptr, "{} has no tensor '{}', which the model of its config.json needs", path.string(), name);
    const bool is_conv1d = is_conv1d_weight(e.name);
    const bool is_cropped = e.name == "wpe" && config.context_length != e.shape[0];
    const Shape on_disk = is_conv1d    ? Shape{e.shape[1], e.shape[0]}
                          : is_cropped ? Shape{config.context_length, e.shape[1]}
                                       : e.shape;
    require(Shape(t->shape) == on_disk, "{}: tensor '{}' has shape {} but the model of config.json needs {}",
            path.string(), name, Shape(t->shape).str(), on_disk.str());
    float* dst = params.data() + e.offset;
    if (!is_conv1d && !is_cropped) {
      file.read_f32(*t, dst);
      continue;
    }
    buffer.resize(static_cast<size_t>(on_disk.numel()));
    file.read_f32(*t, buffer.data());
    if (is_conv1d) transpose_into(dst, buffer.data(), on_disk[0], on_disk[1]);
    else std::copy_n(buffer.data(), e.shape.numel(), dst);  // rows are positions: the first context_length
  }
  std::vector<float> head;
  for (const SafetensorsEntry& t : file.entries()) {
    if (wanted.contains(without_prefix(t.name)) || is_mask_buffer(t.name)) continue;
    // A stored lm_head must be the tied head: equal to wte.
    if (without_prefix(t.name) == "lm_head.weight" || t.name == "lm_head.weight") {
      const TensorView wte = params["wte"];
      require(Shape(t.shape) == wte.shape, "{}: tensor 'lm_head.weight' has shape {}, not wte's {}", path.string(),
              Shape(t.shape).str(), wte.shape.str());
      head.resize(static_cast<size_t>(wte.numel()));
      file.read_f32(t, head.data());
      require(std::equal(head.begin(), head.end(), wte.data),
              "{}: tensor 'lm_head.weight' differs from 'wte.weight'; minillm's GPT-2 ties the output head to wte",
              path.string());
      continue;
    }
    fail("{} holds tensor '{}', which a GPT-2 does not have", path.string(), t.name);
  }
}
// end lesson: load_model_parameters

Gpt load_model(const fs::path& dir, GptForm form) {
  if (is_lora_folder(dir)) return load_merged_lora_model(dir, form);  // the base, found and checked, merged
  Gpt model(read_model_config(dir), form);
  load_model_parameters(dir, model);
  return model;
}

}  // namespace minillm
