#pragma once
// `minillm classify train`: fine-tune a GPT with a classification head on labelled texts.
//   1. read and check both TSV files and the model to start from (nothing is written before they pass);
//   2. put a fresh head on the GPT's final state (classify/classifier.hpp), train the head and the top
//      `unfreeze` blocks (classify/trainable.hpp) with AdamW on the class-weighted cross-entropy, in shuffled
//      batches, a warmup and a cosine decay over all the steps;
//   3. after every epoch, score the validation texts; an epoch better than every earlier one (accuracy, then
//      macro-F1) becomes the classifier in --out (classify/classifier_files.hpp).
#include <functional>
#include <string>
#include <vector>

#include "classify/classify_config.hpp"

namespace minillm {

struct EpochResult {
  int epoch = 0;            // from 1
  double train_loss = 0;    // mean over the epoch's steps
  double val_accuracy = 0, val_macro_f1 = 0;
  bool kept = false;        // the best so far: written to --out
  double seconds = 0;       // since training began
};

struct ClassifyTrainSummary {
  std::vector<EpochResult> epochs;
  int best_epoch = 0;
  double best_val_accuracy = 0, best_val_macro_f1 = 0;
  int64_t steps = 0, trainable_parameters = 0, total_parameters = 0;
  double seconds = 0, texts_per_second = 0;
  std::string out_dir;      // the classifier's folder
};

struct ClassifyHooks {
  std::function<void(const std::string&)> say;                   // sentences (to stderr)
  bool progress = true;                                          // a progress bar per epoch
  std::function<void(const EpochResult&)> on_epoch;
};

ClassifyTrainSummary train_classifier(const ClassifyConfig& config, const ClassifyHooks& hooks = {});

}  // namespace minillm
