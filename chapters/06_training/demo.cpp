// Chapter 06 demo, the whole pipeline of `./run demo`: train a tokenizer on Moby Dick, train a small GPT-2
// on it for a few minutes, then look at what it learned: the loss curve, a sample of text, and the
// neighbourhoods of a few token embeddings (chapter 02's idea, now learned by the GPT itself).
//
//   ch06_demo [--minutes 5] [--steps N] [--out DIR (default data/out/ch06)] [--smoke]
// --smoke: a tiny model for a few steps on the project's own texts (no downloads), for the tests.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "embed/pca.hpp"
#include "embed/word_map.hpp"
#include "embed/word_vectors.hpp"
#include "gpt/gpt.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/train_bpe.hpp"
#include "gpt/model_files.hpp"
#include "gpt/sampling.hpp"
#include "train/console.hpp"
#include "train/trainer.hpp"
#include "ui/usage.hpp"

namespace fs = std::filesystem;
using namespace minillm;

namespace {

struct Options {
  double minutes = 5.0;
  int64_t steps = 0;
  std::string out = (output_dir() / "ch06").string();  // data/out/ch06 of the source tree
  bool smoke = false;
};

Options parse(int argc, char** argv) {
  Options o;
  minillm::ui::DemoOptions()
      .number("--minutes", o.minutes, 1e-3, 1e6, "a positive number of minutes, e.g. 5")
      .number("--steps", o.steps, 1, int64_t{1} << 40, "a positive number of steps, e.g. 1000")
      .value("--out", o.out, "DIR")
      .flag("--smoke", o.smoke)
      .parse(argc, argv);
  return o;
}

// Moby Dick if `./run fetch` got it; otherwise the project's own texts, put together into one file.
std::string pick_corpus(const Options& o) {
  const fs::path root = MINILLM_SOURCE_DIR;
  const fs::path moby = data_dir() / "cache" / "moby_dick.txt";
  if (!o.smoke && fs::exists(moby)) {
    fmt::print("The text: Moby Dick ({:.1f} MB), fetched by ./run fetch.\n", double(fs::file_size(moby)) / 1e6);
    return moby.string();
  }
  if (!o.smoke) fmt::print("Moby Dick is not in data/cache (run ./run fetch): using the project's own small texts.\n");
  std::string all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root / "data/text"))
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) all += read_file(f) + "\n";
  const fs::path out = fs::path(o.out) / "own_texts.txt";
  write_file_atomically(out, all);
  fmt::print("The text: the project's own texts in data/text ({} bytes).\n", all.size());
  return out.string();
}

// The training loss curve in the terminal: one column per slice of steps, a '*' at its mean loss. loss.png
// adds the validation losses; loss.csv has every number for any plotting tool.
// A sample on one console line: newlines and tabs shown as spaces.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  return text;
}

void print_loss_curve(const std::vector<float>& losses, const fs::path& csv) {
  if (losses.size() < 2) return;
  const int width = 60, height = 12;
  const int cols = std::min<int>(width, static_cast<int>(losses.size()));
  std::vector<double> mean(static_cast<size_t>(cols), 0.0);
  for (int c = 0; c < cols; ++c) {
    const size_t begin = losses.size() * c / cols, end = losses.size() * (c + 1) / cols;
    for (size_t i = begin; i < end; ++i) mean[c] += losses[i];
    mean[c] /= double(end - begin);
  }
  const double hi = *std::max_element(mean.begin(), mean.end()), lo = *std::min_element(mean.begin(), mean.end());
  fmt::print("\nTraining loss over the run (each column is the mean of {} steps):\n", losses.size() / cols);
  for (int r = 0; r < height; ++r) {
    const double level = hi - (hi - lo) * r / (height - 1);
    std::string line;
    for (int c = 0; c < cols; ++c) line += std::abs(mean[c] - level) <= (hi - lo) / (2.0 * (height - 1)) + 1e-9 ? '*' : ' ';
    fmt::print("{:7.3f} |{}\n", level, line);
  }
  fmt::print("        +{}\n         step 1{:>{}}\n", std::string(cols, '-'), losses.size(), cols - 6);
  fmt::print("The same curves as a picture (training and validation): {}\n",
             (csv.parent_path() / "loss.png").string());
  fmt::print("Every step's training loss and every validation loss as numbers: {}\n", csv.string());
}

std::string shown(const Tokenizer& t, TokenId id) {
  std::string s = t.decode(std::vector<TokenId>{id});
  for (char& c : s)
    if (c == '\n') c = '/';
  return "'" + s + "'";
}

