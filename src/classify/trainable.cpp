#include "classify/trainable.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "gpt/lora.hpp"

namespace minillm {

int first_trained_layer(const GptConfig& config, int unfreeze) {
  require(unfreeze >= 0, "--unfreeze {}: give 0 (the head alone) or more blocks", unfreeze);
  return std::max(0, config.n_layer - unfreeze);  // more than the model has: all of them
}

// lesson: trainable_tensors
std::vector<TrainableTensor> trainable_tensors(Classifier& classifier, int unfreeze) {
  const int first = first_trained_layer(classifier.backbone().config(), unfreeze);
  std::vector<TrainableTensor> out;
  for (const auto& e : classifier.head().entries())
    out.push_back({e.name, e.shape, classifier.head()[e.name].data, classifier.head_grads()[e.name].data});
  Gpt& gpt = classifier.backbone();
  if (LoraAdapters* lora = gpt.lora()) {  // LoRA: the adapters beside the frozen GPT (gpt/lora.hpp)
    for (const auto& e : lora->params().entries())
      out.push_back({e.name, e.shape, lora->params()[e.name].data, lora->grads()[e.name].data});
    return out;
  }
  if (unfreeze == 0) return out;
  for (const auto& e : gpt.params().entries()) {
    bool trained = e.name.starts_with("ln_f.");
    for (int l = first; l < gpt.config().n_layer; ++l) trained = trained || e.name.starts_with(layer_prefix(l));
    if (trained) out.push_back({e.name, e.shape, gpt.params()[e.name].data, gpt.grads()[e.name].data});
  }
  return out;
}
// end lesson: trainable_tensors

TrainableSet::TrainableSet(std::vector<TrainableTensor> tensors) : tensors_(std::move(tensors)) {
  for (TensorArena* arena : {&values_, &grads_}) {
    for (const TrainableTensor& t : tensors_) arena->add(t.name, t.shape);
    arena->allocate();
  }
  for (const TrainableTensor& t : tensors_) std::copy_n(t.value, t.shape.numel(), values_[t.name].data);
}

void TrainableSet::zero_model_grads() {
  for (const TrainableTensor& t : tensors_) std::fill_n(t.grad, t.shape.numel(), 0.0f);
}

void TrainableSet::gather_grads() {
  for (const TrainableTensor& t : tensors_) std::copy_n(t.grad, t.shape.numel(), grads_[t.name].data);
}

void TrainableSet::scatter_values() {
  for (const TrainableTensor& t : tensors_) std::copy_n(values_[t.name].data, t.shape.numel(), t.value);
}

}  // namespace minillm
