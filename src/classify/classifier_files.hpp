#pragma once
// A classifier on disk, written by `minillm classify train --out DIR`, laid out like a training run
// (train/checkpoint.hpp) so it is switched as one unit:
//   DIR/latest                          one line naming the kept epoch: "checkpoints/epoch-003"
//   DIR/checkpoints/epoch-003/
//       classifier.json                 the task ("text-classification"), the labels in class order, the
//                                       pooling, the context, the settings it was trained with, its epoch
//                                       and validation scores
//       head.safetensors                head.weight [K,C], head.bias [K]
//       backbone/config.json            \ the fine-tuned GPT, a Hugging Face GPT-2 folder (its config names
//       backbone/model.safetensors      / the tokenizer)
//   DIR/epochs.csv                      epoch, training loss, validation accuracy and macro-F1
// An epoch is written whole into a hidden folder, renamed into place, and only then named by `latest`
// (atomically); the previous epoch is deleted after that. So a crash leaves `latest` naming a complete
// classifier. The language-model commands refuse a classifier's folder (gpt/model_files.hpp), and these
// refuse a language model's, each in one line.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "classify/classifier.hpp"
#include "gpt/model_files.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

inline constexpr const char* kClassificationTask = "text-classification";

struct ClassifierMeta {
  std::vector<std::string> labels;  // class k's name is labels[k]
  Pooling pooling = Pooling::last_token;
  int context = 0;                  // tokens kept of a text (its first ones)
  nlohmann::json settings = nlohmann::json::object();  // the ClassifyConfig it was trained with
  int epoch = 0;
  double val_accuracy = 0, val_macro_f1 = 0;
};

// Writes the classifier as DIR's kept epoch (see above).
void save_classifier(const std::filesystem::path& dir, const Classifier& classifier, const ClassifierMeta& meta,
                     const ModelInfo& info);

// The folder holding classifier.json that `path` names: path itself, or the epoch its `latest` names. One-line
// Error for a language model's folder, a folder made for another task, or anything else.
std::filesystem::path find_classifier_dir(const std::filesystem::path& path);

struct LoadedClassifier {
  std::filesystem::path dir;
  std::unique_ptr<Classifier> classifier;
  ClassifierMeta meta;
  Tokenizer tokenizer;
};
// For scoring: the GPT is loaded for inference only.
LoadedClassifier load_classifier(const std::filesystem::path& path);

// True when DIR holds a classifier (its `latest` names one): a new classify run may replace it.
bool holds_classifier(const std::filesystem::path& dir);

}  // namespace minillm
