#include "gpt/memory_estimate.hpp"

#include <fstream>
#include <initializer_list>

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "gpt/lora.hpp"

namespace minillm {

namespace {
constexpr double kFloat = sizeof(float);

// The tensor tables' rows (nn/block.hpp, gpt/gpt.hpp) counted in double. Inside these functions `Shape`
// stands for Floats, so each row's shape expression, (Shape{3 * C, C}) say, becomes the product of its
// dimensions in double: the same rows the arenas are made from, and a huge config gives a huge number
// instead of an integer overflow.
struct Floats {
  double n = 1;
  Floats(std::initializer_list<double> dims) {
    for (double d : dims) n *= d;
  }
};

double block_parameter_floats(double C) {
  using Shape = Floats;
  double sum = 0;
#define MINILLM_COUNT(member, name, shape, hf_transposed) sum += shape.n;
  MINILLM_BLOCK_PARAMETERS(MINILLM_COUNT)
#undef MINILLM_COUNT
  return sum;
}

double block_activation_floats(double B, double T, double C, double NH) {
  using Shape = Floats;
  const double N = B * T;
  double sum = 0;
#define MINILLM_COUNT(member, shape) sum += shape.n;
  MINILLM_BLOCK_ACTIVATIONS(MINILLM_COUNT)
  return sum;
}

double model_activation_floats(const GptConfig& c, double B, double T) {
  using Shape = Floats;
  const double N = B * T, C = c.n_embd, V = c.vocab_size;
  double sum = 0;
  MINILLM_GPT_ACTIVATIONS(MINILLM_COUNT)
  return sum;
}

double model_activation_grad_floats(const GptConfig& c, double B, double T) {
  using Shape = Floats;
  const double N = B * T, C = c.n_embd, V = c.vocab_size;
  double sum = 0;
  MINILLM_GPT_ACTIVATION_GRADS(MINILLM_COUNT)
#undef MINILLM_COUNT
  return sum;
}

double parameter_floats(const GptConfig& c) {
  using Shape = Floats;
  const double V = c.vocab_size, maxT = c.context_length, C = c.n_embd;
  double sum = c.n_layer * block_parameter_floats(C);
#define MINILLM_COUNT(member, name, shape) sum += shape.n;
  MINILLM_GPT_EMBEDDINGS(MINILLM_COUNT)
  MINILLM_GPT_FINAL_NORM(MINILLM_COUNT)
#undef MINILLM_COUNT
  return sum;
}

// Gpt::allocate_activations: the model's activations with L blocks', then the backward scratch (one block).
double activation_floats(const GptConfig& c, double B, double T, bool trainable) {
  if (B <= 0 || T <= 0) return 0;
  const double block = block_activation_floats(B, T, c.n_embd, c.n_head);
  const double acts = model_activation_floats(c, B, T) + c.n_layer * block;
  return trainable ? acts + block + model_activation_grad_floats(c, B, T) : acts;
}

// The process's resident memory now (/proc/self/statm's second field, in pages), 0 if unknown.
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<double>(::sysconf(_SC_PAGESIZE));
}
}  // namespace

// LoRA's adapters and their activations (gpt/lora.hpp's tables), in floats.
double lora_floats(const std::vector<TensorSpec>& table) {
  double sum = 0;
  for (const TensorSpec& row : table) sum += static_cast<double>(row.shape.numel());
  return sum;
}

GptMemoryEstimate estimate_gpt_memory(const GptConfig& config, int64_t B, int64_t T, int lora_rank) {
  GptMemoryEstimate e;
  e.parameters = parameter_floats(config) * kFloat;
  e.gradients = e.parameters;
  e.optimizer = 2 * e.parameters;
  e.activations = activation_floats(config, static_cast<double>(B), static_cast<double>(T), true) * kFloat;
  if (lora_rank <= 0) return e;
  const double adapters = lora_floats(lora_parameter_table(config, lora_rank)) * kFloat;
  e.lora_saving = 3 * (e.parameters - adapters);
  e.parameters += adapters;
  e.gradients = adapters;
  e.optimizer = 2 * adapters;
  if (B > 0 && T > 0)
    e.activations += lora_floats(lora_activation_table(config, lora_rank, static_cast<int>(B), static_cast<int>(T))) *
                     kFloat;
  return e;
}

GptMemoryEstimate estimate_training_memory(const GptConfig& config, int64_t B, int64_t T, int64_t corpus_tokens,
                                           int lora_rank) {
  GptMemoryEstimate e = estimate_gpt_memory(config, B, T, lora_rank);
  e.corpus = static_cast<double>(corpus_tokens) * sizeof(TokenId);
  e.process = resident_bytes();
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

std::string training_memory_sentence(const GptMemoryEstimate& e, int64_t B, int64_t T) {
  const MachineMemory machine = machine_memory();
  const std::string lora = e.lora_saving <= 0 ? std::string() : fmt::format(
      " LoRA: the frozen weights hold no gradients and no AdamW moments, {} less than training every weight.",
      format_bytes(e.lora_saving));
  return fmt::format("Memory: {} of parameters, {} with gradients and AdamW's state, {} in all to train on batches "
                     "of {} x {} tokens (activations {}, the tokenized text {}, the program itself {}); {} "
                     "available (of {}).", format_bytes(e.parameters),
                     format_bytes(e.parameters + e.gradients + e.optimizer), format_bytes(e.training_total()), B, T,
                     format_bytes(e.activations), format_bytes(e.corpus), format_bytes(e.process),
                     format_bytes(machine.available_bytes), format_bytes(machine.total_bytes)) + lora;
}

void require_training_fits_in_memory(const GptMemoryEstimate& e, int64_t B, int64_t T) {
  const MachineMemory machine = machine_memory();
  if (e.training_total() <= machine.available_bytes) return;
  fail("this model needs {} for its parameters alone, {} with gradients and AdamW's state, and {} to train on "
       "batches of {} x {} tokens; this machine has {} available (of {}): choose a smaller --width, --layers, "
       "--context or --batch", format_bytes(e.parameters), format_bytes(e.parameters + e.gradients + e.optimizer),
       format_bytes(e.training_total()), B, T, format_bytes(machine.available_bytes), format_bytes(machine.total_bytes));
}

void require_training_fits_in_memory(const GptConfig& config, int64_t B, int64_t T) {
  require_training_fits_in_memory(estimate_gpt_memory(config, B, T), B, T);
}

}  // namespace minillm
