// Batch-1 decoding of a GPT-2 124M-shaped model (V 50257, 1,024 positions, 12 layers, 12 heads, C 768; random
// weights, GPT-2's init) in float32 and in Q8_0 (chapter 10), with 1 and 2 threads:
//   cached      tokens/s of Decoder::step after a 64-token prompt, 64 greedy tokens, best of 3
//   bandwidth   this machine's read bandwidth at that thread count (bandwidth_probe.hpp)
//   limit       tokens/s if every byte a Q8_0 step reads came at that bandwidth: the int8 values and fp16
//               scales of every matrix (the head included), the float32 biases and LayerNorms, wpe's row, and
//               the KV cache at its mean length; `fraction` = Q8_0 tokens/s / limit
// Also the file size and the memory of the loaded model, and the picture chapter 10's lesson shows
// (data/out/ch10_decode_vs_bandwidth.png: tokens/s against both limits). decode_q8.sh compares with PyTorch.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bandwidth_probe.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/quantized_model.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Greedy tokens/s of `decoder`: a 64-token prompt, then `tokens` steps; best of `reps`.
double decode_rate(minillm::Decoder& decoder, const minillm::TokenIds& prompt, int tokens, int reps) {
  using namespace minillm;
  double best = 0;
  for (int rep = 0; rep < reps; ++rep) {
    std::span<const float> logits = decoder.prefill(prompt);
    const auto start = Clock::now();
    for (int i = 0; i < tokens; ++i) {
      const TokenId next = token_id(static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin()));
      logits = decoder.step(next);
    }
    best = std::max(best, tokens / std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

// One measurement per thread count, for the picture.
struct Point {
  double threads, float_rate, float_limit, q8_rate, q8_limit;
};

// Tokens/s measured against what the bandwidth allows, float32 and Q8_0: the measured dots sit under their
// limit lines, and the Q8_0 line sits about four times higher because each token reads a quarter of the bytes.
void draw_speed_against_limits(const std::vector<Point>& points, const std::filesystem::path& png) {
  using namespace minillm::plot;
  auto series = [&](std::string name, double Point::*y, Rgb color, bool measured) {
    Series s{std::move(name), {}, {}, color, measured ? 2.5 : 1.5, measured};
    for (const Point& p : points) s.x.push_back(p.threads), s.y.push_back(p.*y);
    return s;
  };
  LineChartSpec spec;
  spec.title = "Decoding GPT-2 124M's shapes: tokens/s against the bandwidth limit";
  spec.x_label = "threads";
  spec.y_label = "tokens per second";
  spec.series = {series("float32 limit", &Point::float_limit, {166, 206, 227}, false),
                 series("float32, measured", &Point::float_rate, {31, 120, 180}, true),
                 series("Q8_0 limit", &Point::q8_limit, {253, 191, 111}, false),
                 series("Q8_0, measured", &Point::q8_rate, {230, 120, 0}, true)};
  spec.x_ticks = {1, 2};
  spec.width = 1000, spec.height = 560;
  line_chart(png, spec);
  fmt::print("picture: {}\n", png.string());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace minillm;
  ensure_passive_openmp_wait(argv);
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const GptConfig config{50257, 1024, 12, 12, 768};
  const int tokens = quick ? 16 : 64, reps = quick ? 1 : 3, prompt_len = 64;
  const std::vector<double> bandwidth = bench::read_bandwidths();

  Gpt model(config, GptForm::inference_only);
  Rng rng(1);
  model.init_weights(rng);
  const QuantizedGpt q = quantize_gpt(model);
  TokenIds prompt;
  for (int i = 0; i < prompt_len; ++i) prompt.push_back(token_id(static_cast<int>(rng.below(50257))));

  const double C = config.n_embd, maxT = config.context_length;
  const double float_rest = static_cast<double>(q.floats.size()) - maxT * C + C;  // wpe: one row a token
  const double mean_length = prompt_len + tokens / 2.0;
  const double kv_bytes = static_cast<double>(kv_cache_bytes(config, 1)) * mean_length;
  const double q8_bytes = static_cast<double>(q.bytes()) - 4 * static_cast<double>(q.floats.size()) + 4 * float_rest;
  const double float_bytes = 4.0 * (static_cast<double>(gpt_parameter_count(config)) - maxT * C + C);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "minillm-bench-q8";
  save_quantized_model(q, dir, {}, {"random GPT-2 124M shapes", 0});
  const auto file_size = std::filesystem::file_size(dir / "model.safetensors");
  std::filesystem::remove_all(dir);
  fmt::print("q8_0 file {:.1f} MB; in memory: weights {:.1f} MB (float32: {:.1f} MB), prefill scratch {:.1f} MB, "
             "KV cache {:.1f} MB\n", double(file_size) / 1e6, double(q.bytes()) / 1e6,
             4.0 * double(gpt_parameter_count(config)) / 1e6, 12 * C * C * 4 / 1e6,
             double(kv_cache_bytes(config, config.context_length)) / 1e6);
  fmt::print("bytes per token: q8_0 {:.1f} MB, float32 {:.1f} MB, + KV cache at {:.0f} positions {:.1f} MB\n",
             q8_bytes / 1e6, float_bytes / 1e6, mean_length, kv_bytes / 1e6);

  std::vector<Point> points;
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Decoder floats(model), int8(q);
    const double float_rate = decode_rate(floats, prompt, tokens, reps);
    const double q8_rate = decode_rate(int8, prompt, tokens, reps);
    const double bw = bandwidth[size_t(threads - 1)];
    const double limit = bw * 1e9 / (q8_bytes + kv_bytes);
    fmt::print("minillm threads={} bandwidth_gb_s={:.1f} float32_tok_s={:.2f} q8_0_tok_s={:.2f} speedup={:.2f} "
               "q8_limit_tok_s={:.2f} fraction_of_limit={:.3f} float32_limit_tok_s={:.2f}\n",
               threads, bw, float_rate, q8_rate, q8_rate / float_rate, limit, q8_rate / limit,
               bw * 1e9 / (float_bytes + kv_bytes));
    points.push_back({double(threads), float_rate, bw * 1e9 / (float_bytes + kv_bytes), q8_rate, limit});
  }
  draw_speed_against_limits(points, output_dir() / (quick ? "ch10_decode_vs_bandwidth_quick.png"
                                                          : "ch10_decode_vs_bandwidth.png"));
  return 0;
}
