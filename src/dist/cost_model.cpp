#include "dist/cost_model.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "gpt/model_files.hpp"

namespace minillm::dist {

// lesson: gpt_workload
Workload gpt_workload(std::string name, const GptConfig& config, int batch_per_rank) {
  const int T = config.context_length;
  return {std::move(name), gpt_parameter_count(config), gpt_training_flops_per_token(config, T),
          int64_t(batch_per_rank) * T};
}
// end lesson: gpt_workload

std::vector<CostModelModel> cost_model_models() {
  const GptConfig gpt2{.vocab_size = kGpt2VocabularySize, .context_length = 1024, .n_layer = 12, .n_head = 12,
                       .n_embd = 768};
  return {{"ch06", GptConfig{}, 16}, {"gpt2-124m", gpt2, 4}};
}

// lesson: ring_allreduce_seconds
double ring_allreduce_seconds(double bytes, int nodes, const Link& link) {
  require(nodes >= 1, "the cost model needs at least 1 node, not {}", nodes);
  require(link.gbps > 0, "a link of {} Gb/s carries nothing; give a bandwidth above 0", link.gbps);
  const double N = nodes, bytes_per_second = link.gbps * 1e9 / 8;
  // Reduce-scatter and all-gather each take N - 1 steps, and in each a rank sends 1/N of the gradient.
  return 2 * (N - 1) / N * bytes / bytes_per_second + 2 * (N - 1) * link.latency_seconds;
}
// end lesson: ring_allreduce_seconds

// lesson: predict_step
StepPrediction predict_step(const Workload& w, double flops_per_second, const Link& link, int nodes, double overlap) {
  require(flops_per_second > 0, "the cost model needs a FLOP rate above 0");
  StepPrediction p;
  p.nodes = nodes;
  p.compute_seconds = double(w.tokens_per_rank) * w.flops_per_token / flops_per_second;
  p.allreduce_seconds = ring_allreduce_seconds(w.gradient_bytes(), nodes, link);
  const double hidden = std::min(p.allreduce_seconds, overlap * p.compute_seconds);
  p.step_seconds = p.compute_seconds + p.allreduce_seconds - hidden;
  p.tokens_per_second = double(nodes) * double(w.tokens_per_rank) / p.step_seconds;
  p.efficiency = p.compute_seconds / p.step_seconds;
  return p;
}
// end lesson: predict_step

std::string prediction_table(const Workload& w, const Link& link, const std::vector<StepPrediction>& rows) {
  std::string out = fmt::format("{} at {:g} Gb/s ({:.1f} MB of gradients, {} tokens a rank a step):\n", w.name, link.gbps,
                                w.gradient_bytes() / 1e6, w.tokens_per_rank);
  out += "  nodes   compute ms   all-reduce ms   step ms      tokens/s   efficiency\n";
  for (const StepPrediction& p : rows)
    out += fmt::format("  {:>5} {:>12.1f} {:>15.1f} {:>9.1f} {:>13.0f} {:>11.1f}%\n", p.nodes, 1e3 * p.compute_seconds,
                       1e3 * p.allreduce_seconds, 1e3 * p.step_seconds, p.tokens_per_second, 100 * p.efficiency);
  return out;
}

double measure_training_flops(const GptConfig& config, int batch, int steps) {
  Gpt model(config);
  Rng rng(11);
  model.init_weights(rng);
  const int T = config.context_length;
  TokenIds inputs(size_t(batch) * T), targets(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    inputs[i] = token_id(int64_t(rng.below(uint64_t(config.vocab_size))));
    targets[i] = token_id(int64_t(rng.below(uint64_t(config.vocab_size))));
  }
  auto step = [&] {
    model.zero_grad();
    model.forward(inputs, targets, batch, T);
    model.backward();
  };
  step();  // warm-up: allocation, first touch of the buffers
  const auto start = std::chrono::steady_clock::now();
  for (int s = 0; s < steps; ++s) step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return double(steps) * double(inputs.size()) * gpt_training_flops_per_token(config, T) / seconds;
}

}  // namespace minillm::dist
