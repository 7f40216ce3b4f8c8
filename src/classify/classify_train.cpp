#include "classify/classify_train.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "classify/classifier_files.hpp"
#include "classify/labelled_text.hpp"
#include "classify/metrics.hpp"
#include "classify/scoring.hpp"
#include "classify/trainable.hpp"
#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "io/atomic_file.hpp"
#include "train/init_from.hpp"
#include "train/model_tokenizer.hpp"
#include "train/schedule.hpp"
#include "train/time_budget.hpp"
#include "ui/progress.hpp"

namespace minillm {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Everything checked before anything is written.
struct Prepared {
  InitSource source;
  Tokenizer tokenizer;
  LabelledText train, val;
  int context = 0;
};

void check_out_dir(const ClassifyConfig& c, const InitSource& source) {
  const fs::path out = c.out_dir;
  require(!fs::exists(out / "latest") || holds_classifier(out), "--out {} holds a language-model run, which a "
          "classifier would replace: write the classifier to another folder (--out)", c.out_dir);
  const fs::path relative = fs::weakly_canonical(source.model_dir).lexically_relative(fs::weakly_canonical(out));
  require(relative.empty() || *relative.begin() == "..", "--out {} holds the model --init-from starts from: write "
          "the classifier to another folder (--out)", c.out_dir);
}

Prepared prepare(const ClassifyConfig& c) {
  c.validate();
  LabelledText train = read_labelled_text(c.input);
  LabelledText val = read_labelled_text(c.val, train.label_names);
  InitSource source = open_init_source(c.init_from);
  Tokenizer tokenizer = model_tokenizer(source.model, source.model_dir);
  first_trained_layer(source.model, c.unfreeze);
  const int context = c.context > 0 ? c.context : source.model.context_length;
  require(context <= source.model.context_length, "--context {} is longer than the {} positions the model in {} "
          "has learned: give --context {} or less", context, source.model.context_length, source.model_dir.string(),
          source.model.context_length);
  check_out_dir(c, source);
  return {std::move(source), std::move(tokenizer), std::move(train), std::move(val), context};
}

// One epoch's order of the training examples.
std::vector<size_t> shuffled(size_t n, Rng& rng) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

// The training run between steps.
struct Run {
  const ClassifyConfig& config;
  const ClassifyHooks& hooks;
  Prepared& data;
  std::vector<TokenIds> train_ids, val_ids;
  std::vector<float> weights;
  Classifier classifier;
  TrainableSet trainable;
  AdamW optimizer;
  int first_layer;
  Rng rng;
  int64_t step = 0, total_steps = 0, all_steps = 0;  // all_steps: every epoch's (the time budget may cut it)
  int64_t texts = 0;
  std::optional<StepBudget> budget{};
  LrSchedule schedule{};
  Clock::time_point began = Clock::now();
  ClassifyTrainSummary summary{};
};

void say(const Run& run, const std::string& text) {
  if (run.hooks.say) run.hooks.say(text);
}

// One optimizer step on the examples order[begin, end). Returns the batch's loss (NaN: skipped).
float train_step(Run& run, const std::vector<size_t>& order, size_t begin, size_t end) {
  std::vector<const TokenIds*> rows;
  std::vector<int> labels;
  for (size_t i = begin; i < end; ++i) {
    rows.push_back(&run.train_ids[order[i]]);
    labels.push_back(run.data.train.labels[order[i]]);
  }
  run.trainable.zero_model_grads();
  const float loss = run.classifier.forward(pad_batch(rows), labels, run.weights);
  if (!std::isfinite(loss)) return loss;
  run.classifier.backward(run.first_layer);
  run.trainable.gather_grads();
  const float norm = clip_grad_norm(run.trainable.grads(), run.config.clip);
  if (!std::isfinite(norm)) return norm;
  run.optimizer.step(run.trainable.values(), run.trainable.grads(), run.schedule.at(run.step));
  run.trainable.scatter_values();
  return loss;
}

// After a step: the time budget's estimate of the steps that fit, once it has one.
void plan_steps(Run& run) {
  if (!run.budget) return;
  const int64_t planned = run.budget->after_step(run.step, run.step, seconds_since(run.began));
  if (planned == StepBudget::kUnknown) return;
  run.total_steps = std::min(planned, run.all_steps);
  run.schedule.total_steps = std::max<int64_t>(run.total_steps, 1);
}

ClassificationReport validate(Run& run) {
  const Clock::time_point began = Clock::now();
  const std::vector<float> probs = predict_probabilities(run.classifier, run.val_ids, run.config.eval_batch);
  if (run.budget) run.budget->record_eval(seconds_since(began));
  return score_predictions(run.data.val.labels, argmax_rows(probs, run.classifier.classes()), run.data.val.label_names);
}

void write_epochs_csv(const Run& run) {
  std::string csv = "epoch,train_loss,val_accuracy,val_macro_f1\n";
  for (const EpochResult& e : run.summary.epochs)
    csv += fmt::format("{},{:.6f},{:.6f},{:.6f}\n", e.epoch, e.train_loss, e.val_accuracy, e.val_macro_f1);
  write_file_atomically(fs::path(run.config.out_dir) / "epochs.csv", csv);
}

// Scores the epoch; keeps it when it beats every earlier one (accuracy, then macro-F1).
void end_epoch(Run& run, int epoch, double loss_sum, int64_t steps) {
  const ClassificationReport r = validate(run);
  EpochResult e{epoch, steps > 0 ? loss_sum / double(steps) : 0.0, r.accuracy, r.macro_f1, false,
                seconds_since(run.began)};
  ClassifyTrainSummary& s = run.summary;
  e.kept = s.best_epoch == 0 || r.accuracy > s.best_val_accuracy ||
           (r.accuracy == s.best_val_accuracy && r.macro_f1 > s.best_val_macro_f1);
  if (e.kept) {
    s.best_epoch = epoch, s.best_val_accuracy = r.accuracy, s.best_val_macro_f1 = r.macro_f1;
    ClassifierMeta meta{run.data.train.label_names, run.classifier.pooling(), run.data.context, to_json(run.config),
                        epoch, r.accuracy, r.macro_f1};
    ModelInfo info = read_model_info(run.data.source.model_dir);
    if (info.tokenizer.empty()) info.tokenizer = run.data.source.tokenizer;
    save_classifier(run.config.out_dir, run.classifier, meta, info);
  }
  s.epochs.push_back(e);
  write_epochs_csv(run);
  say(run, fmt::format("epoch {}: training loss {:.4f}, validation accuracy {:.2f}% (macro-F1 {:.4f}){}", epoch,
                       e.train_loss, 100 * e.val_accuracy, e.val_macro_f1,
                       e.kept ? ", the best so far: kept" : fmt::format(", epoch {} stays the best", s.best_epoch)));
  if (run.hooks.on_epoch) run.hooks.on_epoch(e);
}

void run_epochs(Run& run) {
  const size_t n = run.train_ids.size(), B = static_cast<size_t>(run.config.batch);
  const int64_t per_epoch = static_cast<int64_t>((n + B - 1) / B);
  for (int epoch = 1; epoch <= run.config.epochs && run.step < run.total_steps; ++epoch) {
    const std::vector<size_t> order = shuffled(n, run.rng);
    std::optional<ui::ProgressBar> bar;
    if (run.hooks.progress) bar.emplace(fmt::format("epoch {}/{}", epoch, run.config.epochs), double(per_epoch), "steps");
    double loss_sum = 0;
    int64_t steps = 0;
    for (size_t begin = 0; begin < n && run.step < run.total_steps; begin += B) {
      const float loss = train_step(run, order, begin, std::min(n, begin + B));
      ++run.step;
      run.texts += static_cast<int64_t>(std::min(n, begin + B) - begin);
      plan_steps(run);
      if (std::isfinite(loss)) loss_sum += loss, ++steps;
      if (bar) bar->update(double(begin / B + 1), {{"loss", steps > 0 ? loss_sum / double(steps) : 0.0}});
    }
    if (bar) bar->finish();
    end_epoch(run, epoch, loss_sum, steps);
  }
}

}  // namespace

