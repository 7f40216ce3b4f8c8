#include "gpt/lora.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/file_hash.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"
#include "nn/kernels.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

void LoraConfig::validate() const {
  require(rank >= 1, "LoRA: the rank must be at least 1, got {}", rank);
  require(std::isfinite(alpha) && alpha > 0, "LoRA: alpha must be a number greater than 0, got {}", alpha);
}

namespace {

// A layer's weight shape [out, in] from the block's parameter table.
Shape layer_weight_shape(int C, const std::string& layer) {
  for (const TensorSpec& row : block_parameter_table(C))
    if (row.name == layer + ".weight") return row.shape;
  fail("LoRA: the block has no linear layer '{}'", layer);
}

std::string adapter_name(int l, const char* layer, const char* part) {
  return fmt::format("{}{}.{}", layer_prefix(l), layer, part);
}

constexpr const char* kAdapterFile = "adapter.safetensors";
constexpr const char* kLoraKey = "minillm_lora";

}  // namespace

std::vector<TensorSpec> lora_parameter_table(const GptConfig& model, int rank) {
  std::vector<TensorSpec> table;
  const int64_t R = rank;
  for (int l = 0; l < model.n_layer; ++l)
    for (const char* layer : kLoraLayers) {
      const Shape w = layer_weight_shape(model.n_embd, layer);  // [out, in]
      table.push_back({adapter_name(l, layer, "lora_A"), Shape{R, w[1]}});
      table.push_back({adapter_name(l, layer, "lora_B"), Shape{w[0], R}});
    }
  return table;
}

std::vector<TensorSpec> lora_activation_table(const GptConfig& model, int rank, int B, int T) {
  const int64_t N = int64_t{B} * T, R = rank;
  std::vector<TensorSpec> table;
  for (int l = 0; l < model.n_layer; ++l)
    for (const char* layer : kLoraLayers) table.push_back({adapter_name(l, layer, "lora_h"), Shape{N, R}});
  table.push_back({"lora_dh", Shape{N, R}});
  return table;
}

int64_t lora_parameter_count(const GptConfig& model, int rank) {
  int64_t n = 0;
  for (const TensorSpec& row : lora_parameter_table(model, rank)) n += row.shape.numel();
  return n;
}

LoraBase lora_base_of(const fs::path& model_dir) {
  return {fs::absolute(model_dir).lexically_normal().string(), file_hash(model_dir / "model.safetensors")};
}

LoraAdapters::LoraAdapters(const GptConfig& model, LoraConfig config, LoraBase base)
    : model_(model), config_(config), base_(std::move(base)) {
  config_.validate();
  add_tensors(params_, lora_parameter_table(model_, config_.rank));
  add_tensors(grads_, lora_parameter_table(model_, config_.rank));
  params_.allocate();
  grads_.allocate();
  layers_.resize(static_cast<size_t>(model_.n_layer));
  for (int l = 0; l < model_.n_layer; ++l)
    for (size_t i = 0; i < kLoraLayers.size(); ++i) {
      Layer& x = layers_[l][i];
      x.A = params_[adapter_name(l, kLoraLayers[i], "lora_A")].data;
      x.B = params_[adapter_name(l, kLoraLayers[i], "lora_B")].data;
      x.dA = grads_[adapter_name(l, kLoraLayers[i], "lora_A")].data;
      x.dB = grads_[adapter_name(l, kLoraLayers[i], "lora_B")].data;
    }
}

// lesson: lora_init
void LoraAdapters::init(Rng& rng) {
  for (const auto& e : params_.entries()) {
    TensorView t = params_[e.name];
    if (e.name.ends_with("lora_B")) {
      t.zero();  // B = 0: the update B·A is zero, so training starts from the base model exactly
    } else {
      const float bound = 1.0f / std::sqrt(static_cast<float>(e.shape[1]));  // A [R, in]
      rng.fill_uniform(t.span(), -bound, bound);
    }
  }
}
// end lesson: lora_init

void LoraAdapters::allocate_activations(int B, int T) {
  TensorArena acts;
  add_tensors(acts, lora_activation_table(model_, config_.rank, B, T));
  acts.allocate();
  acts_ = std::move(acts);
  for (int l = 0; l < model_.n_layer; ++l)
    for (size_t i = 0; i < kLoraLayers.size(); ++i)
      layers_[l][i].h = acts_[adapter_name(l, kLoraLayers[i], "lora_h")].data;
  dh_ = acts_["lora_dh"].data;
}

