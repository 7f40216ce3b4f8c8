#include "gpt/sampling.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.hpp"
#include "gpt/kv_cache.hpp"

namespace minillm {

void SamplingOptions::validate() const {
  require(temperature >= 0 && std::isfinite(temperature), "temperature must be >= 0 (0 = greedy), got {}",
          temperature);
  require(top_k >= 0, "top-k must be >= 0 (0 = no limit), got {}", top_k);
  require(top_p > 0 && top_p <= 1, "top-p must be in (0, 1], got {}", top_p);
}

// lesson: sample_token
TokenId sample_token(std::span<const float> logits, const SamplingOptions& options, Rng& rng) {
  options.validate();
  require(!logits.empty(), "sample_token: no logits");
  const int V = static_cast<int>(logits.size());
  if (options.temperature == 0.0f)  // greedy: the single most likely token
    return token_id(std::max_element(logits.begin(), logits.end()) - logits.begin());

  // Candidates sorted from most to least likely.
  std::vector<int> order(static_cast<size_t>(V));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  int keep = options.top_k > 0 ? std::min(options.top_k, V) : V;

  // Softmax at the given temperature over the kept candidates (max subtracted for stability).
  std::vector<double> probs(static_cast<size_t>(keep));
  const double top = logits[order[0]];
  double sum = 0;
  for (int i = 0; i < keep; ++i) sum += probs[i] = std::exp((logits[order[i]] - top) / options.temperature);
  for (double& p : probs) p /= sum;

  // Nucleus: the shortest prefix whose mass reaches top_p.
  if (options.top_p < 1.0f) {
    double mass = 0;
    int i = 0;
    while (i < keep && mass < options.top_p) mass += probs[static_cast<size_t>(i++)];
    keep = std::max(i, 1);
  }
  double total = 0;
  for (int i = 0; i < keep; ++i) total += probs[static_cast<size_t>(i)];
  double r = rng.uniform_double() * total;
  for (int i = 0; i < keep; ++i) {
    r -= probs[static_cast<size_t>(i)];
    if (r < 0) return token_id(order[static_cast<size_t>(i)]);
  }
  return token_id(order[static_cast<size_t>(keep - 1)]);  // rounding left r a hair above 0
}
// end lesson: sample_token

namespace {

void check_prompt(const GptConfig& config, std::span<const TokenId> prompt) {
  require(!prompt.empty(), "generate: the prompt is empty; give the model at least one token to continue");
  for (TokenId id : prompt)
    require(to_int(id) >= 0 && to_int(id) < config.vocab_size,
            "generate: prompt token {} is outside the model's vocabulary of {}", to_int(id), config.vocab_size);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// lesson: generate
Generation continue_generation(Decoder& decoder, std::span<const float> logits, const GenerateOptions& options,
                               Rng& rng, const OnToken& on_token) {
  require(options.max_new_tokens >= 0, "generate: cannot generate {} tokens", options.max_new_tokens);
  options.sampling.validate();
  const auto start = std::chrono::steady_clock::now();
  Generation result;
  for (int i = 0; i < options.max_new_tokens; ++i) {
    const TokenId next = sample_token(logits, options.sampling, rng);
    if (options.stop_token && next == *options.stop_token) {
      result.stopped = true;
      break;
    }
    result.ids.push_back(next);
    if (on_token) on_token(next);
    if (i + 1 < options.max_new_tokens) logits = decoder.advance(next);  // the cache grows by one position
  }
  result.decode_seconds = seconds_since(start);
  return result;
}

Generation generate(const Gpt& model, std::span<const TokenId> prompt, const GenerateOptions& options, Rng& rng,
                    const OnToken& on_token) {
  check_prompt(model.config(), prompt);
  require(options.max_new_tokens >= 0, "generate: cannot generate {} tokens", options.max_new_tokens);
  options.sampling.validate();
  if (options.max_new_tokens == 0) return {};
  const auto start = std::chrono::steady_clock::now();
  Decoder decoder(model);
  const size_t window = std::min(prompt.size(), static_cast<size_t>(model.config().context_length));
  const std::span<const float> logits = decoder.prefill(prompt.last(window));  // a long prompt: its last maxT
  const double prefill_seconds = seconds_since(start);
  Generation result = continue_generation(decoder, logits, options, rng, on_token);
  result.prefill_seconds = prefill_seconds;
  return result;
}
// end lesson: generate

Generation generate(Decoder& decoder, std::span<const TokenId> prompt, const GenerateOptions& options, Rng& rng,
                    const OnToken& on_token) {
  check_prompt(decoder.config(), prompt);
  require(options.max_new_tokens >= 0, "generate: cannot generate {} tokens", options.max_new_tokens);
  options.sampling.validate();
  if (options.max_new_tokens == 0) return {};
  const auto start = std::chrono::steady_clock::now();
  const size_t window = std::min(prompt.size(), static_cast<size_t>(decoder.config().context_length));
  const std::span<const float> logits = decoder.prefill(prompt.last(window));
  const double prefill_seconds = seconds_since(start);
  Generation result = continue_generation(decoder, logits, options, rng, on_token);
  result.prefill_seconds = prefill_seconds;
  return result;
}

TokenIds generate(const Gpt& model, TokenIds tokens, int count, const SamplingOptions& options, Rng& rng) {
  require(count >= 0, "generate: cannot generate {} tokens", count);
  const Generation g = generate(model, tokens, GenerateOptions{count, options, std::nullopt}, rng);
  tokens.insert(tokens.end(), g.ids.begin(), g.ids.end());
  return tokens;
}

TokenIds generate_without_cache(Gpt& model, TokenIds tokens, int count, const SamplingOptions& options, Rng& rng) {
  check_prompt(model.config(), tokens);
  require(count >= 0, "generate: cannot generate {} tokens", count);
  const int V = model.config().vocab_size;
  for (int i = 0; i < count; ++i) {
    const int T = std::min<int>(static_cast<int>(tokens.size()), model.config().context_length);
    std::span<const TokenId> window(tokens.data() + tokens.size() - static_cast<size_t>(T), static_cast<size_t>(T));
    model.forward(window, 1, T);
    const float* last = model.logits() + static_cast<size_t>(T - 1) * static_cast<size_t>(V);
    tokens.push_back(sample_token({last, static_cast<size_t>(V)}, options, rng));
  }
  return tokens;
}

}  // namespace minillm
