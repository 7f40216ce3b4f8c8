#pragma once
// What a classifier trains, decided in ONE place (trainable_tensors): the head always; with `--unfreeze N`
// (N >= 1) also the last N blocks and ln_f, the final LayerNorm on top of them. The blocks below stay as
// pretraining left them, get no gradient (the backward stops above them) and no AdamW state. With LoRA
// adapters on the GPT (`--lora-rank`, gpt/lora.hpp) the head and the adapters, the whole GPT frozen.
//
// AdamW and gradient clipping work on an arena, so the trainable tensors are packed into one (TrainableSet):
// before a step the model's gradients are gathered into it, after the step its values are copied back.
// Copying N blocks each way costs far less than the step's forward and backward.
#include <cstdint>
#include <string>
#include <vector>

#include "classify/classifier.hpp"
#include "core/tensor.hpp"

namespace minillm {

struct TrainableTensor {
  std::string name;  // "head.weight", "h.3.attn.c_attn.weight", "ln_f.bias", ...
  Shape shape;
  float* value;      // in the model
  float* grad;       // the model's gradient of it
};

// The first block trained with --unfreeze N: L - N (L: the head alone; 0 when N >= L: every block).
int first_trained_layer(const GptConfig& config, int unfreeze);
std::vector<TrainableTensor> trainable_tensors(Classifier& classifier, int unfreeze);

class TrainableSet {
 public:
  explicit TrainableSet(std::vector<TrainableTensor> tensors);  // values() starts as the model's values

  void zero_model_grads();  // the model's gradients of the trainable tensors (backward accumulates into them)
  void gather_grads();   // the model's gradients -> grads()
  void scatter_values(); // values() -> the model
  TensorArena& values() { return values_; }
  TensorArena& grads() { return grads_; }
  int64_t count() const { return static_cast<int64_t>(values_.size()); }

 private:
  std::vector<TrainableTensor> tensors_;
  TensorArena values_, grads_;
};

}  // namespace minillm
