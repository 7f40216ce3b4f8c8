#pragma once
// `minillm classify train`'s settings, one row each (io/config_fields.hpp): type, name (= JSON key in the
// classifier's classifier.json), default, flag, range, help. The flags and their '(default ...)' help come
// from these rows (src/cli/commands_classify.cpp).
// Defaults chosen by measurement on SpamAssassin's validation split (docs/benchmarks.md, chapter 09), from the
// demo's GPT pretrained on the emails, 2 minutes each: the top 4 blocks (all of chapter 06's) 92.2%, 2 blocks
// 90.7%, 1 block 91.0%, the head alone 82.1%; mean pooling 91.1% against the last token's 90.7% (3 mails of
// 884, inside the noise: the last token stays).
#include <cstdint>
#include <string>
#include <vector>

#include "io/config_fields.hpp"
#include "train/adamw.hpp"

namespace minillm {

#define MINILLM_CLASSIFY_CONFIG(X)                                                                                   \
  X(std::string, input, "", "--input", any_value(), "training examples: a TSV file, one label<TAB>text a line")      \
  X(std::string, val, "", "--val", any_value(),                                                                       \
    "validation examples in the same format: each epoch is scored on them and the best one is kept")                  \
  X(std::string, init_from, "", "--init-from", any_value(),                                                           \
    "the GPT to start from: a minillm run or model folder, or a Hugging Face GPT-2 folder")                           \
  X(std::string, out_dir, "data/out/classify", "--out", any_value(), "the classifier's folder (its best epoch)")      \
  X(std::string, pooling, "last", "--pooling", any_value(),                                                           \
    "the text's vector: 'last' (the last real token's final state) or 'mean' (the mean over its real tokens)")       \
  X(int, unfreeze, 4, "--unfreeze", at_least(0),                                                                     \
    "top blocks trained with the head and ln_f (0: the head alone; more than the model has: all of them)")             \
  X(int, lora_rank, 0, "--lora-rank", at_least(0),                                                                   \
    "train LoRA adapters (rank R) on every block's linear layers and the head, the GPT frozen (0: --unfreeze)")      \
  X(float, lora_alpha, 16.0f, "--lora-alpha", greater_than(0), "LoRA's scale is alpha / rank")                      \
  X(int, context, 0, "--context", greater_than_or_unset(0),                                                           \
    "tokens kept of each text, its first ones (default: the model's context)")                                        \
  X(int, epochs, 4, "--epochs", greater_than(0), "passes over the training examples")                                \
  X(double, minutes, 0.0, "--minutes", greater_than_or_unset(0),                                                      \
    "time budget: the schedule is fitted to it and training stops in time (default: none, run every epoch)")         \
  X(int, batch, 16, "--batch", greater_than(0), "texts per step")                                                     \
  X(float, lr, 3e-4f, "--lr", greater_than(0), "peak learning rate (a warmup, then a cosine decay to a tenth)")     \
  X(int64_t, warmup, 20, "", at_least(0), "steps of linear learning-rate warmup")                                    \
  X(float, clip, 1.0f, "", greater_than(0), "largest global L2 norm of the gradient")                                \
  X(std::string, balance, "weights", "--balance", any_value(),                                                        \
    "class imbalance: 'weights' (class k's loss weighted n/(K*n_k)) or 'none'")                                       \
  X(int, eval_batch, 32, "", greater_than(0), "texts per forward pass when scoring")                                 \
  X(uint64_t, seed, 1337, "--seed", at_least(0), "random seed (the head's initialisation, the order of examples)")

struct ClassifyConfig {
  using Self = ClassifyConfig;
  MINILLM_CLASSIFY_CONFIG(MINILLM_CONFIG_MEMBER)
  AdamWConfig adamw;  // AdamW's table (train/adamw.hpp), its defaults

  static std::vector<ConfigField<Self>> fields() { return {MINILLM_CLASSIFY_CONFIG(MINILLM_CONFIG_FIELD)}; }
  void validate() const;  // Error naming the setting
};

nlohmann::json to_json(const ClassifyConfig& config);

// `minillm classify eval`'s and `classify predict`'s settings.
#define MINILLM_CLASSIFY_EVAL_CONFIG(X)                                                                               \
  X(std::string, checkpoint, "", "--checkpoint", any_value(), "the classifier's folder (classify train's --out)")   \
  X(std::string, input, "", "--input", any_value(), "labelled texts to score: a TSV file, one label<TAB>text a line") \
  X(std::string, png, "", "--png", any_value(), "the confusion matrix's picture (default: confusion.png in --checkpoint)") \
  X(int, batch, 32, "--batch", greater_than(0), "texts per forward pass")

struct ClassifyEvalSettings {
  using Self = ClassifyEvalSettings;
  MINILLM_CLASSIFY_EVAL_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_CLASSIFY_EVAL_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

#define MINILLM_CLASSIFY_PREDICT_CONFIG(X) \
  X(std::string, checkpoint, "", "--checkpoint", any_value(), "the classifier's folder (classify train's --out)")

struct ClassifyPredictSettings {
  using Self = ClassifyPredictSettings;
  MINILLM_CLASSIFY_PREDICT_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_CLASSIFY_PREDICT_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

// The loss weight of each class: n / (K * n_k) with balance "weights" (each class then weighs as much in
// total; scikit-learn's class_weight="balanced"), 1 with "none".
std::vector<float> class_weights(const std::vector<int64_t>& counts, const std::string& balance);

}  // namespace minillm
