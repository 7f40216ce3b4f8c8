#include "gpt/quantized_model.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kFormat = "q8_0";
constexpr const char* kConfigKey = "minillm_quantization";

// The name of a parameter in model.safetensors (as model_files.cpp names it).
std::string file_name(const std::string& name) { return name == "wte" || name == "wpe" ? name + ".weight" : name; }

// Every parameter a model of this shape has, by minillm's names, with its shape (nothing allocated).
TensorArena parameter_layout(const GptConfig& c) {
  TensorArena arena;
  const int64_t C = c.n_embd;
  arena.add("wte", {int64_t{c.vocab_size}, C});
  arena.add("wpe", {int64_t{c.context_length}, C});
  for (int l = 0; l < c.n_layer; ++l) add_block_params(arena, layer_prefix(l), c.n_embd);
  arena.add("ln_f.weight", {C});
  arena.add("ln_f.bias", {C});
  return arena;
}

// The matrices Q8_0 replaces: wte and each block's four linear weights.
bool is_quantized(const std::string& name) {
  if (name == "wte") return true;
  for (const char* suffix : {".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"})
    if (name.ends_with(suffix)) return true;
  return false;
}

// The matrix of a quantized parameter's name, in a QuantizedGpt or a const one.
template <class Model>
auto* quantized_slot(Model& m, const std::string& name) {
  if (name == "wte") return &m.wte;
  const size_t dot = name.find('.', 2);  // "h.<l>.<rest>"
  auto& b = m.blocks.at(std::stoul(name.substr(2, dot - 2)));
  const std::string rest = name.substr(dot + 1);
  if (rest == "attn.c_attn.weight") return &b.attn_c_attn;
  if (rest == "attn.c_proj.weight") return &b.attn_c_proj;
  if (rest == "mlp.c_fc.weight") return &b.mlp_c_fc;
  return &b.mlp_c_proj;
}

// A QuantizedGpt of this shape: the float arena allocated (zeros), the pointers resolved, no matrices yet.
QuantizedGpt empty_model(const GptConfig& config) {
  QuantizedGpt m;
  m.config = config;
  const TensorArena layout = parameter_layout(config);
  for (const auto& e : layout.entries())
    if (!is_quantized(e.name)) m.floats.add(e.name, e.shape);
  m.floats.allocate();
  m.blocks.resize(size_t(config.n_layer));
  const auto at = [&](const std::string& name) { return m.floats[name].data; };
  for (int l = 0; l < config.n_layer; ++l) {
    const std::string p = layer_prefix(l);
    BlockParams b{};
    b.ln_1_weight = at(p + "ln_1.weight");
    b.ln_1_bias = at(p + "ln_1.bias");
    b.attn_c_attn_bias = at(p + "attn.c_attn.bias");
    b.attn_c_proj_bias = at(p + "attn.c_proj.bias");
    b.ln_2_weight = at(p + "ln_2.weight");
    b.ln_2_bias = at(p + "ln_2.bias");
    b.mlp_c_fc_bias = at(p + "mlp.c_fc.bias");
    b.mlp_c_proj_bias = at(p + "mlp.c_proj.bias");
    m.params.push_back(b);
  }
  m.wpe = at("wpe");
  m.ln_f_weight = at("ln_f.weight");
  m.ln_f_bias = at("ln_f.bias");
  return m;
}

json read_config_json(const fs::path& dir) {
  const fs::path file = find_model_dir(dir) / "config.json";
  try {
    return json::parse(read_file(file));
  } catch (const json::exception& e) {
    fail("{} is not valid JSON ({})", file.string(), e.what());
  }
}

// Reads the I8 values and F16 scales of `name` [rows, cols], checking dtypes and shapes.
Q8Matrix read_q8(SafetensorsReader& file, const std::string& name, int64_t rows, int64_t cols) {
  const std::string where = file.path().string();
  const SafetensorsEntry* values = file.find(name);
  const SafetensorsEntry* scales = file.find(name + ".scales");
  require(values != nullptr && scales != nullptr, "{} has no tensor '{}', which a Q8_0 model of its config.json "
          "needs", where, values ? name + ".scales" : name);
  require(values->shape == std::vector<int64_t>{rows, cols}, "{}: tensor '{}' has shape {}, but the model of its "
          "config.json needs [{}, {}]", where, name, Shape(values->shape).str(), rows, cols);
  require(scales->shape == std::vector<int64_t>{rows, cols / kQ8Block}, "{}: tensor '{}.scales' has shape {}, but "
          "[{}, {}] values in blocks of {} have [{}, {}] scales", where, name, Shape(scales->shape).str(), rows, cols,
          kQ8Block, rows, cols / kQ8Block);
  Q8Matrix m{int(rows), int(cols), std::vector<int8_t>(size_t(rows * cols)),
             std::vector<uint16_t>(size_t(rows * (cols / kQ8Block)))};
  file.read_raw(*values, "I8", m.values.data());
  file.read_raw(*scales, "F16", m.scales.data());
  check_q8_0(m, fmt::format("{}: tensor '{}'", where, name));
  return m;
}

}  // namespace

