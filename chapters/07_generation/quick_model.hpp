#pragma once
// What chapters 07 and 10's demos use when there is no chapter 06 model yet: the text to train on, and a
// small GPT trained on it for a minute (a few steps with --smoke). Its widths are multiples of 32, so
// chapter 10 can quantize it to Q8_0.
#include <filesystem>
#include <string>

#include <fmt/core.h>

#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/train_bpe.hpp"
#include "train/trainer.hpp"

namespace minillm::demo {

// Moby Dick if ./run fetch got it (and this is not a smoke run), else the project's own texts, joined into
// out_dir/own_texts.txt.
inline std::filesystem::path demo_corpus(const std::filesystem::path& out_dir, bool smoke) {
  namespace fs = std::filesystem;
  const fs::path moby = data_dir() / "cache" / "moby_dick.txt";
  if (!smoke && fs::exists(moby)) return moby;
  std::string all;
  for (const auto& entry : fs::directory_iterator(fs::path(MINILLM_SOURCE_DIR) / "data/text"))
    if (entry.path().extension() == ".txt") all += read_file(entry.path()) + "\n";
  const fs::path file = out_dir / "own_texts.txt";
  write_file_atomically(file, all);
  return file;
}

// Trains a tokenizer and a 2-layer GPT on `text` into out_dir/quick_run and returns that folder. `missing`
// is the chapter 06 folder that was not there, for the sentence that says why.
inline std::string train_quick_model(const std::string& missing, const std::filesystem::path& text,
                                     const std::filesystem::path& out_dir, bool smoke) {
  fmt::print("There is no chapter 06 model in {} (./run demo 06 trains one). Training a quick one on {}.\n",
             missing, text.string());
  BpeTrainOptions tok_options;
  tok_options.vocab_size = smoke ? 300 : 1024;
  const BpeTrainResult tok = train_bpe(read_file(text), tok_options);
  const std::filesystem::path tok_file = out_dir / "tokenizer.bpe";
  tok.tokenizer.save(tok_file);
  TrainConfig config;
  config.corpus = text.string();
  config.tokenizer = tok_file.string();
  config.out_dir = (out_dir / "quick_run").string();
  config.cache_dir = "";
  config.model.n_layer = 2, config.model.n_head = 2, config.model.n_embd = smoke ? 32 : 128;
  config.model.context_length = smoke ? 32 : 128;
  config.batch = smoke ? 4 : 16;
  config.steps = smoke ? 5 : 0;
  config.minutes = 1.0;
  config.resume = false;
  const TrainSummary s = train(config, TrainHooks{});
  fmt::print("Trained {} steps; validation loss {:.3f}.\n\n", s.steps, s.val_loss);
  return config.out_dir;
}

}  // namespace minillm::demo
