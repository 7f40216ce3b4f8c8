// Training speed of minillm's GPT on the default config (4 layers, 4 heads, width 256, context 128,
// batch 16, a 4096-token BPE vocabulary trained on Moby Dick), against this machine's sgemm peak measured
// in the same run. tests/bench/train.sh runs the same model in PyTorch on the same token ids
// (train_torch.py) and prints the ratios.
//
//   bench_train --export DIR [--steps N] [--minutes M] [--quick] [--profile]
// Writes DIR/ids.i32 (the tokenized corpus) and DIR/token_bytes.i32 (UTF-8 length of every token) for the
// PyTorch side, then prints `key: value` lines. --minutes M also trains for M minutes and reports the
// validation bits per byte reached in that budget. --profile then trains the same steps again with every
// kernel timed (kernel_profile.hpp) and prints where a step's time goes, operation by operation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/gpt.hpp"
#include "io/atomic_file.hpp"
#include "kernel_profile.hpp"
#include "tokenizer/train_bpe.hpp"
#include "train/adamw.hpp"
#include "train/dataset.hpp"
#include "train/trainer.hpp"

namespace fs = std::filesystem;
using namespace minillm;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Best GFLOP/s of a 1024^3 sgemm over 20 tries: the machine's practical float32 peak. Measured before
// and after the training steps and the better one kept, because other work on the machine lowers it.
double sgemm_peak_gflops() {
  const int n = 1024;
  std::vector<float> a(size_t(n) * n), b(size_t(n) * n), c(size_t(n) * n);
  Rng rng(1);
  rng.fill_uniform(a, -1, 1);
  rng.fill_uniform(b, -1, 1);
  double best = 0;
  for (int rep = 0; rep < 20; ++rep) {
    const auto t = Clock::now();
    matmul_ab(c.data(), a.data(), b.data(), n, n, n);
    best = std::max(best, matmul_flops(n, n, n) / seconds_since(t) / 1e9);
  }
  return best;
}

// Trains `steps` steps with every kernel timed, and the rest of a step (AdamW, clipping, the embeddings,
// residual adds, zeroing) timed by its parts, then prints milliseconds per step and shares.
void print_profile(Gpt& model, AdamW& optimizer, const TokenSplit& split, int B, int T, int steps, bool warm_up) {
  Rng batch_rng(3);
  TokenIds inputs, targets;
  double total = 0, adamw = 0, clip = 0;
  bench::g_kernel_times = {};
  {
    const KernelScope timed(bench::timed_fast_kernels());
    for (int i = 0; i < steps; ++i) {
      sample_batch(split.train, B, T, batch_rng, inputs, targets);
      const auto start = Clock::now();
      model.zero_grad();
      model.forward(inputs, targets, B, T);
      model.backward();
      const auto clipped = Clock::now();
      clip_grad_norm(model.grads(), 1.0f);
      const auto stepped = Clock::now();
      optimizer.step(model.params(), model.grads(), 1e-3f);
      adamw += seconds_since(stepped);
      clip += std::chrono::duration<double>(stepped - clipped).count();
      total += seconds_since(start);
    }
  }
  if (warm_up) return;
  double kernels_total = 0;
  fmt::print("profile: {} steps at {} thread(s), {:.1f} ms per step\n", steps, num_threads(), 1e3 * total / steps);
  const std::vector<std::string_view> names = kernel_names();
  for (size_t row = 0; row < names.size(); ++row) {
    const double s = bench::g_kernel_times.seconds[row];
    kernels_total += s;
    if (bench::g_kernel_times.calls[row] == 0) continue;
    fmt::print("profile: {:24} {:8.2f} ms {:5.1f}%  ({} calls per step)\n", names[row], 1e3 * s / steps, 100 * s / total,
               bench::g_kernel_times.calls[row] / steps);
  }
  fmt::print("profile: {:24} {:8.2f} ms {:5.1f}%\n", "adamw", 1e3 * adamw / steps, 100 * adamw / total);
  fmt::print("profile: {:24} {:8.2f} ms {:5.1f}%\n", "clip_grad_norm", 1e3 * clip / steps, 100 * clip / total);
  const double rest = total - kernels_total - adamw - clip;
  fmt::print("profile: {:24} {:8.2f} ms {:5.1f}%  (embeddings, residual adds, zeroing, the loss's mean)\n", "other",
             1e3 * rest / steps, 100 * rest / total);
}

