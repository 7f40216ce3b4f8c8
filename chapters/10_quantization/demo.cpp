// Chapter 10 demo: quantizing the chapter 06 model to int8 (Q8_0). It loads the model `./run demo` trained
// (data/out/ch06/run; if there is none, it trains a quick one first), then
//   1. rounds one layer's weights to int8 with one scale per block of 8, 16, ... values, up to one scale for
//      the whole matrix, and shows the error each block size costs, in the terminal and as
//      data/out/ch10_error_by_block.png (the lesson's picture, images/error_by_block.png);
//   2. quantizes the whole model (every linear layer and the token embedding, in blocks of 32) and compares
//      it with the float model on text, position by position: bits per byte, KL divergence, top token;
//   3. times greedy decoding with the float and the int8 weights.
//
//   ch10_demo [--checkpoint RUN] [--out DIR (default data/out/ch10: a quick run if one is needed)] [--smoke]
// --smoke: a tiny model trained for a few steps on the project's own texts (no downloads), for the tests.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/quantized_model.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "quant/q8_0.hpp"
#include "tokenizer/train_bpe.hpp"
#include "train/checkpoint.hpp"
#include "train/model_compare.hpp"
#include "train/trainer.hpp"
#include "ui/usage.hpp"
#include "../07_generation/quick_model.hpp"  // chapter 07's quick model, when chapter 06 has none

namespace fs = std::filesystem;
using namespace minillm;

