// Chapter 05 demo: the GPT-2 architecture, assembled. Lists every parameter tensor by name and shape, counts
// them, works out the FLOPs a token costs and where they go, runs an untrained model on real text (its loss
// is ~ln V: it knows nothing yet) and times one forward + backward pass. The model has chapter 06's shape,
// with one embedding row per token of the tokenizer it trains here (a table sized for another tokenizer
// has rows no id ever reaches, or ids with no row).
//
//   ch05_demo [--smoke]      --smoke: a tiny model (for the tests)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/gpt.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "tokenizer/train_bpe.hpp"
#include "ui/usage.hpp"

using namespace minillm;

namespace {

// Every parameter tensor with its shape and size, in the order they sit in the parameter buffer.
void print_parameter_table(const Gpt& model, const GptConfig& config) {
  fmt::print("Every parameter tensor, named as in Hugging Face's GPT-2 (linear weights are [out, in]):\n");
  int64_t per_block = 0;
  for (const auto& e : model.params().entries()) {
    if (e.name.rfind("h.0.", 0) == 0) per_block += e.shape.numel();
    fmt::print("  {:<26} {:<12} {:>10}\n", e.name, e.shape.str(), e.shape.numel());
  }
  fmt::print("One block holds {} parameters (12C^2 + 13C); {} blocks hold {}.\n", per_block, config.n_layer,
             per_block * config.n_layer);
}

// Where a training token's FLOPs go: the blocks' four linear layers, the tied head, attention's T x T products.
// Embedding lookups copy rows (no FLOPs); LayerNorms, GELU and biases are a few FLOPs per number, not per weight.
void print_flops_breakdown(const GptConfig& config, double total) {
  const double C = config.n_embd, L = config.n_layer, V = config.vocab_size, T = config.context_length;
  const double linears = 6 * L * 12 * C * C, head = 6 * V * C, attention = 12 * L * C * T;
  const double rest = total - linears - head - attention;
  fmt::print("Where they go, per training token:\n");
  fmt::print("  {:<52} {:>7.2f} MFLOP {:>5.1f}%\n", "blocks' linear layers, 6 x L x 12C^2", linears / 1e6,
             100 * linears / total);
  fmt::print("  {:<52} {:>7.2f} MFLOP {:>5.1f}%\n", "tied head logits = ln_f . wte^T, 6 x V x C", head / 1e6,
             100 * head / total);
  fmt::print("  {:<52} {:>7.2f} MFLOP {:>5.1f}%\n", "attention's Q.K^T and att.V, 12 x L x C x T", attention / 1e6,
             100 * attention / total);
  fmt::print("  {:<52} {:>7.2f} MFLOP {:>5.1f}%\n", "6N's share of biases, LayerNorms and wpe (no matmul)",
             rest / 1e6, 100 * rest / total);
  fmt::print("\n");
}

// Where the parameters are, for GPT-2's four published sizes (V 50257, 1024 positions): the embeddings'
// share falls and the MLPs' rises with the width. The lesson's picture (images/parameter_share.png).
std::filesystem::path draw_parameter_share(bool smoke) {
  namespace plot = minillm::plot;
  struct Size {
    int layers, heads, width;
  };
  const Size sizes[] = {{12, 12, 768}, {24, 16, 1024}, {36, 20, 1280}, {48, 25, 1600}};  // 124M ... 1558M
  plot::Series embeddings{"wte + wpe", {}, {}, std::nullopt, 2.5, true};
  plot::Series attention{"attention", {}, {}, std::nullopt, 2.5, true};
  plot::Series mlp{"MLP", {}, {}, std::nullopt, 2.5, true};
  plot::Series norms{"LayerNorms", {}, {}, std::nullopt, 2.5, true};
  std::vector<double> ticks;
  for (const Size& size : sizes) {
    const GptConfig config{.vocab_size = 50257, .context_length = 1024, .n_layer = size.layers, .n_head = size.heads,
                           .n_embd = size.width};
    const double C = size.width, L = size.layers, total = double(gpt_parameter_count(config));
    const double parts[] = {(50257.0 + 1024.0) * C, L * (4 * C * C + 4 * C), L * (8 * C * C + 5 * C), L * 4 * C + 2 * C};
    plot::Series* series[] = {&embeddings, &attention, &mlp, &norms};
    for (int i = 0; i < 4; ++i) {
      series[i]->x.push_back(std::round(total / 1e6));
      series[i]->y.push_back(100.0 * parts[i] / total);
    }
    ticks.push_back(std::round(total / 1e6));
  }
  const auto path = minillm::output_dir() / (smoke ? "ch05_parameter_share_smoke.png" : "ch05_parameter_share.png");
  plot::line_chart(path, {"Where GPT-2's parameters are (124M, 355M, 774M, 1558M)", "parameters (millions)",
                          "% of the parameters", {embeddings, attention, mlp, norms}, true, false, ticks, 900, 560, {}});
  return path;
}

int run(bool smoke) {
  const std::string text = read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "data/text/lighthouse_story.txt");
  BpeTrainOptions tok_options;
  tok_options.vocab_size = smoke ? 300 : 512;
  const Tokenizer tokenizer = train_bpe(text, tok_options).tokenizer;
  GptConfig config{};  // chapter 06's default model (V 4096, context 128, 4 layers, 4 heads, width 256)...
  if (smoke) config = GptConfig{.vocab_size = 300, .context_length = 32, .n_layer = 2, .n_head = 2, .n_embd = 32};
  const int64_t default_total = gpt_parameter_count(config);
  const int default_vocab = config.vocab_size;
  config.vocab_size = tokenizer.vocab_size();  // ...with one wte row per token this tokenizer can produce
  fmt::print("Chapter 05: the GPT, assembled from chapter 04's blocks and chapter 02's embeddings.\n\n");
  fmt::print("Config: vocabulary V = {}, context T = {}, L = {} blocks, {} heads, width C = {}.\n",
             config.vocab_size, config.context_length, config.n_layer, config.n_head, config.n_embd);
  fmt::print("(V is the size of the tokenizer this demo trains on a short story: one wte row per token it can\n"
             " produce.{})\n\n",
             smoke ? "" : fmt::format(" Chapter 06 trains one of {} tokens on the whole book and builds the same model\n"
                                      " with V = {}: {} parameters.", default_vocab, default_vocab, default_total));