BlockRoutes LoraAdapters::routes(int layer) {
  const int R = config_.rank;
  const float scale = config_.scale();
  std::array<Layer, kLoraLayers.size()>& adapters = layers_.at(static_cast<size_t>(layer));
  BlockRoutes r;
  r.linear = [&adapters, R, scale](BlockLinear which, float* out, const float* inp, const float* w, const float* b,
                                   int N, int C, int OC) {
    const Kernels& k = kernels();
    const Layer& a = adapters[static_cast<size_t>(which)];
    k.linear_forward(out, inp, w, b, N, C, OC);                     // the frozen layer
    k.lora_forward(out, a.h, inp, a.A, a.B, scale, N, C, OC, R);    // + scale · (inp · Aᵀ) · Bᵀ
  };
  r.linear_backward = [&adapters, R, scale, this](BlockLinear which, float* dinp, float* dw, float* db,
                                                  const float* dout, const float* inp, const float* w, int N, int C,
                                                  int OC) {
    const Kernels& k = kernels();
    const Layer& a = adapters[static_cast<size_t>(which)];
    k.linear_backward(dinp, dw, db, dout, inp, w, N, C, OC);  // dw, db: nullptr for the frozen model
    k.lora_backward(dinp, a.dA, a.dB, dh_, dout, inp, a.h, a.A, a.B, scale, N, C, OC, R);
  };
  return r;
}

void LoraAdapters::merge_into(Gpt& model) const {
  require(model.config() == model_, "LoRA merge: the adapters were made for another model shape");
  TensorArena& params = model.params();
  for (int l = 0; l < model_.n_layer; ++l)
    for (size_t i = 0; i < kLoraLayers.size(); ++i) {
      TensorView w = params[layer_prefix(l) + kLoraLayers[i] + ".weight"];
      lora_merge(w.data, layers_[l][i].A, layers_[l][i].B, config_.scale(), static_cast<int>(w.shape[1]),
                 static_cast<int>(w.shape[0]), config_.rank);
    }
}

Gpt merged_lora_copy(const Gpt& model) {
  require(model.lora() != nullptr, "merged_lora_copy: the model has no LoRA adapters");
  Gpt merged(model.config(), GptForm::inference_only);
  std::copy_n(model.params().data(), model.params().size(), merged.params().data());
  model.lora()->merge_into(merged);
  return merged;
}

std::string lora_summary(const GptConfig& model, const LoraConfig& config) {
  const int64_t trained = lora_parameter_count(model, config.rank), total = gpt_parameter_count(model);
  return fmt::format("LoRA rank {} (alpha {}, scale {:.3g}) on attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj of "
                     "all {} blocks: {} trainable parameters, {:.2f}% of the model's {:.2f} M, which stay frozen.",
                     config.rank, config.alpha, config.scale(), model.n_layer, trained,
                     100.0 * double(trained) / double(total), double(total) / 1e6);
}

namespace {

json read_config_json(const fs::path& dir) {
  try {
    return json::parse(read_file(dir / "config.json"));
  } catch (const json::exception& e) {
    fail("{}/config.json is not valid JSON ({})", dir.string(), e.what());
  }
}

struct LoraFolder {
  LoraConfig config;
  LoraBase base;
};

LoraFolder read_lora_folder(const fs::path& dir) {
  const json j = read_config_json(dir);
  require(j.is_object() && j.contains(kLoraKey) && j[kLoraKey].is_object(), "{} is not a LoRA adapter folder (no "
          "'{}' in config.json)", dir.string(), kLoraKey);
  const json& l = j[kLoraKey];
  try {
    LoraFolder f{{l.at("rank").get<int>(), l.at("alpha").get<float>()},
                 {l.at("base_model").get<std::string>(), 0}};
    f.base.model_hash = std::stoull(l.at("base_model_hash").get<std::string>(), nullptr, 16);
    f.config.validate();
    return f;
  } catch (const std::exception& e) {
    fail("{}/config.json: '{}' needs rank, alpha, base_model and base_model_hash ({})", dir.string(), kLoraKey,
         e.what());
  }
}

// The base model folder, checked: present, and its weights the ones the adapter was trained on.
fs::path checked_base(const fs::path& dir, const LoraBase& base) {
  const fs::path base_dir = base.path;
  require(fs::exists(base_dir / "model.safetensors"), "{} is a LoRA adapter whose base model {} is missing: put the "
          "base model back there, or train the adapter again", dir.string(), base.path);
  const uint64_t now = file_hash(base_dir / "model.safetensors");
  require(now == base.model_hash, "{} is a LoRA adapter for the base model {}, whose model.safetensors has changed "
          "since (hash {:016x}, the adapter's {:016x}): the adapter only fits the weights it was trained on; "
          "restore them or train the adapter again", dir.string(), base.path, now, base.model_hash);
  return base_dir;
}

}  // namespace

