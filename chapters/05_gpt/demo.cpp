// Chapter 05 demo: the GPT-2 architecture, assembled. Lists the parameters by name and shape, counts
// them, works out the FLOPs a token costs, runs an untrained model on real text (its loss is ~ln V: it
// knows nothing yet) and times one forward + backward pass.
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
#include "tokenizer/train_bpe.hpp"
#include "ui/usage.hpp"

using namespace minillm;

namespace {

int run(bool smoke) {
  const std::string text = read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "data/text/lighthouse_story.txt");
  TrainOptions tok_options;
  tok_options.vocab_size = smoke ? 300 : 512;
  const Tokenizer tokenizer = train_bpe(text, tok_options).tokenizer;
  GptConfig config{4096, 128, 4, 4, 256};  // chapter 06's default model
  if (smoke) config = GptConfig{300, 32, 2, 2, 32};
  fmt::print("Chapter 05: the GPT, assembled from chapter 04's blocks and chapter 02's embeddings.\n\n");
  fmt::print("Config: vocabulary V = {}, context T = {}, L = {} blocks, {} heads, width C = {}.\n\n",
             config.vocab_size, config.context_length, config.n_layer, config.n_head, config.n_embd);

  Gpt model(config);
  Rng rng(1337);
  model.init_weights(rng);
  fmt::print("Every parameter tensor, named as in Hugging Face's GPT-2 (block 0 shown; the others repeat it):\n");
  int64_t per_block = 0;
  for (const auto& e : model.params().entries()) {
    const bool in_block = e.name.rfind("h.", 0) == 0;
    if (e.name.rfind("h.0.", 0) == 0) per_block += e.shape.numel();
    if (in_block && e.name.rfind("h.0.", 0) != 0) continue;
    fmt::print("  {:<26} {:<12} {:>10}\n", e.name, e.shape.str(), e.shape.numel());
  }
  const int64_t total = gpt_parameter_count(config);
  fmt::print("One block holds {} parameters (12C^2 + 13C); {} blocks hold {}.\n", per_block, config.n_layer,
             per_block * config.n_layer);
  fmt::print("Total: {} parameters ({:.2f} M). The output head reuses wte (tied), so it adds nothing.\n\n", total,
             double(total) / 1e6);

  const int T = config.context_length;
  const double flops = gpt_training_flops_per_token(config, T);
  fmt::print("Training FLOPs per token: 6N + 12LCT = 6 x {} + 12 x {} x {} x {} = {:.1f} MFLOP\n", total,
             config.n_layer, config.n_embd, T, flops / 1e6);
  fmt::print("(2N to multiply every weight once going forward, 4N for the two gradient products going back,\n"
             " plus attention's scores and weighted sums, which grow with the context.)\n\n");

  // The untrained model on real text: every next token is a guess among V.
  TokenIds ids = tokenizer.encode_ordinary(text);
  require(static_cast<int>(ids.size()) > T, "the demo text is too short for a context of {}", T);
  for (TokenId& id : ids) id = token_id(to_int(id) % config.vocab_size);
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
  fmt::print("Chapter 06 trains this model; ./run demo runs it for five minutes on Moby Dick.\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  if (minillm::ui::print_usage_if_asked(argc, argv, R"(usage: ch05_demo [--smoke]
  (no option)   the GPT-2 architecture assembled: parameters by name, FLOPs per token, an untrained
                model's loss on real text, one timed forward + backward
  --smoke       a tiny model (used by the tests)
)")) return 0;
  try {
    bool smoke = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      require(arg == "--smoke", "unknown option {}; the only option is --smoke", arg);
      smoke = true;
    }
    return run(smoke);
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
