// Batch-1 decoding of a GPT-2 124M-shaped model (V 50257, 1,024 positions, 12 layers, 12 heads, C 768;
// float32, random weights), with 1 and 2 threads:
//   prefill   a 512-token prompt through the model (src/gpt/kv_cache.cpp, Decoder::prefill)
//   cached    tokens/s of Decoder::step after a 64-token prompt, 64 tokens
//   uncached  tokens/s of generate_without_cache (the whole window again for every token), a few tokens
//   bandwidth this machine's memory read bandwidth: a vectorised streaming read (sum) of a 1 GiB buffer,
//             best of 5, on 1 and 2 threads; the best of the two is the machine's figure
//   limit     tokens/s if every byte a step must read (the weights once, wpe's one row, the KV cache at its
//             mean length) came at that bandwidth; `fraction` = cached tokens/s / limit
// tests/bench/decode.sh compares these with PyTorch (decode_torch.py) on the same shapes.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/sampling.hpp"
#include "bandwidth_probe.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace minillm;
  ensure_passive_openmp_wait(argv);
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const GptConfig config{50257, 1024, 12, 12, 768};
  const int decode_tokens = quick ? 16 : 64, uncached_tokens = quick ? 2 : 4, prompt_len = 64, prefill_len = 512;

  double bandwidth = 0;
  const std::vector<double> bandwidths = bench::read_bandwidths();
  for (int threads : {1, 2}) {
    fmt::print("bandwidth threads={} GB/s={:.1f}\n", threads, bandwidths[size_t(threads - 1)]);
    bandwidth = std::max(bandwidth, bandwidths[size_t(threads - 1)]);
  }

  Gpt model(config);
  Rng rng(1);
  model.init_weights(rng);
  TokenIds prompt;
  for (int i = 0; i < prefill_len; ++i) prompt.push_back(token_id(static_cast<int>(rng.below(50257))));
  const double C = config.n_embd;
  const double weight_bytes = 4.0 * (static_cast<double>(gpt_parameter_count(config)) - config.context_length * C + C);
  const double mean_length = prompt_len + decode_tokens / 2.0;
  const double kv_bytes = static_cast<double>(kv_cache_bytes(config, 1)) * mean_length;
  const double limit = bandwidth * 1e9 / (weight_bytes + kv_bytes);
  fmt::print("bytes per token: weights {:.1f} MB + KV cache at {:.0f} positions {:.1f} MB; limit {:.1f} tokens/s\n",
             weight_bytes / 1e6, mean_length, kv_bytes / 1e6, limit);

  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Decoder decoder(model);
    double prefill_s = 1e30;
    for (int rep = 0; rep < (quick ? 1 : 3); ++rep) {
      const auto start = Clock::now();
      decoder.prefill(std::span(prompt).first(prefill_len));
      prefill_s = std::min(prefill_s, seconds_since(start));
    }
    std::span<const float> logits = decoder.prefill(std::span(prompt).first(prompt_len));
    const auto start = Clock::now();
    for (int i = 0; i < decode_tokens; ++i) {
      const TokenId next = token_id(static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin()));
      logits = decoder.step(next);
    }
    const double cached = decode_tokens / seconds_since(start);
    const auto start2 = Clock::now();
    Rng sample(1);
    generate_without_cache(model, TokenIds(prompt.begin(), prompt.begin() + prompt_len), uncached_tokens,
                           {0.0f, 0, 1.0f}, sample);
    const double uncached = uncached_tokens / seconds_since(start2);
    fmt::print("minillm threads={} prefill512_ms={:.1f} cached_tok_s={:.2f} uncached_tok_s={:.2f} "
               "limit_tok_s={:.2f} fraction_of_limit={:.3f}\n",
               threads, prefill_s * 1e3, cached, uncached, limit, cached / limit);
  }
  return 0;
}
