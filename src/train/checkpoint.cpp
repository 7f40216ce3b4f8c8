#include "train/checkpoint.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"

namespace minillm {

namespace fs = std::filesystem;

nlohmann::json to_json(const GptConfig& c) { return fields_to_json(c); }

GptConfig gpt_config_from_json(const nlohmann::json& j) {
  GptConfig c;
  for (const auto& f : GptConfig::fields())
    require(j.is_object() && j.contains(f.key), "model config: '{}' is missing", f.key);
  fields_from_json(j, c, "model config");
  c.validate();
  return c;
}

namespace {

constexpr const char* kPartialPrefix = ".partial-";

// m or v as safetensors tensors named "<prefix>.<param>", shaped like the parameters, streamed from the
// optimizer's own buffers (no copy).
void add_moments(std::vector<SafetensorsBlob>& tensors, const TensorArena& params, std::span<const float> moments,
                 const std::string& prefix) {
  require(moments.size() == params.size(), "checkpoint: {} of AdamW's {} for {} parameters", moments.size(), prefix,
          params.size());
  for (const auto& e : params.entries())
    tensors.push_back({prefix + "." + e.name, "F32", e.shape.dims(), moments.data() + e.offset,
                       size_t(e.shape.numel()) * sizeof(float)});
}

// Reads m or v tensor by tensor straight into the optimizer's buffer (no copy of the whole file), which
// holds the floats [begin, begin + moments.size()) of the parameters: a tensor that lies partly outside
// (a ZeRO-1 shard's edge) goes through a buffer of its own size.
void read_moments(SafetensorsReader& file, const TensorArena& params, std::vector<float>& moments, int64_t begin,
                  const std::string& prefix) {
  const int64_t end = begin + static_cast<int64_t>(moments.size());
  std::vector<float> whole;
  for (const auto& e : params.entries()) {
    const int64_t first = static_cast<int64_t>(e.offset), last = first + e.shape.numel();
    if (last <= begin || first >= end) continue;
    const std::string name = prefix + "." + e.name;
    const SafetensorsEntry* t = file.find(name);
    require(t != nullptr, "optimizer state {}: no tensor '{}'", file.path().string(), name);
    require(Shape(t->shape) == e.shape, "optimizer state: {} has shape {}, the model needs {}", name,
            Shape(t->shape).str(), e.shape.str());
    if (first >= begin && last <= end) {
      file.read_f32(*t, moments.data() + (first - begin));
      continue;
    }
    whole.resize(static_cast<size_t>(e.shape.numel()));
    file.read_f32(*t, whole.data());
    const int64_t from = std::max(first, begin), to = std::min(last, end);
    std::copy(whole.begin() + (from - first), whole.begin() + (to - first), moments.begin() + (from - begin));
  }
}

// "checkpoints/step-000200" as `latest` says it, or "" when the run has none.
std::string latest_name(const fs::path& run) {
  if (!fs::exists(run / "latest")) return {};
  std::string name = read_file(run / "latest");
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  return name;
}

// A folder name under checkpoints/ not taken yet: step-000200, or step-000200.1 when the same step is saved
// again (a run resumed and stopped at once).
std::string free_name(const fs::path& folder, int64_t step) {
  const std::string base = fmt::format("step-{:06d}", step);
  std::string name = base;
  for (int i = 1; fs::exists(folder / name); ++i) name = fmt::format("{}.{}", base, i);
  return name;
}

// What the optimizer updates: the adapters of a LoRA model, else every parameter.
const TensorArena& trained_params(const Gpt& model) { return model.lora() ? model.lora()->params() : model.params(); }

}  // namespace

void save_checkpoint(const fs::path& run, const Gpt& model, const AdamW& optimizer, const nlohmann::json& state,
                     const ModelInfo& info) {
  save_checkpoint(run, model, optimizer.m(), optimizer.v(), optimizer.steps_taken(), state, info);
}

void save_checkpoint(const fs::path& run, const Gpt& model, std::span<const float> m, std::span<const float> v,
                     int64_t adamw_steps, const nlohmann::json& state, const ModelInfo& info) {
  const fs::path folder = run / "checkpoints";
  const std::string name = free_name(folder, state.at("step").get<int64_t>());
  const fs::path partial = folder / (kPartialPrefix + name);
  fs::remove_all(partial);
  if (model.lora()) save_lora_model(model, partial, info);  // the adapter only; the base is named, not copied
  else save_model(model, partial, info);
  std::vector<SafetensorsBlob> moments;
  add_moments(moments, trained_params(model), m, "m");
  add_moments(moments, trained_params(model), v, "v");
  std::sort(moments.begin(), moments.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  save_safetensors_blobs(partial / "optimizer.safetensors", moments);
  nlohmann::json full = state;
  full["adamw_steps"] = adamw_steps;
  write_file_atomically(partial / "state.json", full.dump(2) + "\n");
  // Complete: give it its name, then make it the latest. Only then may the previous one go.
  fs::rename(partial, folder / name);
  sync_directory(folder);
  const std::string previous = latest_name(run);
  write_file_atomically(run / "latest", "checkpoints/" + name + "\n");
  if (!previous.empty() && previous != "checkpoints/" + name) fs::remove_all(run / previous);
}

bool has_checkpoint(const fs::path& run) { return !latest_name(run).empty(); }

nlohmann::json read_checkpoint_state(const fs::path& run) {
  const fs::path dir = find_model_dir(run);
  require(fs::exists(dir / "state.json"), "{} is a model but not a training checkpoint (no state.json)",
          dir.string());
  try {
    return nlohmann::json::parse(read_file(dir / "state.json"));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: state.json is not valid JSON ({})", dir.string(), e.what());
  }
}

LoadedCheckpoint load_checkpoint(const fs::path& run) {
  LoadedCheckpoint out;
  out.dir = find_model_dir(run);
  out.state = read_checkpoint_state(out.dir);
  out.model = std::make_unique<Gpt>(is_lora_folder(out.dir) ? load_lora_model(out.dir, GptForm::frozen)
                                                              : load_model(out.dir));
  return out;
}

void load_optimizer_state(const fs::path& dir, const Gpt& model, AdamW& optimizer, const nlohmann::json& state) {
  SafetensorsReader file(dir / "optimizer.safetensors");
  read_moments(file, trained_params(model), optimizer.m(), optimizer.begin(), "m");
  read_moments(file, trained_params(model), optimizer.v(), optimizer.begin(), "v");
  require(state.contains("adamw_steps") && state["adamw_steps"].is_number_integer() &&
              state["adamw_steps"].get<int64_t>() >= 0,
          "{}/state.json has no 'adamw_steps' (a count of optimizer steps)", dir.string());
  optimizer.set_steps_taken(state["adamw_steps"].get<int64_t>());
}

void clean_run_folder(const fs::path& run) {
  if (!fs::exists(run)) return;
  std::vector<fs::path> temporary;
  for (const auto& entry : fs::directory_iterator(run))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) temporary.push_back(entry.path());
  for (const fs::path& path : temporary) fs::remove_all(path);
  const fs::path folder = run / "checkpoints";
  if (!fs::exists(folder)) return;
  const std::string current = latest_name(run);
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(folder))
    if ("checkpoints/" + entry.path().filename().string() != current) stale.push_back(entry.path());
  for (const fs::path& path : stale) fs::remove_all(path);
}

void clear_run_folder(const fs::path& run) {
  for (const char* name : {"latest", "checkpoints", "loss.csv"}) fs::remove_all(run / name);
}

}  // namespace minillm