  Gpt model(config);
  Rng rng(1337);
  model.init_weights(rng);
  print_parameter_table(model, config);
  const int64_t total = gpt_parameter_count(config);
  fmt::print("Total: {} parameters ({:.2f} M). The output head reuses wte (tied), so it adds nothing.\n\n", total,
             double(total) / 1e6);

  const int T = config.context_length;
  const double flops = gpt_training_flops_per_token(config, T);
  fmt::print("Training FLOPs per token: 6N + 12LCT = 6 x {} + 12 x {} x {} x {} = {:.1f} MFLOP\n", total,
             config.n_layer, config.n_embd, T, flops / 1e6);
  fmt::print("(2N to multiply every weight once going forward, 4N for the two gradient products going back,\n"
             " plus attention's scores and weighted sums, which grow with the context.)\n");
  print_flops_breakdown(config, flops);

  // The untrained model on real text: every next token is a guess among V.
  TokenIds ids = tokenizer.encode_ordinary(text);
  require(static_cast<int>(ids.size()) > T, "the demo text is too short for a context of {}", T);
  const int B = smoke ? 2 : 8;
  TokenIds inputs, targets;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t i = (static_cast<size_t>(b) * 17 + static_cast<size_t>(t)) % (ids.size() - 1);
      inputs.push_back(ids[i]);
      targets.push_back(ids[i + 1]);
    }
  const auto start = std::chrono::steady_clock::now();
  model.zero_grad();
  const float loss = model.forward(inputs, targets, B, T);
  model.backward();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("The untrained model on {} windows of {} tokens: logits [B, T, V] = [{}, {}, {}].\n", B, T, B, T,
             config.vocab_size);
  fmt::print("Its loss is {:.3f}; uniform guessing over {} tokens would score ln V = {:.3f}.\n", loss,
             config.vocab_size, std::log(double(config.vocab_size)));
  fmt::print("One forward + backward pass took {:.1f} ms on {} thread(s): {:.0f} tokens/s, {:.1f} GFLOP/s.\n",
             seconds * 1e3, num_threads(), B * T / seconds, B * T * flops / seconds / 1e9);
  fmt::print("The parameter share by part for GPT-2's four sizes, as a picture: {}\n",
             draw_parameter_share(smoke).string());
  fmt::print("Chapter 06 trains this model, with its own tokenizer; ./run demo runs it for five minutes on Moby Dick.\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch05_demo [--smoke]
  (no option)   the GPT-2 architecture assembled: parameters by name, FLOPs per token, an untrained
                model's loss on real text, one timed forward + backward
  --smoke       a tiny model (used by the tests)
)", [&] {
    bool smoke = false;
    minillm::ui::DemoOptions().flag("--smoke", smoke).parse(argc, argv);
    return run(smoke);
  });
}
