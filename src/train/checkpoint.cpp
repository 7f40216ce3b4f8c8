#include "train/checkpoint.hpp"

#include <algorithm>
#include <cstdint>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"

namespace minillm {

nlohmann::json to_json(const GptConfig& c) {
  return {{"vocab_size", c.vocab_size}, {"context_length", c.context_length}, {"n_layer", c.n_layer},
          {"n_head", c.n_head},         {"n_embd", c.n_embd}};
}

GptConfig gpt_config_from_json(const nlohmann::json& j) {
  GptConfig c;
  auto field = [&](const char* name, int& out) {
    require(j.contains(name) && j[name].is_number_integer() && j[name].get<int64_t>() >= 0 &&
                j[name].get<int64_t>() <= INT32_MAX,
            "model config: '{}' is missing or not an integer (up to 2147483647)", name);
    out = static_cast<int>(j[name].get<int64_t>());
  };
  field("vocab_size", c.vocab_size);
  field("context_length", c.context_length);
  field("n_layer", c.n_layer);
  field("n_head", c.n_head);
  field("n_embd", c.n_embd);
  c.validate();
  return c;
}

namespace {

// m or v as safetensors tensors named "<prefix>.<param>", shaped like the parameters.
void add_moments(SafetensorsFile& file, const TensorArena& params, const std::vector<float>& moments,
                 const std::string& prefix) {
  for (const auto& e : params.entries()) {
    const auto begin = moments.begin() + static_cast<std::ptrdiff_t>(e.offset);
    file.tensors.emplace(prefix + "." + e.name, Tensor(e.shape, std::vector<float>(begin, begin + e.shape.numel())));
  }
}

void read_moments(const SafetensorsFile& file, const TensorArena& params, std::vector<float>& moments,
                  const std::string& prefix) {
  for (const auto& e : params.entries()) {
    const Tensor& t = file.at(prefix + "." + e.name);
    require(t.shape() == e.shape, "optimizer state: {}.{} has shape {}, the model needs {}", prefix, e.name,
            t.shape().str(), e.shape.str());
    std::copy(t.values().begin(), t.values().end(), moments.begin() + static_cast<std::ptrdiff_t>(e.offset));
  }
}

}  // namespace

void save_checkpoint(const std::filesystem::path& dir, const Gpt& model, AdamW* optimizer, const nlohmann::json& state) {
  std::filesystem::create_directories(dir);
  save_safetensors(dir / "model.safetensors", model.params(), {{"format", "pt"}, {"model", "minillm GPT-2"}});
  nlohmann::json full = state;
  full["model"] = to_json(model.config());
  if (optimizer != nullptr) {
    SafetensorsFile moments;
    add_moments(moments, model.params(), optimizer->m(), "m");
    add_moments(moments, model.params(), optimizer->v(), "v");
    save_safetensors(dir / "optimizer.safetensors", moments);
    full["adamw_steps"] = optimizer->steps_taken();
  }
  write_file_atomically(dir / "state.json", full.dump(2) + "\n");
}

bool has_checkpoint(const std::filesystem::path& dir) { return std::filesystem::exists(dir / "state.json"); }

LoadedCheckpoint load_checkpoint(const std::filesystem::path& dir) {
  require(has_checkpoint(dir), "'{}' is not a checkpoint directory (no state.json); train one with `minillm train`",
          dir.string());
  LoadedCheckpoint out;
  try {
    out.state = nlohmann::json::parse(read_file(dir / "state.json"));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: state.json is not valid JSON ({})", dir.string(), e.what());
  }
  require(out.state.contains("model"), "{}/state.json has no 'model' config", dir.string());
  out.model = std::make_unique<Gpt>(gpt_config_from_json(out.state["model"]));
  load_safetensors_into(dir / "model.safetensors", out.model->params());
  return out;
}

void load_optimizer_state(const std::filesystem::path& dir, const Gpt& model, AdamW& optimizer,
                          const nlohmann::json& state) {
  const SafetensorsFile file = load_safetensors(dir / "optimizer.safetensors");
  read_moments(file, model.params(), optimizer.m(), "m");
  read_moments(file, model.params(), optimizer.v(), "v");
  require(state.contains("adamw_steps") && state["adamw_steps"].is_number_integer() &&
              state["adamw_steps"].get<int64_t>() >= 0,
          "{}/state.json has no 'adamw_steps' (a count of optimizer steps)", dir.string());
  optimizer.set_steps_taken(state["adamw_steps"].get<int64_t>());
}

}  // namespace minillm