bool is_lora_folder(const fs::path& dir_in) {
  const fs::path dir = find_model_dir(dir_in);
  const json j = read_config_json(dir);
  return j.is_object() && j.contains(kLoraKey);
}

void save_lora_model(const Gpt& model, const fs::path& dir, const ModelInfo& info) {
  const LoraAdapters* lora = model.lora();
  require(lora != nullptr, "save_lora_model: the model has no LoRA adapters");
  json config = model_config_json(model.config(), info);
  std::vector<std::string> layers(kLoraLayers.begin(), kLoraLayers.end());
  config[kLoraKey] = {{"rank", lora->config().rank}, {"alpha", lora->config().alpha}, {"target_modules", layers},
                      {"base_model", lora->base().path},
                      {"base_model_hash", fmt::format("{:016x}", lora->base().model_hash)}};
  std::vector<SafetensorsBlob> tensors;
  const TensorArena& params = lora->params();
  for (const auto& e : params.entries())
    tensors.push_back({e.name, "F32", e.shape.dims(), params.data() + e.offset, size_t(e.shape.numel()) * sizeof(float)});
  std::sort(tensors.begin(), tensors.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  fs::create_directories(dir);
  save_safetensors_blobs(dir / kAdapterFile, tensors, {{"format", "pt"}});
  write_file_atomically(dir / "config.json", config.dump(2) + "\n");
}

Gpt load_lora_model(const fs::path& dir_in, GptForm form) {
  require(form != GptForm::trainable, "load_lora_model: a LoRA model's base is frozen (GptForm::frozen to train)");
  const fs::path dir = find_model_dir(dir_in);
  const LoraFolder folder = read_lora_folder(dir);
  const fs::path base_dir = checked_base(dir, folder.base);
  const GptConfig config = read_model_config(dir);
  require(read_model_config(base_dir) == config, "{}: the adapter's config.json describes another model shape than "
          "its base model {}", dir.string(), base_dir.string());
  Gpt model(config, form);
  load_model_parameters(base_dir, model);
  auto adapters = std::make_unique<LoraAdapters>(config, folder.config, folder.base);
  SafetensorsReader file(dir / kAdapterFile);
  TensorArena& params = adapters->params();
  for (const auto& e : params.entries()) {
    const SafetensorsEntry* t = file.find(e.name);
    require(t != nullptr, "{} has no tensor '{}', which a rank-{} adapter needs", file.path().string(), e.name,
            folder.config.rank);
    require(Shape(t->shape) == e.shape, "{}: tensor '{}' has shape {}, the adapter needs {}", file.path().string(),
            e.name, Shape(t->shape).str(), e.shape.str());
    file.read_f32(*t, params.data() + e.offset);
  }
  require(file.entries().size() == params.entries().size(), "{} holds {} tensors, a rank-{} adapter of this model "
          "has {}", file.path().string(), file.entries().size(), folder.config.rank, params.entries().size());
  model.attach_lora(std::move(adapters));
  return model;
}

Gpt load_merged_lora_model(const fs::path& dir, GptForm form) {
  Gpt model = load_lora_model(dir, form == GptForm::trainable ? GptForm::frozen : form);
  model.merge_lora();
  if (form != GptForm::trainable) return model;
  Gpt trainable(model.config(), GptForm::trainable);  // every weight trainable again: a copy with gradients
  std::copy_n(model.params().data(), model.params().size(), trainable.params().data());
  return trainable;
}

}  // namespace minillm
