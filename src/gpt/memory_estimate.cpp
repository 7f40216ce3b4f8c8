#include "gpt/memory_estimate.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/memory.hpp"

namespace minillm {

namespace {
constexpr double kFloat = sizeof(float);

// gpt_parameter_count in double: V*C + maxT*C + L*(12*C*C + 13*C) + 2*C.
double parameter_floats(const GptConfig& c) {
  const double V = c.vocab_size, C = c.n_embd, maxT = c.context_length, L = c.n_layer;
  return V * C + maxT * C + L * (12 * C * C + 13 * C) + 2 * C;
}

// The arenas of Gpt::allocate_activations, counted: per block (add_block_acts) 18 [N,C] tensors, 4 [N] and
// two [B,NH,T,T] attention maps; the model adds the embedding output, ln_f, logits and probs, losses; the
// gradient scratch holds one block plus three [N,C], dlogits and dlosses.
double activation_floats(const GptConfig& c, double B, double T) {
  const double N = B * T, C = c.n_embd, V = c.vocab_size;
  const double block = 18 * N * C + 4 * N + 2 * B * c.n_head * T * T;
  const double acts = N * C + c.n_layer * block + (N * C + 2 * N) + 2 * N * V + N;
  const double dacts = block + 3 * N * C + N * V + N;
  return acts + dacts;
}
}  // namespace

GptMemoryEstimate estimate_gpt_memory(const GptConfig& config, int64_t B, int64_t T) {
  GptMemoryEstimate e;
  e.parameters = parameter_floats(config) * kFloat;
  e.gradients = e.parameters;
  e.optimizer = 3 * e.parameters;
  e.activations = activation_floats(config, static_cast<double>(B), static_cast<double>(T)) * kFloat;
  return e;
}

void require_gpt_fits_in_memory(const GptConfig& config) {
  const GptMemoryEstimate e = estimate_gpt_memory(config, 0, 0);
  const MachineMemory machine = machine_memory();
  if (e.parameters + e.gradients <= machine.available_bytes) return;
  fail("a GPT with {} layers, width {}, context {} and a vocabulary of {} needs {} for its parameters and {} with "
       "their gradients; this machine has {} available (of {}): choose fewer layers, a smaller width or a "
       "shorter context", config.n_layer, config.n_embd, config.context_length, config.vocab_size,
       format_bytes(e.parameters), format_bytes(e.parameters + e.gradients), format_bytes(machine.available_bytes),
       format_bytes(machine.total_bytes));
}

std::string training_memory_sentence(const GptConfig& config, int64_t B, int64_t T) {
  const GptMemoryEstimate e = estimate_gpt_memory(config, B, T);
  const MachineMemory machine = machine_memory();
  return fmt::format("Memory: {} of parameters, {} with gradients and AdamW's state, {} in all to train on batches "
                     "of {} x {} tokens; {} available (of {}).", format_bytes(e.parameters),
                     format_bytes(e.parameters + e.gradients + e.optimizer), format_bytes(e.training_total()), B, T,
                     format_bytes(machine.available_bytes), format_bytes(machine.total_bytes));
}

void require_training_fits_in_memory(const GptConfig& config, int64_t B, int64_t T) {
  const GptMemoryEstimate e = estimate_gpt_memory(config, B, T);
  const MachineMemory machine = machine_memory();
  if (e.training_total() <= machine.available_bytes) return;
  fail("this model needs {} for its parameters alone, {} with gradients and AdamW's state, and {} to train on "
       "batches of {} x {} tokens; this machine has {} available (of {}): choose a smaller --width, --layers, "
       "--context or --batch", format_bytes(e.parameters), format_bytes(e.parameters + e.gradients + e.optimizer),
       format_bytes(e.training_total()), B, T, format_bytes(machine.available_bytes), format_bytes(machine.total_bytes));
}

}  // namespace minillm
