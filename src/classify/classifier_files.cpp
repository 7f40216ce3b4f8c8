#include "classify/classifier_files.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"
#include "train/model_tokenizer.hpp"

namespace minillm {

namespace fs = std::filesystem;

namespace {

std::string latest_target(const fs::path& dir) {
  if (!fs::is_regular_file(dir / "latest")) return {};
  std::string target = read_file(dir / "latest");
  while (!target.empty() && (target.back() == '\n' || target.back() == ' ')) target.pop_back();
  return target;
}

nlohmann::json meta_json(const ClassifierMeta& m) {
  return {{"task", kClassificationTask}, {"labels", m.labels},          {"pooling", pooling_name(m.pooling)},
          {"context", m.context},       {"settings", m.settings},      {"epoch", m.epoch},
          {"val_accuracy", m.val_accuracy}, {"val_macro_f1", m.val_macro_f1}};
}

ClassifierMeta meta_from_json(const nlohmann::json& j, const fs::path& file) {
  try {
    ClassifierMeta m;
    m.labels = j.at("labels").get<std::vector<std::string>>();
    m.pooling = pooling_from_name(j.at("pooling").get<std::string>());
    m.context = j.at("context").get<int>();
    m.settings = j.value("settings", nlohmann::json::object());
    m.epoch = j.value("epoch", 0);
    m.val_accuracy = j.value("val_accuracy", 0.0);
    m.val_macro_f1 = j.value("val_macro_f1", 0.0);
    require(m.labels.size() >= 2 && m.context >= 1, "{}: needs two labels or more and a context of 1 or more",
            file.string());
    return m;
  } catch (const nlohmann::json::exception& e) {
    fail("{} is damaged ({}): train the classifier again", file.string(), e.what());
  }
}

}  // namespace

void save_classifier(const fs::path& dir, const Classifier& classifier, const ClassifierMeta& meta,
                     const ModelInfo& info) {
  const fs::path folder = dir / "checkpoints";
  std::string name = fmt::format("epoch-{:03d}", meta.epoch);
  for (int i = 1; fs::exists(folder / name); ++i) name = fmt::format("epoch-{:03d}.{}", meta.epoch, i);
  const fs::path partial = folder / (".partial-" + name);
  fs::remove_all(partial);
  // A LoRA classifier's backbone is its adapter (and the base it names); load_model merges it back.
  if (classifier.backbone().lora()) save_lora_model(classifier.backbone(), partial / "backbone", info);
  else save_model(classifier.backbone(), partial / "backbone", info);
  save_safetensors(partial / "head.safetensors", classifier.head());
  write_file_atomically(partial / "classifier.json", meta_json(meta).dump(2) + "\n");
  fs::rename(partial, folder / name);
  sync_directory(folder);
  const std::string previous = latest_target(dir);
  write_file_atomically(dir / "latest", "checkpoints/" + name + "\n");
  if (!previous.empty() && previous != "checkpoints/" + name) fs::remove_all(dir / previous);
}

bool holds_classifier(const fs::path& dir) {
  const std::string target = latest_target(dir);
  return !target.empty() && fs::exists(dir / target / "classifier.json");
}

fs::path find_classifier_dir(const fs::path& path) {
  require(fs::exists(path), "'{}' does not exist: give the folder `minillm classify train --out` wrote",
          path.string());
  fs::path dir = path;
  if (!fs::exists(dir / "classifier.json") && !latest_target(path).empty()) dir = path / latest_target(path);
  if (fs::exists(dir / "classifier.json")) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(dir / "classifier.json"));
    } catch (const nlohmann::json::exception& e) {
      fail("{}/classifier.json is not valid JSON ({}): train the classifier again", dir.string(), e.what());
    }
    const std::string task = j.is_object() ? j.value("task", "") : "";
    require(task == kClassificationTask, "'{}' holds a model for the task '{}', not '{}': give a folder `minillm "
            "classify train` wrote", path.string(), task, kClassificationTask);
    return dir;
  }
  if (fs::exists(dir / "config.json"))
    fail("'{}' is a language model, not a classifier (it has no classifier.json): make a classifier from it with "
         "`minillm classify train --init-from {}`", path.string(), path.string());
  fail("'{}' is not a classifier's folder (no classifier.json, nor a 'latest' naming one): give the folder `minillm "
       "classify train --out` wrote", path.string());
}

LoadedClassifier load_classifier(const fs::path& path) {
  const fs::path dir = find_classifier_dir(path);
  const ClassifierMeta meta = meta_from_json(nlohmann::json::parse(read_file(dir / "classifier.json")),
                                             dir / "classifier.json");
  Gpt gpt = load_model(dir / "backbone", GptForm::inference_only);
  Tokenizer tokenizer = model_tokenizer(gpt, dir / "backbone");
  auto classifier = std::make_unique<Classifier>(std::move(gpt), static_cast<int>(meta.labels.size()), meta.pooling);
  SafetensorsReader head(dir / "head.safetensors");
  for (const auto& e : classifier->head().entries()) {
    const SafetensorsEntry* t = head.find(e.name);
    require(t != nullptr && Shape(t->shape) == e.shape, "{}/head.safetensors: no tensor '{}' of shape {} (the head "
            "of {} labels): train the classifier again", dir.string(), e.name, e.shape.str(), meta.labels.size());
    head.read_f32(*t, classifier->head()[e.name].data);
  }
  return {dir, std::move(classifier), meta, std::move(tokenizer)};
}

}  // namespace minillm
