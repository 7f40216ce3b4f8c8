#pragma once
// What a GPT will allocate, computed from its config before anything is allocated, so a config that
// cannot fit (a flag typed with one zero too many, a damaged state.json) is refused in one line with the
// numbers instead of ending in std::bad_alloc. All sizes are bytes, in double: a config of absurd size
// gives an absurd number, never an integer overflow.
#include <string>

#include "gpt/gpt.hpp"

namespace minillm {

// Each part is counted from the tensor tables the arenas are made from (nn/block.hpp, gpt/gpt.hpp), so it
// is what the model allocates, to the float (tests/unit/gpt/test_memory_estimate.cpp checks it).
struct GptMemoryEstimate {
  double parameters = 0;   // params: gpt_parameter_count floats
  double gradients = 0;    // grads: one float per parameter
  double optimizer = 0;    // AdamW: m and v, one float each per parameter
  double activations = 0;  // acts + dacts of a forward and backward over B x T tokens (Gpt::activation_floats)
  double corpus = 0;       // training only: the tokenized text's training and validation split
  double process = 0;      // training only: what the process holds already (program, libraries, tokenizer, text)
  // LoRA (gpt/lora.hpp): the frozen model's weights have no gradients, m or v, so `gradients` and `optimizer`
  // are the adapters' only (and `parameters` includes them); lora_saving is what training every weight
  // would hold on top (the gradients, m and v of the frozen weights, less the adapters').
  double lora_saving = 0;
  double training_total() const { return parameters + gradients + optimizer + activations + corpus + process; }
};

// B = batch, T = tokens per sequence (<= context_length). The model's part only (corpus and process 0).
// lora_rank > 0: the model frozen, with rank-R adapters trained (gpt/lora.hpp).
GptMemoryEstimate estimate_gpt_memory(const GptConfig& config, int64_t B, int64_t T, int lora_rank = 0);

// What a training run will hold at its peak, asked just after tokenizing: the model's part, its corpus of
// corpus_tokens ids, and the process's resident memory now. Nothing else grows with the model: the NaN
// guard keeps no copy, and a checkpoint save streams the buffers (no copy either).
GptMemoryEstimate estimate_training_memory(const GptConfig& config, int64_t B, int64_t T, int64_t corpus_tokens,
                                           int lora_rank = 0);

// Error unless a Gpt of this config (parameters and gradients) fits in the machine's memory.
void require_gpt_fits_in_memory(const GptConfig& config);

// The sentence a training run prints before allocating: "Memory: 498 MB of parameters, 2.0 GB with gradients
// and AdamW's state, 13 GB in all to train on batches of 4 x 1024 tokens (activations 10 GB, the tokenized
// text 1.2 MB, the program itself 60 MB); 22 GB available (of 24 GB)."
std::string training_memory_sentence(const GptMemoryEstimate& estimate, int64_t B, int64_t T);

// Error unless training (the estimate's total) fits; the message gives the parameters alone, with gradients
// and AdamW, and in all. The config form estimates the model's part only.
void require_training_fits_in_memory(const GptMemoryEstimate& estimate, int64_t B, int64_t T);
void require_training_fits_in_memory(const GptConfig& config, int64_t B, int64_t T);

}  // namespace minillm
