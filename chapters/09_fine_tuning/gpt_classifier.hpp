#pragma once
// The GPT half of chapter 09's demo: pretrain chapter 06's GPT on the training split's emails (or start from a
// Hugging Face GPT-2 folder), fine-tune it as a classifier (`minillm classify train`'s library call), and
// score it on the test split (`classify eval`'s). Each phase has its own time budget.
#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/core.h>

#include "classify/classifier_files.hpp"
#include "classify/classify_train.hpp"
#include "classify/labelled_text.hpp"
#include "classify/metrics.hpp"
#include "classify/scoring.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/train_bpe.hpp"
#include "train/console.hpp"
#include "train/trainer.hpp"

namespace minillm::demo {

// The training split's texts, one email a paragraph, as the text a language model learns from.
inline std::filesystem::path write_email_corpus(const std::filesystem::path& train_tsv,
                                                const std::filesystem::path& out_dir) {
  const LabelledText train = read_labelled_text(train_tsv);
  std::string text;
  for (const std::string& t : train.texts) text += t + "\n\n";
  const std::filesystem::path file = out_dir / "train_emails.txt";
  write_file_atomically(file, text);
  fmt::print("  {} training emails ({:.1f} MB of text) written to {}; their labels are not used here\n",
             train.texts.size(), double(text.size()) / 1e6, file.string());
  return file;
}

// A BPE tokenizer learned on (the first 1.5 MB of) the emails, then chapter 06's GPT trained on them for
// `minutes`. Returns the run folder.
inline std::string pretrain_on_emails(const std::filesystem::path& corpus, const std::filesystem::path& out_dir,
                                      double minutes, bool smoke) {
  const auto began = std::chrono::steady_clock::now();
  const std::string text = read_file(corpus);
  BpeTrainOptions tok_options;
  tok_options.vocab_size = smoke ? 300 : 4096;
  const BpeTrainResult tok = train_bpe(std::string_view(text).substr(0, smoke ? text.size() : 1'500'000), tok_options);
  const std::filesystem::path tok_file = out_dir / "emails.bpe";
  tok.tokenizer.save(tok_file);
  fmt::print("  a {}-token BPE tokenizer learned on the emails in {:.0f} s\n", tok.tokenizer.vocab_size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  TrainConfig config;
  config.corpus = corpus.string();
  config.tokenizer = tok_file.string();
  config.out_dir = (out_dir / "pretrain").string();
  config.cache_dir = "";
  if (smoke) {
    config.model = GptConfig{.vocab_size = 0, .context_length = 32, .n_layer = 2, .n_head = 2, .n_embd = 32};
    config.batch = 4, config.steps = 8, config.eval_every = 4, config.eval_batches = 2;
  } else {
    config.minutes = minutes;  // chapter 06's shape (gpt/gpt.hpp's defaults) and batch
  }
  config.model.vocab_size = tok.tokenizer.vocab_size();
  config.resume = false;
  TrainHooks hooks = console_hooks(false);
  hooks.sample_tokens = 0;
  const TrainSummary s = train(config, hooks);
  fmt::print("  pretrained {} steps ({} tokens) in {:.0f} s: validation loss {:.3f}, {:.3f} bits per byte\n", s.steps,
             s.tokens, s.seconds, s.val_loss, s.val_bits_per_byte);
  return config.out_dir;
}

// Fine-tunes a classifier from `base` into `out` and returns what training said.
inline ClassifyTrainSummary fine_tune(const std::string& base, const std::filesystem::path& train,
                                      const std::filesystem::path& val, const std::filesystem::path& out,
                                      ClassifyConfig config) {
  config.input = train.string();
  config.val = val.string();
  config.init_from = base;
  config.out_dir = out.string();
  ClassifyHooks hooks;
  hooks.say = [](const std::string& s) { fmt::print("  {}\n", s); };
  return train_classifier(config, hooks);
}

// The classifier in `dir` scored on the test split, its confusion matrix drawn as `png`.
inline ClassificationReport score_on_test(const std::filesystem::path& dir, const std::filesystem::path& test,
                                          const std::filesystem::path& png) {
  LoadedClassifier loaded = load_classifier(dir);
  const LabelledText rows = read_labelled_text(test, loaded.meta.labels);
  const std::vector<float> probs = predict_probabilities(
      *loaded.classifier, encode_texts(loaded.tokenizer, rows.texts, loaded.meta.context), 32);
  const ClassificationReport r = score_predictions(rows.labels, argmax_rows(probs, loaded.classifier->classes()), loaded.meta.labels);
  save_confusion_png(png, r, fmt::format("GPT classifier on the test split: accuracy {:.2f}%", 100 * r.accuracy));
  return r;
}

}  // namespace minillm::demo