namespace {

struct Options {
  std::string checkpoint = (output_dir() / "ch06" / "run").string();
  std::string out = (output_dir() / "ch10").string();
  bool smoke = false;
};

Options parse(int argc, char** argv) {
  Options o;
  minillm::ui::DemoOptions()
      .value("--checkpoint", o.checkpoint, "RUN")
      .value("--out", o.out, "DIR")
      .flag("--smoke", o.smoke)
      .parse(argc, argv);
  return o;
}

// Relative RMS error of w[rows, cols] rounded to int8 in blocks of `block` along each row (block = cols:
// one scale a row; block = 0: one scale for the whole matrix).
double relative_error(const float* w, int rows, int cols, int block) {
  double err = 0, energy = 0;
  float whole = 0;
  for (int i = 0; i < rows * cols; ++i) whole = std::max(whole, std::fabs(w[i]));
  for (int r = 0; r < rows; ++r)
    for (int b0 = 0; b0 < cols; b0 += block > 0 ? block : cols) {
      const int n = block > 0 ? block : cols;
      const float* x = w + size_t(r) * cols + b0;
      float amax = 0;
      for (int i = 0; i < n; ++i) amax = std::max(amax, std::fabs(x[i]));
      const float d = (block > 0 ? amax : whole) / 127;
      for (int i = 0; i < n; ++i) {
        const double back = d > 0 ? std::round(x[i] / d) * d : 0.0;
        err += (x[i] - back) * (x[i] - back);
        energy += double(x[i]) * x[i];
      }
    }
  return std::sqrt(err / energy);
}

// Step 1: one layer's error by block size, printed and drawn.
void error_by_block(const Gpt& model, const fs::path& png) {
  const ConstTensorView w = model.params()["h.0.mlp.c_fc.weight"];
  const int rows = int(w.shape[0]), cols = int(w.shape[1]);
  fmt::print("h.0.mlp.c_fc.weight is [{}, {}]: {} weights. Rounded to int8, one scale per block of:\n", rows, cols,
             rows * cols);
  plot::Series series{"per block", {}, {}, std::nullopt, 2.5, true};
  std::vector<double> ticks;
  for (int block = 8; block <= cols; block *= 2) {
    const double e = relative_error(w.data, rows, cols, block);
    fmt::print("  {:>5} values  relative error {:.3f}%   {:.2f} bits a weight (8 + 16 for the fp16 scale / {})\n",
               block, 100 * e, 8 + 16.0 / block, block);
    series.x.push_back(block);
    series.y.push_back(100 * e);
    ticks.push_back(block);
  }
  const double whole = relative_error(w.data, rows, cols, 0);
  fmt::print("  one scale for the whole matrix: relative error {:.3f}%\n", 100 * whole);
  fmt::print("Bigger blocks cost fewer bytes but let the block's largest weight set a coarser step for all the "
             "others. Q8_0 takes 32: 8.5 bits a weight.\n");
  plot::LineChartSpec spec;
  spec.title = "Rounding one layer to int8: the error by block size";
  spec.x_label = "values per scale (block size)";
  spec.y_label = "relative RMS error of the weights, %";
  spec.log_x = true;
  spec.x_ticks = ticks;
  const plot::Series one_scale{"per matrix", {ticks.front(), ticks.back()}, {100 * whole, 100 * whole},
                               std::nullopt, 2.0, false};
  spec.series = {series, one_scale};
  plot::line_chart(png, spec);
  fmt::print("As a picture: {}\n", png.string());
}

// Greedy tokens/s of a decoder: a 16-token prompt, then `tokens` steps.
double decode_rate(Decoder& decoder, const TokenIds& prompt, int tokens) {
  std::span<const float> logits = decoder.prefill(prompt);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < tokens; ++i) {
    const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
    logits = decoder.advance(token_id(static_cast<int>(best)));
  }
  return tokens / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(const Options& o) {
  fs::create_directories(o.out);
  fmt::print("Chapter 10: int8 weights (Q8_0){}.\n\n", o.smoke ? " (smoke test: tiny sizes)" : "");
  const fs::path text = demo::demo_corpus(o.out, o.smoke);  // Moby Dick, or the project's own texts
  const std::string run_dir = !o.smoke && has_checkpoint(o.checkpoint)
                                  ? o.checkpoint
                                  : demo::train_quick_model(o.checkpoint, text, o.out, o.smoke);
  LoadedCheckpoint ckpt = load_checkpoint(run_dir);
  const Tokenizer t = Tokenizer::open(ckpt.state["tokenizer"].get<std::string>());
  const Gpt& model = *ckpt.model;
  fmt::print("The model: {} layers, width {}, vocabulary {} ({}).\n", model.config().n_layer, model.config().n_embd,
             model.config().vocab_size, run_dir);

  fmt::print("\nStep 1/3: what rounding to int8 does to one layer.\n");
  error_by_block(model, output_dir() / (o.smoke ? "ch10_error_by_block_smoke.png" : "ch10_error_by_block.png"));

  fmt::print("\nStep 2/3: the whole model in Q8_0, against the float model.\n");
  const QuantizedGpt q = quantize_gpt(model);
  fmt::print("Weights: {:.2f} MB in float32, {:.2f} MB in Q8_0 (int8 values, an fp16 scale per 32; LayerNorms, "
             "biases and wpe stay float32).\n", 4.0 * double(model.params().size()) / 1e6, double(q.bytes()) / 1e6);
  const std::string all = read_file(text);
  const size_t tail = std::min<size_t>(all.size(), o.smoke ? 1500 : 20000);
  const TokenIds ids = t.encode_ordinary(all.substr(all.size() - tail));
  Decoder float_decoder(model), int8_decoder(q);
  const ModelComparison c = compare_models(float_decoder, int8_decoder, ids, t);
  fmt::print("On the text's last {} characters ({} positions), both models predicting every next token:\n", tail, c.tokens);
  fmt::print("  bits per byte: float32 {:.4f}, Q8_0 {:.4f} ({:+.3f}%)\n", c.reference_bits_per_byte,
             c.candidate_bits_per_byte, 100 * (c.candidate_bits_per_byte / c.reference_bits_per_byte - 1));
  fmt::print("  KL divergence of Q8_0's next-token distribution from float32's: mean {:.6f} nats (worst {:.4f})\n",
             c.mean_kl, c.max_kl);
  fmt::print("  the likeliest next token is the same at {:.2f}% of positions\n", 100 * c.top1_agreement);
  fmt::print("Bits per byte only looks at the token the text continued with; KL looks at every token's probability.\n");

  fmt::print("\nStep 3/3: decoding speed.\n");
  const TokenIds prompt(ids.begin(), ids.begin() + std::min<long>(16, long(ids.size())));
  const int tokens = o.smoke ? 16 : 128;
  const double f32 = decode_rate(float_decoder, prompt, tokens), i8 = decode_rate(int8_decoder, prompt, tokens);
  fmt::print("Greedy decoding, {} tokens on {} thread(s): float32 {:.0f} tokens/s, Q8_0 {:.0f} tokens/s ({:.2f}x).\n",
             tokens, num_threads(), f32, i8, i8 / f32);
  fmt::print("Each token reads every weight once, so decoding follows the bytes read: {:.2f} MB against {:.2f} MB. "
             "A model this small may sit in the CPU's caches, where bytes cost less; GPT-2 124M's shapes are "
             "measured in docs/benchmarks.md.\n", 4.0 * double(model.params().size()) / 1e6, double(q.bytes()) / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch10_demo [--checkpoint RUN] [--out DIR] [--smoke]
  (no option)      load the chapter 06 model (data/out/ch06/run; trains a quick one if there is none), show
                   one layer's int8 rounding error by block size, quantize the model to Q8_0 and compare it
                   with the float model (bits per byte, KL divergence, top token), and time decoding
  --checkpoint RUN another training run's folder
  --out DIR        where a quick model is trained if there is none (default data/out/ch10); the picture
                   goes to data/out/ch10_error_by_block.png
  --smoke          a tiny model trained for a few steps on the project's own texts (used by the tests)
)", [&] {
    return run(parse(argc, argv));
  });
}
