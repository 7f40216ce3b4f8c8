#pragma once
// What a GPT will allocate, computed from its config before anything is allocated, so a config that
// cannot fit (a flag typed with one zero too many, a damaged state.json) is refused in one line with the
// numbers instead of ending in std::bad_alloc. All sizes are bytes, in double: a config of absurd size
// gives an absurd number, never an integer overflow.
#include <string>

#include "gpt/gpt.hpp"

namespace minillm {

struct GptMemoryEstimate {
  double parameters = 0;   // params: gpt_parameter_count floats
  double gradients = 0;    // grads: one float per parameter
  double optimizer = 0;    // AdamW: m, v and the per-float weight-decay factor, one float each per parameter
  double activations = 0;  // acts + dacts of a forward and backward over B x T tokens (Gpt::activation_floats)
  double training_total() const { return parameters + gradients + optimizer + activations; }
};

// B = batch, T = tokens per sequence (<= context_length).
GptMemoryEstimate estimate_gpt_memory(const GptConfig& config, int64_t B, int64_t T);

// Error unless a Gpt of this config (parameters and gradients) fits in the machine's memory.
void require_gpt_fits_in_memory(const GptConfig& config);

// The sentence a training run prints before allocating: "Memory: 498 MB of parameters, 2.5 GB with gradients
// and AdamW's state, 13 GB in all to train on batches of 4 x 1024 tokens; 22 GB available (of 24 GB)."
std::string training_memory_sentence(const GptConfig& config, int64_t B, int64_t T);

// Error unless training it (parameters, gradients, AdamW, activations of B x T) fits; the message gives the
// parameters alone, with gradients and AdamW, and with activations.
void require_training_fits_in_memory(const GptConfig& config, int64_t B, int64_t T);

}  // namespace minillm