// Nearest neighbours (cosine similarity of wte rows) of a few words that are single tokens.
std::vector<TokenId> show_neighbours(const Gpt& model, const Tokenizer& t) {
  const float* wte = model.params()["wte"].data;
  const int C = model.config().n_embd, V = model.config().vocab_size;
  const auto row = [&](int v) { return std::span<const float>(wte + size_t(v) * C, size_t(C)); };
  std::vector<TokenId> picked;
  for (const char* word : {" whale", " sea", " ship", " captain", " boat", " man", " he", " she", " the", " and",
                           " water", " white", " said", " was", " one", " two", " light", " house", " keeper",
                           " of", " to", " in", " a", " it", " is"}) {  // the last ones for tiny vocabularies
    const TokenIds ids = t.encode_ordinary(word);
    if (ids.size() == 1) picked.push_back(ids[0]);
    if (picked.size() == 8) break;
  }
  fmt::print("\nThe GPT's own token embeddings (rows of wte, learned only to predict the next token).\n"
             "Nearest neighbours by cosine similarity, as in chapter 02:\n");
  for (TokenId id : picked) {
    std::vector<std::pair<double, int>> sims;
    for (int v = 0; v < V; ++v)
      if (v != to_int(id)) sims.push_back({embed::cosine_similarity(row(to_int(id)), row(v)), v});
    std::partial_sort(sims.begin(), sims.begin() + 5, sims.end(), std::greater<>());
    std::string line;
    for (int i = 0; i < 5; ++i) line += fmt::format("{} {:.2f}  ", shown(t, token_id(sims[i].second)), sims[i].first);
    fmt::print("  {:<12} -> {}\n", shown(t, id), line);
  }
  return picked;
}

// The picked embeddings projected on their two main directions of variation (chapter 02's PCA), in the
// terminal and as a PNG (`png`, chapter 02's word map).
void show_2d_map(const Gpt& model, const Tokenizer& t, const std::vector<TokenId>& ids, const fs::path& png) {
  if (ids.size() < 3) return;
  const float* wte = model.params()["wte"].data;
  const int C = model.config().n_embd, K = static_cast<int>(ids.size());
  std::vector<float> rows;  // [K, C]: the picked rows of wte
  for (TokenId id : ids) rows.insert(rows.end(), wte + size_t(to_int(id)) * C, wte + size_t(to_int(id) + 1) * C);
  Rng rng(6);
  const embed::PcaResult pca = embed::pca(rows.data(), K, C, 2, rng);
  const auto x = [&](int k) { return pca.projected[size_t(k) * 2]; };
  const auto y = [&](int k) { return pca.projected[size_t(k) * 2 + 1]; };

  const int W = 64, H = 16;
  std::vector<std::string> grid(H, std::string(W, ' '));
  float xmin = x(0), xmax = x(0), ymin = y(0), ymax = y(0);
  for (int k = 1; k < K; ++k)
    xmin = std::min(xmin, x(k)), xmax = std::max(xmax, x(k)), ymin = std::min(ymin, y(k)), ymax = std::max(ymax, y(k));
  for (int k = 0; k < K; ++k) {
    const int col = static_cast<int>((x(k) - xmin) / (xmax - xmin + 1e-30f) * (W - 12));
    const int row = static_cast<int>((ymax - y(k)) / (ymax - ymin + 1e-30f) * (H - 1));
    const std::string label = shown(t, ids[k]);
    for (size_t i = 0; i < label.size() && col + int(i) < W; ++i) grid[row][col + i] = label[i];
  }
  fmt::print("\nThe same tokens on a 2D map (their two main directions of variation, PCA):\n");
  for (const auto& line : grid) fmt::print("  |{}\n", line);
  fmt::print("  +{}\n", std::string(W, '-'));

  std::vector<embed::MapPoint> points;
  for (int k = 0; k < K; ++k) {
    std::string word = t.decode(std::vector<TokenId>{ids[k]});  // " whale": the picture needs no quotes
    word.erase(0, word.find_first_not_of(' '));
    points.push_back({x(k), y(k), word, 0});
  }
  embed::save_word_map_png(png, points, "The GPT's token embeddings (rows of wte), PCA", 900, 600);
  fmt::print("The same map as a picture: {}\n", png.string());
}

