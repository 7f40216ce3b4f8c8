// Chapter 07 demo: generation from the chapter 06 model. It loads the model `./run demo` trained
// (data/out/ch06/run; if there is none, it trains a quick one first), then
//   1. shows one next-token distribution under temperatures 0.5, 1 and 1.5 and where top-k and top-p cut
//      it, in the terminal and as next_token.png;
//   2. generates from the prompt greedily and with sampling, printing each token as it is made;
//   3. times decoding with the KV cache against re-running the whole window for every token.
//
//   ch07_demo [--checkpoint RUN] [--prompt TEXT] [--out DIR (default data/out/ch07)] [--smoke]
// --smoke: a tiny model trained for a few steps on the project's own texts (no downloads), for the tests.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "tokenizer/train_bpe.hpp"
#include "tokenizer/utf8.hpp"
#include "tokenizer/utf8_stream.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"
#include "ui/usage.hpp"
#include "quick_model.hpp"

namespace fs = std::filesystem;
using namespace minillm;

namespace {

constexpr int kTopK = kPreviewSampling.top_k;    // 40, the library's preview settings (gpt/sampling.hpp)
constexpr float kTopP = kPreviewSampling.top_p;  // 0.95
constexpr float kTemperatures[] = {0.5f, 1.0f, 1.5f};

struct Options {
  std::string checkpoint = (output_dir() / "ch06" / "run").string();
  std::string prompt = "Call me";
  std::string out = (output_dir() / "ch07").string();
  bool smoke = false;
};

Options parse(int argc, char** argv) {
  Options o;
  minillm::ui::DemoOptions()
      .value("--checkpoint", o.checkpoint, "RUN")
      .value("--prompt", o.prompt, "TEXT")
      .value("--out", o.out, "DIR")
      .flag("--smoke", o.smoke)
      .parse(argc, argv);
  return o;
}

// A token for the terminal: its text in quotes, or its bytes (<0xE2>) when it is part of a character.
std::string shown(const Tokenizer& t, TokenId id) {
  const std::string bytes = t.decode_bytes(std::vector<TokenId>{id});
  if (to_valid_utf8(bytes) != bytes) {
    std::string hex;
    for (unsigned char b : bytes) hex += fmt::format("<0x{:02X}>", b);
    return hex;
  }
  std::string s = bytes;
  for (char& c : s)
    if (c == '\n') c = '/';
  return "'" + s + "'";
}

std::vector<double> softmax_at(std::span<const float> logits, float temperature) {
  const float top = *std::max_element(logits.begin(), logits.end());
  std::vector<double> p(logits.size());
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp((logits[i] - top) / temperature);
  for (double& x : p) x /= sum;
  return p;
}

// How many of the likeliest tokens top-p keeps (p sorted from most to least likely).
int nucleus_size(const std::vector<double>& sorted, float top_p) {
  double mass = 0;
  int n = 0;
  while (n < static_cast<int>(sorted.size()) && mass < top_p) mass += sorted[static_cast<size_t>(n++)];
  return std::max(n, 1);
}

// Step 1: one next-token distribution, three temperatures, the cut-offs; printed and drawn.
void show_distribution(std::span<const float> logits, const Tokenizer& t, const std::string& prompt,
                       const fs::path& png) {
  std::vector<int> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  const int shown_ranks = std::min<int>(60, static_cast<int>(order.size()));
  plot::LineChartSpec spec;
  spec.title = fmt::format("Next token after \"{}\": probability by rank", prompt);
  spec.x_label = "rank of the token (1 = likeliest)";
  spec.y_label = "probability (log scale)";
  spec.log_y = true;
  std::vector<int> nucleus;
  fmt::print("{:<14}", "token");
  for (float T : kTemperatures) fmt::print("  T={:<4}", T);
  fmt::print("\n");
  std::vector<std::vector<double>> sorted_probs;
  for (float T : kTemperatures) {
    const std::vector<double> p = softmax_at(logits, T);
    std::vector<double> sorted;
    for (int id : order) sorted.push_back(p[static_cast<size_t>(id)]);
    nucleus.push_back(nucleus_size(sorted, kTopP));
    plot::Series series{fmt::format("temperature {}", T), {}, {}, std::nullopt, 2.5, true};
    for (int r = 0; r < shown_ranks; ++r) {
      series.x.push_back(r + 1);
      series.y.push_back(std::max(sorted[static_cast<size_t>(r)], 1e-12));
    }
    spec.series.push_back(series);
    sorted_probs.push_back(sorted);
  }
  for (int r = 0; r < 8; ++r) {
    fmt::print("{:<14}", shown(t, token_id(order[static_cast<size_t>(r)])));
    for (const auto& sorted : sorted_probs) fmt::print("  {:6.3f}", sorted[static_cast<size_t>(r)]);
    fmt::print("\n");
  }
  fmt::print("Top-k {} keeps the {} likeliest tokens at every temperature. Top-p {} keeps", kTopK, kTopK, kTopP);
  for (size_t i = 0; i < nucleus.size(); ++i)
    fmt::print("{} {} at T={}", i == 0 ? "" : ",", nucleus[i], kTemperatures[i]);
  fmt::print(": a hotter distribution spreads its mass, so the nucleus grows.\n");

  plot::Canvas canvas = plot::render_line_chart(spec);
  const plot::PlotArea area = plot::line_chart_layout(spec);
  const auto mark = [&](double rank, plot::Rgb color, const std::string& label, int row) {
    const bool off_chart = rank >= shown_ranks;  // drawn at the right edge, its rank in the label
    const double x = area.to_px_x(off_chart ? shown_ranks : rank + 0.5);
    canvas.line(x, area.top, x, area.bottom, color, 2.0);
    const std::string text = off_chart ? fmt::format("{}: rank {} >", label, rank) : label;
    const int left = off_chart ? static_cast<int>(x) - plot::text_width(text, 2) - 4 : static_cast<int>(x) + 4;
    canvas.text(left, area.top + 4 + 20 * row, text, color, 2);
  };
  mark(kTopK, plot::kBlack, fmt::format("top-k {}", kTopK), 0);
  for (size_t i = 0; i < nucleus.size(); ++i)
    mark(nucleus[i], plot::palette_color(i), fmt::format("top-p {} at T={}", kTopP, kTemperatures[i]),
         static_cast<int>(i) + 1);
  canvas.save_png(png);
  fmt::print("The distributions and the cut-offs as a picture: {}\n", png.string());
}

// Step 2: generation, each token printed as soon as it is sampled (whole UTF-8 characters only).
void stream(const Gpt& model, const Tokenizer& t, const TokenIds& prompt, const SamplingOptions& sampling,
            int tokens, const std::string& label) {
  fmt::print("\n{}:\n---\n", label);
  Utf8Stream screen;
  fmt::print("{}", screen.push(t.decode_bytes(prompt)));
  Rng rng(GenerationSettings{}.seed);
  GenerateOptions options{tokens, sampling, t.special("<|endoftext|>")};
  const Generation g = generate(model, prompt, options, rng, [&](TokenId id) {
    fmt::print("{}", screen.push(t.decode_bytes(std::vector<TokenId>{id})));
    std::fflush(stdout);
  });
  fmt::print("{}\n---\n({} tokens{})\n", screen.flush(), g.ids.size(), g.stopped ? ", stopped at <|endoftext|>" : "");
}

int run(const Options& o) {
  fs::create_directories(o.out);
  fmt::print("Chapter 07: generating text, one token at a time{}.\n\n", o.smoke ? " (smoke test: tiny sizes)" : "");
  const std::string run_dir =
      !o.smoke && has_checkpoint(o.checkpoint)
          ? o.checkpoint
          : demo::train_quick_model(o.checkpoint, demo::demo_corpus(o.out, o.smoke), o.out, o.smoke);
  LoadedCheckpoint ckpt = load_checkpoint(run_dir);
  const Tokenizer t = Tokenizer::open(ckpt.state["tokenizer"].get<std::string>());
  const Gpt& model = *ckpt.model;
  fmt::print("The model: {} layers, {} heads, width {}, context {} tokens, vocabulary {} ({}).\n",
             model.config().n_layer, model.config().n_head, model.config().n_embd, model.config().context_length,
             model.config().vocab_size, run_dir);
  const TokenIds prompt = t.encode_ordinary(o.prompt);
  require(!prompt.empty(), "the prompt is empty");

  fmt::print("\nStep 1/3: the model's next-token distribution after \"{}\".\n", o.prompt);
  Decoder decoder(model);
  show_distribution(decoder.prefill(std::span(prompt).last(std::min<size_t>(prompt.size(), size_t(model.config().context_length)))), t,
                    o.prompt, fs::path(o.out) / "next_token.png");

  fmt::print("\nStep 2/3: generation.\n");
  const int tokens = o.smoke ? 20 : 80;
  stream(model, t, prompt, {0.0f, 0, 1.0f}, tokens, "Greedy (temperature 0): often falls into a loop");
  const SamplingOptions& sampled = kPreviewSampling;
  stream(model, t, prompt, sampled, tokens,
         fmt::format("Sampled (temperature {}, top-k {}, top-p {}, seed {})", sampled.temperature, sampled.top_k,
                     sampled.top_p, GenerationSettings{}.seed));

  fmt::print("\nStep 3/3: the KV cache.\n");
  const auto time_it = [&](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Rng a(1), b(1);
  TokenIds cached, uncached;
  const double with_cache = time_it([&] { cached = generate(model, prompt, tokens, {0.0f, 0, 1.0f}, a); });
  const double without = time_it([&] { uncached = generate_without_cache(*ckpt.model, prompt, tokens, {0.0f, 0, 1.0f}, b); });
  fmt::print("{} greedy tokens with the cache: {:.0f} tokens/s; re-running the window every time: {:.0f} tokens/s "
             "({:.1f}x).\n", tokens, tokens / with_cache, tokens / without, without / with_cache);
  fmt::print("The cache for {} positions of this model takes {:.1f} KB (2 x layers x positions x width floats).\n",
             model.config().context_length, double(kv_cache_bytes(model.config(), model.config().context_length)) / 1e3);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch07_demo [--checkpoint RUN] [--prompt TEXT] [--out DIR] [--smoke]
  (no option)      load the chapter 06 model (data/out/ch06/run; trains a quick one if there is none), show
                   its next-token distribution under three temperatures, generate greedily and by sampling,
                   and time the KV cache
  --checkpoint RUN another training run's folder
  --prompt TEXT    the text to continue (default "Call me")
  --out DIR        where next_token.png goes (default data/out/ch07)
  --smoke          a tiny model trained for a few steps on the project's own texts (used by the tests)
)", [&] {
    return run(parse(argc, argv));
  });
}