template <typename T>
void write_ints(const fs::path& path, const std::vector<T>& values) {
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  try {
    fs::path export_dir;
    int steps = 20;
    double minutes = 0;
    bool profile = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      require(arg == "--quick" || arg == "--profile" || i + 1 < argc, "{} needs a value", arg);
      if (arg == "--export") export_dir = argv[++i];
      else if (arg == "--steps") steps = std::stoi(argv[++i]);
      else if (arg == "--minutes") minutes = std::stod(argv[++i]);
      else if (arg == "--quick") steps = 8;
      else if (arg == "--profile") profile = true;
      else fail("unknown option {}", arg);
    }
    require(!export_dir.empty(), "give --export DIR (where the token ids for the PyTorch side go)");
    const fs::path corpus = fs::path(MINILLM_SOURCE_DIR) / "data/cache/moby_dick.txt";
    require(fs::exists(corpus), "{} is missing: run ./run fetch first", corpus.string());

    BpeTrainOptions tok_options;
    tok_options.vocab_size = 4096;
    const std::string text = read_file(corpus);
    const Tokenizer tokenizer = train_bpe(text, tok_options).tokenizer;
    tokenizer.save(export_dir / "tokenizer.bpe");
    const TokenIds ids = tokenizer.encode_ordinary(text);
    std::vector<int32_t> id_values(ids.size()), token_bytes(size_t(tokenizer.vocab_size()));
    std::transform(ids.begin(), ids.end(), id_values.begin(), [](TokenId id) { return to_int(id); });
    for (int v = 0; v < tokenizer.vocab_size(); ++v)
      token_bytes[size_t(v)] = static_cast<int32_t>(tokenizer.token_bytes(token_id(v)).size());
    write_ints(export_dir / "ids.i32", id_values);
    write_ints(export_dir / "token_bytes.i32", token_bytes);

    const GptConfig config{.vocab_size = tokenizer.vocab_size(), .context_length = 128, .n_layer = 4, .n_head = 4, .n_embd = 256};
    const int B = 16, T = 128;
    // Speed at 1 and 2 threads (OpenBLAS and OpenMP together), like the PyTorch side; the best one counts.
    const int max_threads = num_threads();
    double best_tok_s = 0, best_peak = 0;
    int best_threads = 1;
    for (int threads = 1; threads <= std::max(2, max_threads); ++threads) {
      set_num_threads(threads);
      double peak = sgemm_peak_gflops();
      Gpt model(config);
      Rng init(1);
      model.init_weights(init);
      AdamW optimizer(model.params(), AdamWConfig{});
      const TokenSplit split = split_train_val(ids, 0.1, T);
      Rng batch_rng(2);
      TokenIds inputs, targets;
      auto step = [&] {
        sample_batch(split.train, B, T, batch_rng, inputs, targets);
        return train_step(model, optimizer, inputs, targets, B, T, 1e-3f, 1.0f).loss;
      };
      for (int i = 0; i < 3; ++i) step();  // warm up: first-touch page faults, BLAS buffers
      double best_step = 1e30;
      for (int i = 0; i < steps; ++i) {
        const auto t = Clock::now();
        step();
        best_step = std::min(best_step, seconds_since(t));
      }
      peak = std::max(peak, sgemm_peak_gflops());
      const double tok_s = B * T / best_step;
      fmt::print("minillm tokens/s with {} thread(s): {:.0f} (best step of {}: {:.1f} ms); sgemm peak {:.1f} GFLOP/s\n",
                 threads, tok_s, steps, best_step * 1e3, peak);
      if (tok_s > best_tok_s) best_tok_s = tok_s, best_peak = peak, best_threads = threads;
    }
    set_num_threads(best_threads);
    const double flops = gpt_training_flops_per_token(config, T);
    fmt::print("minillm tokens/s: {:.0f} (best thread setting: {})\n", best_tok_s, best_threads);
    fmt::print("sgemm peak: {:.1f} GFLOP/s (1024^3, best of 2 x 20, {} threads)\n", best_peak, best_threads);
    fmt::print("minillm GFLOP/s: {:.1f} = {:.0f}% of the sgemm peak ({:.1f} MFLOP per token, 6N + 12LCT, N = {})\n",
               best_tok_s * flops / 1e9, 100.0 * best_tok_s * flops / 1e9 / best_peak, flops / 1e6,
               gpt_parameter_count(config));
    fmt::print("minillm peak memory MB: {:.0f}\n", double(peak_memory_bytes()) / 1e6);
    fmt::print("peak fraction: {:.3f}\n", best_tok_s * flops / 1e9 / best_peak);
    if (profile) {
      Gpt model(config);
      Rng init(1);
      model.init_weights(init);
      AdamW optimizer(model.params(), AdamWConfig{});
      const TokenSplit split = split_train_val(ids, 0.1, T);
      print_profile(model, optimizer, split, B, T, 2, true);  // first touch of every buffer, not printed
      print_profile(model, optimizer, split, B, T, steps, false);
    }

    if (minutes > 0) {
      TrainConfig tc;
      tc.model = config;
      tc.corpus = corpus.string();
      tc.tokenizer = (export_dir / "tokenizer.bpe").string();
      tc.out_dir = (export_dir / "run").string();
      tc.cache_dir = "";
      tc.batch = B;
      tc.steps = 0;
      tc.minutes = minutes;
      tc.warmup = 30;
      const TrainSummary s = train(tc);
      fmt::print("minillm {} minutes: {} steps, val loss {:.4f}, val bits per byte: {:.4f}\n", minutes, s.steps,
                 s.val_loss, s.val_bits_per_byte);
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