int run(const Options& o) {
  fs::create_directories(o.out);
  fmt::print("Chapter 06: training a GPT from scratch{}.\n\n", o.smoke ? " (smoke test: tiny sizes)" : "");
  fmt::print("Step 1/4: the text and its tokenizer.\n");
  const std::string corpus = pick_corpus(o);
  BpeTrainOptions tok_options;
  tok_options.vocab_size = o.smoke ? 320 : 4096;
  const std::string text = read_file(corpus);
  const BpeTrainResult tok = train_bpe(text, tok_options);
  const fs::path tok_file = fs::path(o.out) / "tokenizer.bpe";
  tok.tokenizer.save(tok_file);
  fmt::print("Trained a BPE tokenizer of {} tokens (chapter 01): {:.2f} bytes per token. Saved to {}.\n\n",
             tok.tokenizer.vocab_size(), double(text.size()) / double(tok.tokenizer.encode_ordinary(text).size()),
             tok_file.string());

  TrainConfig config;
  config.corpus = corpus;
  config.tokenizer = tok_file.string();
  config.out_dir = (fs::path(o.out) / "run").string();
  config.cache_dir = (data_dir() / "cache" / "tokens").string();
  if (o.smoke) {
    config.model = GptConfig{.vocab_size = 0, .context_length = 32, .n_layer = 2, .n_head = 2, .n_embd = 32};
    config.batch = 4;
    config.steps = 30;
    config.lr = 3e-3f;
    config.warmup = 5;
    config.eval_every = 10;
    config.eval_batches = 2;
    config.cache_dir = "";
  } else {
    config.model = GptConfig{};  // the default: 4 layers, 4 heads, 256 wide, context 128
    config.batch = 16;
    config.steps = o.steps;
    config.minutes = o.minutes;
    config.lr = 1e-3f;
    config.min_lr = 1e-4f;
    config.warmup = 30;
    config.eval_every = 50;
  }
  config.model.vocab_size = tok.tokenizer.vocab_size();
  fmt::print("Step 2/4: the model. GPT-2's architecture: {} blocks, {} heads, width {}, context {} tokens.\n",
             config.model.n_layer, config.model.n_head, config.model.n_embd, config.model.context_length);
  fmt::print("{:.2f} M parameters; one training step costs about {:.1f} MFLOPs per token (6N + 12LCT).\n\n",
             double(gpt_parameter_count(config.model)) / 1e6,
             gpt_training_flops_per_token(config.model, config.model.context_length) / 1e6);
  fmt::print("Step 3/4: training {} sequences of {} tokens per step, {}. Ctrl-C stops early and keeps the "
             "model.\n", config.batch, config.model.context_length,
             config.steps > 0 ? fmt::format("for {} steps", config.steps)
                              : fmt::format("for {} minute{}", config.minutes, config.minutes == 1 ? "" : "s"));
  fmt::print("Watch the loss fall from about ln(vocabulary) = {:.2f} (uniform guessing).\n",
             std::log(double(config.model.vocab_size)));
  TrainHooks hooks = console_hooks(false);
  hooks.sample_tokens = o.smoke ? 30 : GenerationSettings{}.tokens;
  hooks.eval_sample_tokens = o.smoke ? 8 : 24;  // a line of text at every validation, drawn on loss.png
  const TrainSummary s = train(config, hooks);
  fmt::print("\nTrained {} steps on {} tokens at {:.0f} tokens/s. Final validation loss {:.3f} = {:.3f} bits "
             "per byte.\n", s.steps, s.tokens, s.tokens_per_second, s.val_loss, s.val_bits_per_byte);

  fmt::print("\nStep 4/4: what the model learned.\n");
  print_loss_curve(s.step_losses, fs::path(config.out_dir) / "loss.csv");
  fmt::print("\nWhat the model wrote at each validation, from the same prompt and the same random numbers (so the\n"
             "text changes only because the model did); loss.png shows three of them on the curve:\n");
  for (const StepSample& sample : s.eval_samples)
    fmt::print("  step {:>4}: {}\n", sample.step, one_line(sample.text));
  fmt::print("\nA sample of {} tokens from the model (temperature {}, top-k {}, top-p {}):\n---\n{}\n---\n",
             hooks.sample_tokens, kPreviewSampling.temperature, kPreviewSampling.top_k, kPreviewSampling.top_p,
             s.sample);
  const Gpt model = load_model(config.out_dir, GptForm::inference_only);
  const std::vector<TokenId> picked = show_neighbours(model, tok.tokenizer);
  show_2d_map(model, tok.tokenizer, picked, fs::path(o.out) / "token_map.png");
  fmt::print("\nThe checkpoint is in {}: try\n  build/minillm generate --checkpoint {} --prompt \"Call me\"\n",
             config.out_dir, config.out_dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch06_demo [--minutes M] [--steps N] [--out DIR] [--smoke]
  (no option)   train a tokenizer and a small GPT on Moby Dick (after ./run fetch) for 5 minutes, then
                show the loss curve, a sample and the learned token embeddings
  --minutes M   another time budget
  --steps N     a number of steps instead
  --out DIR     where the model, loss.png and token_map.png go (default data/out/ch06)
  --smoke       a tiny model for a few steps on the project's own texts (used by the tests)
)", [&] {
    return run(parse(argc, argv));
  });
}
