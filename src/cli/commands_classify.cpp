// `minillm classify train|eval|predict`: a GPT fine-tuned to label texts (chapter 09).
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "classify/classifier_files.hpp"
#include "classify/classify_train.hpp"
#include "classify/labelled_text.hpp"
#include "classify/metrics.hpp"
#include "classify/scoring.hpp"
#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "core/error.hpp"
#include "ui/progress.hpp"

namespace minillm::cli {

namespace {

namespace fs = std::filesystem;

template <class Settings>
struct Flags {
  std::shared_ptr<ConfigFlags<Settings>> settings = std::make_shared<ConfigFlags<Settings>>();
  bool json = false;
  std::string text;  // predict's TEXT or "-"

  Settings resolve() const {
    Settings s;
    settings->apply(s);
    return s;
  }
};

template <class Settings>
std::shared_ptr<Flags<Settings>> add_flags(CLI::App& cmd) {
  auto flags = std::make_shared<Flags<Settings>>();
  add_config_flags<Settings, Settings>(cmd, flags->settings, [](Settings& s) -> Settings& { return s; });
  return flags;
}

void run_train(const Flags<ClassifyConfig>& flags) {
  ClassifyConfig config = flags.resolve();
  // LoRA freezes the whole GPT: --unfreeze's default gives way to it, a --unfreeze given is refused.
  if (config.lora_rank > 0 && !flags.settings->given.contains("--unfreeze")) config.unfreeze = 0;
  ClassifyHooks hooks;
  hooks.progress = !flags.json;
  hooks.say = [quiet = flags.json](const std::string& text) {
    if (!quiet) fmt::print(stderr, "{}\n", text);
  };
  const ClassifyTrainSummary s = train_classifier(config, hooks);
  if (flags.json) {
    nlohmann::json epochs = nlohmann::json::array();
    for (const EpochResult& e : s.epochs)
      epochs.push_back({{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"val_accuracy", e.val_accuracy},
                        {"val_macro_f1", e.val_macro_f1}, {"kept", e.kept}});
    fmt::print("{}\n", nlohmann::json{{"best_epoch", s.best_epoch}, {"val_accuracy", s.best_val_accuracy},
                                      {"val_macro_f1", s.best_val_macro_f1}, {"steps", s.steps},
                                      {"trainable_parameters", s.trainable_parameters},
                                      {"total_parameters", s.total_parameters}, {"seconds", s.seconds},
                                      {"texts_per_second", s.texts_per_second}, {"epochs", epochs}}.dump());
    return;
  }
  fmt::print("trained {} steps in {:.0f} s ({:.1f} texts/s); kept epoch {}: validation accuracy {:.2f}%, macro-F1 "
             "{:.4f}\nclassifier in {} (classify eval --checkpoint {} --input TEST.tsv)\n", s.steps, s.seconds,
             s.texts_per_second, s.best_epoch, 100 * s.best_val_accuracy, s.best_val_macro_f1, s.out_dir, s.out_dir);
}

void run_eval(const Flags<ClassifyEvalSettings>& flags) {
  const ClassifyEvalSettings c = flags.resolve();
  require(!c.checkpoint.empty(), "no classifier: give the folder classify train wrote (--checkpoint)");
  require(!c.input.empty(), "no texts to score: give a TSV file of label<TAB>text lines (--input)");
  LoadedClassifier loaded = load_classifier(c.checkpoint);
  const LabelledText test = read_labelled_text(c.input, loaded.meta.labels);
  const std::vector<TokenIds> ids = encode_texts(loaded.tokenizer, test.texts, loaded.meta.context);
  std::vector<float> probs;
  {
    std::optional<ui::ProgressBar> bar;
    if (!flags.json) bar.emplace("scoring", double(ids.size()), "texts");
    probs = predict_probabilities(*loaded.classifier, ids, c.batch, bar ? &*bar : nullptr);
  }
  const ClassificationReport report =
      score_predictions(test.labels, argmax_rows(probs, loaded.classifier->classes()), loaded.meta.labels);
  const fs::path png = c.png.empty() ? fs::path(c.checkpoint) / "confusion.png" : fs::path(c.png);
  save_confusion_png(png, report, fmt::format("{}: accuracy {:.2f}%, macro-F1 {:.4f}", fs::path(c.input).filename().string(),
                                              100 * report.accuracy, report.macro_f1));
  if (flags.json) {
    fmt::print("{}\n", report_json(report).dump());
    return;
  }
  fmt::print("{}confusion matrix drawn in {}\n", format_report(report), png.string());
}

void run_predict(const Flags<ClassifyPredictSettings>& flags) {
  const ClassifyPredictSettings c = flags.resolve();
  require(!c.checkpoint.empty(), "no classifier: give the folder classify train wrote (--checkpoint)");
  std::string text = flags.text;
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  require(text.find_first_not_of(" \t\r\n") != std::string::npos,
          "the text to classify is empty: give it as an argument, or '-' to read it from standard input");
  LoadedClassifier loaded = load_classifier(c.checkpoint);
  const std::vector<float> probs =
      predict_probabilities(*loaded.classifier, {first_tokens(loaded.tokenizer, text, loaded.meta.context)}, 1);
  const int best = argmax_rows(probs, loaded.classifier->classes())[0];
  nlohmann::json p = nlohmann::json::object();
  std::string shown;
  for (size_t k = 0; k < loaded.meta.labels.size(); ++k) {
    p[loaded.meta.labels[k]] = probs[k];
    shown += fmt::format("{}{} {:.4f}", k == 0 ? "" : ", ", loaded.meta.labels[k], probs[k]);
  }
  if (flags.json) fmt::print("{}\n", nlohmann::json{{"label", loaded.meta.labels[best]}, {"probabilities", p}}.dump());
  else fmt::print("{}  ({})\n", loaded.meta.labels[best], shown);
}

}  // namespace

static CommandRegistrar reg(36, [](CLI::App& app) {
  auto* classify = app.add_subcommand("classify", "Fine-tune a GPT to label texts, and use it (chapter 09)");
  classify->require_subcommand(1);

  auto* train = classify->add_subcommand("train", "Put a classification head on a GPT and fine-tune it on label<TAB>text lines");
  auto train_flags = add_flags<ClassifyConfig>(*train);
  train->add_flag("--json", train_flags->json, "print one JSON summary line instead of progress");
  train->callback([train_flags] { run_train(*train_flags); });

  auto* eval = classify->add_subcommand("eval", "Score a classifier on labelled texts: accuracy, macro-F1, per class, confusion");
  auto eval_flags = add_flags<ClassifyEvalSettings>(*eval);
  eval->add_flag("--json", eval_flags->json, "print the scores as one JSON line (accuracy, macro_f1, per_class, confusion)");
  eval->callback([eval_flags] { run_eval(*eval_flags); });

  auto* predict = classify->add_subcommand("predict", "Label one text and show the class probabilities");
  auto predict_flags = add_flags<ClassifyPredictSettings>(*predict);
  predict->add_option("text", predict_flags->text, "the text, or '-' to read it from standard input")->required();
  predict->add_flag("--json", predict_flags->json, "print {\"label\", \"probabilities\"} as one JSON line");
  predict->callback([predict_flags] { run_predict(*predict_flags); });
});

}  // namespace minillm::cli