ClassifyTrainSummary train_classifier(const ClassifyConfig& config, const ClassifyHooks& hooks) {
  Prepared data = prepare(config);
  GptConfig shape = data.source.model;
  shape.context_length = data.context;
  const bool lora = config.lora_rank > 0;
  Gpt gpt(shape, lora ? GptForm::frozen : GptForm::trainable);
  load_init_parameters(data.source, gpt);
  if (lora) {  // B = 0: the first forward is the base's; the adapters learn with the head
    auto adapters = std::make_unique<LoraAdapters>(shape, LoraConfig{config.lora_rank, config.lora_alpha},
                                                   lora_base_of(data.source.model_dir));
    Rng lora_rng(config.seed + 3);
    adapters->init(lora_rng);
    gpt.attach_lora(std::move(adapters));
  }
  Classifier classifier(std::move(gpt), static_cast<int>(data.train.label_names.size()),
                        pooling_from_name(config.pooling));
  Rng rng(config.seed);
  classifier.init_head(rng);
  TrainableSet trainable(trainable_tensors(classifier, config.unfreeze));
  AdamW optimizer(trainable.values(), config.adamw);
  Run run{config, hooks, data, {}, {}, class_weights(data.train.class_counts(), config.balance), std::move(classifier),
          std::move(trainable), std::move(optimizer), lora ? 0 : first_trained_layer(shape, config.unfreeze),
          std::move(rng)};
  run.train_ids = encode_texts(data.tokenizer, data.train.texts, data.context);
  run.val_ids = encode_texts(data.tokenizer, data.val.texts, data.context);
  const int64_t per_epoch = (static_cast<int64_t>(run.train_ids.size()) + config.batch - 1) / config.batch;
  run.total_steps = run.all_steps = int64_t{config.epochs} * per_epoch;
  run.schedule = LrSchedule{config.lr, config.lr / 10, std::min<int64_t>(config.warmup, run.total_steps / 10),
                            run.total_steps};
  // The budget sets time aside for the last validation, counted in forwards of a training batch (StepBudget
  // prices one at a third of a step): an estimate of 1.2 per `batch` validation texts, until the first
  // validation is timed and replaces it.
  if (config.minutes > 0)
    run.budget.emplace(config.minutes * 60.0, static_cast<int>(1.2 * double(run.val_ids.size()) / config.batch) + 1);
  run.summary.trainable_parameters = run.trainable.count();
  run.summary.total_parameters = gpt_parameter_count(shape) + static_cast<int64_t>(run.classifier.head().size());
  say(run, fmt::format("Classifying {} training texts ({} labels: {}) with {} pooling, the first {} tokens of each; "
                       "training the head{} ({} of {} parameters).", run.train_ids.size(), data.train.label_names.size(),
                       fmt::format("{}", fmt::join(data.train.label_names, ", ")), config.pooling, data.context,
                       lora ? fmt::format(" and rank-{} LoRA adapters on every block", config.lora_rank)
                       : config.unfreeze == 0 ? std::string(" alone")
                       : config.unfreeze >= shape.n_layer ? fmt::format(", ln_f and all {} blocks", shape.n_layer)
                                                          : fmt::format(", ln_f and the top {} block{}", config.unfreeze,
                                                                        config.unfreeze == 1 ? "" : "s"),
                       run.summary.trainable_parameters, run.summary.total_parameters));
  fs::create_directories(config.out_dir);
  run_epochs(run);
  ClassifyTrainSummary& s = run.summary;
  s.steps = run.step;
  s.seconds = seconds_since(run.began);
  s.texts_per_second = s.seconds > 0 ? double(run.texts) / s.seconds : 0;
  s.out_dir = config.out_dir;
  return s;
}

}  // namespace minillm