int64_t QuantizedGpt::bytes() const {
  int64_t total = wte.bytes() + int64_t(floats.size() * sizeof(float));
  for (const QuantizedBlock& b : blocks)
    total += b.attn_c_attn.bytes() + b.attn_c_proj.bytes() + b.mlp_c_fc.bytes() + b.mlp_c_proj.bytes();
  return total;
}

// lesson: quantize_gpt
QuantizedGpt quantize_gpt(const Gpt& model) {
  QuantizedGpt q = empty_model(model.config());
  const TensorArena& params = model.params();
  for (const auto& e : params.entries()) {
    const float* src = params.data() + e.offset;
    if (is_quantized(e.name))  // [out, in]: blocks of 32 along each row (the input dimension)
      *quantized_slot(q, e.name) = quantize_q8_0(src, int(e.shape[0]), int(e.shape[1]), file_name(e.name));
    else  // LayerNorms, biases, wpe: kept as they are
      std::copy_n(src, e.shape.numel(), q.floats[e.name].data);
  }
  return q;
}
// end lesson: quantize_gpt

Gpt dequantize_gpt(const QuantizedGpt& q) {
  Gpt model(q.config, GptForm::inference_only);
  TensorArena& params = model.params();
  for (const auto& e : params.entries()) {
    float* dst = params.data() + e.offset;
    if (is_quantized(e.name)) dequantize_q8_0(dst, *quantized_slot(q, e.name));
    else std::copy_n(q.floats[e.name].data, e.shape.numel(), dst);
  }
  return model;
}

void save_quantized_model(const QuantizedGpt& q, const fs::path& dir, const ModelInfo& info,
                          const QuantizationSource& source) {
  json config = model_config_json(q.config, info);
  config[kConfigKey] = {{"format", kFormat}, {"block_size", kQ8Block}, {"source", source.path},
                        {"source_hash", fmt::format("{:016x}", source.model_hash)}};
  std::vector<SafetensorsBlob> blobs;
  const TensorArena layout = parameter_layout(q.config);
  for (const auto& e : layout.entries()) {
    const std::string name = file_name(e.name);
    if (!is_quantized(e.name)) {
      const ConstTensorView t = q.floats[e.name];
      blobs.push_back({name, "F32", e.shape.dims(), t.data, size_t(t.numel()) * sizeof(float)});
      continue;
    }
    const Q8Matrix& m = *quantized_slot(q, e.name);
    blobs.push_back({name, "I8", {m.rows, m.cols}, m.values.data(), m.values.size()});
    blobs.push_back({name + ".scales", "F16", {m.rows, m.blocks_per_row()}, m.scales.data(), m.scales.size() * 2});
  }
  fs::create_directories(dir);
  save_safetensors_blobs(dir / "model.safetensors", blobs, {{"format", "pt"}, {"minillm_quantization", kFormat}});
  write_file_atomically(dir / "config.json", config.dump(2) + "\n");
}

std::string quantization_format(const fs::path& dir) {
  const json j = read_config_json(dir);
  if (!j.is_object() || !j.contains(kConfigKey)) return "";
  const json& q = j[kConfigKey];
  const fs::path file = find_model_dir(dir) / "config.json";
  require(q.is_object() && q.value("format", json()).is_string(), "{}: '{}' is not an object with a \"format\"",
          file.string(), kConfigKey);
  const std::string format = q["format"];
  const json block = q.value("block_size", json());
  require(format == kFormat && block.is_number_integer() && block.get<int64_t>() == kQ8Block,
          "{}: quantization format '{}' (block size {}) is not one minillm reads (q8_0, blocks of 32)",
          file.string(), format, block.dump());
  return format;
}

void require_float_model(const fs::path& dir) {
  if (quantization_format(dir).empty()) return;
  const json j = read_config_json(dir);
  fail("'{}' is a quantized (q8_0) model, which only `minillm generate` and `minillm eval` read: use the float "
       "model it was made from ({})", dir.string(), j[kConfigKey].value("source", std::string("its source")));
}

QuantizedGpt load_quantized_model(const fs::path& dir_in) {
  const fs::path dir = find_model_dir(dir_in);
  require(!quantization_format(dir).empty(), "'{}' is a float model, not a quantized one: load it with load_model",
          dir.string());
  QuantizedGpt q = empty_model(read_model_config(dir));
  SafetensorsReader file(dir / "model.safetensors");
  std::set<std::string> known;
  const TensorArena layout = parameter_layout(q.config);
  for (const auto& e : layout.entries()) {
    const std::string name = file_name(e.name);
    known.insert(name);
    if (is_quantized(e.name)) {
      known.insert(name + ".scales");
      *quantized_slot(q, e.name) = read_q8(file, name, e.shape[0], e.shape[1]);
      continue;
    }
    const SafetensorsEntry* t = file.find(name);
    require(t != nullptr, "{} has no tensor '{}', which the model of its config.json needs", file.path().string(), name);
    require(t->shape == e.shape.dims(), "{}: tensor '{}' has shape {} but the model of config.json needs {}",
            file.path().string(), name, Shape(t->shape).str(), e.shape.str());
    file.read_f32(*t, q.floats[e.name].data);
  }
  for (const SafetensorsEntry& t : file.entries())
    require(known.contains(t.name), "{} holds tensor '{}', which a Q8_0 GPT-2 does not have", file.path().string(),
            t.name);
  return q;
}

}  // namespace minillm
