#pragma once
// GPT-2, exactly: token + learned position embeddings, L pre-LayerNorm transformer blocks, a final
// LayerNorm, and an output head tied to the token embedding (logits = ln_f(x) · wteᵀ).
//
// Following llm.c, the model is three flat buffers viewed through named tensors:
//   params  every weight, names and shapes as Hugging Face's GPT-2 ("wte", "h.0.attn.c_attn.weight", ...),
//           except that linear weights are stored [out, in] like torch.nn.Linear (HF's Conv1D stores the
//           transpose; nanoGPT transposes when it imports HF weights, and so would we)
//   grads   the same names and shapes, one gradient per parameter
//   acts    every activation the backward pass needs, sized from (B, T) on the first forward
// One block, for x[B,T,C]:
//   x = x + attn.c_proj(attention(attn.c_attn(ln_1(x))))
//   x = x + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))
#include <cstdint>
#include <span>
#include <string>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "core/token_id.hpp"

namespace minillm {

struct GptConfig {
  int vocab_size = 4096;      // V
  int context_length = 128;   // maxT: rows of wpe
  int n_layer = 4;            // L
  int n_head = 4;             // NH
  int n_embd = 256;           // C

  void validate() const;      // Error saying which field is wrong (e.g. C not divisible by NH)
  bool operator==(const GptConfig&) const = default;
};

// Number of parameters (tied head counted once): V*C + maxT*C + L*(12*C*C + 13*C) + 2*C.
int64_t gpt_parameter_count(const GptConfig& config);

// Training FLOPs per token, forward + backward: 6N for the weights plus 12*L*C*T for attention's
// Q·Kᵀ and att·V (PaLM's appendix B estimate).
double gpt_training_flops_per_token(const GptConfig& config, int T);

// A model to train has gradients and backward scratch; one that only generates or scores text does not
// need them (a third of the memory of the parameters' size, and the backward activations).
enum class GptForm { trainable, inference_only };

class Gpt {
 public:
  explicit Gpt(const GptConfig& config, GptForm form = GptForm::trainable);

  // GPT-2's initialisation: weights N(0, 0.02), the residual projections (attn.c_proj, mlp.c_proj)
  // N(0, 0.02/sqrt(2L)) so the residual stream does not grow with depth, biases 0, LayerNorm weight 1.
  void init_weights(Rng& rng);

  // Runs the model on inputs[B*T]; fills the logits. With targets (B*T ids), also the per-position losses
  // and returns their mean; without, returns -1. T must be <= context_length.
  float forward(std::span<const TokenId> inputs, std::span<const TokenId> targets, int B, int T);
  float forward(std::span<const TokenId> inputs, int B, int T) { return forward(inputs, {}, B, T); }

  // Training only (an Error on an inference_only model):
  void zero_grad();
  // ACCUMULATES into grads the gradient of the mean loss of the last forward (which needed targets).
  void backward();
  TensorArena& grads();

  const GptConfig& config() const { return config_; }
  GptForm form() const { return form_; }
  TensorArena& params() { return params_; }
  const TensorArena& params() const { return params_; }
  // logits[B,T,V] of the last forward; losses[B,T] of the last forward with targets.
  const float* logits() const;
  const float* losses() const;
  // Floats of the activation buffers allocated by the last forward (and backward scratch, when trainable):
  // what gpt/memory_estimate.hpp's formula must match.
  size_t activation_floats() const { return acts_.size() + dacts_.size(); }

 private:
  void allocate_activations(int B, int T);

  void require_trainable(const char* what) const;

  GptConfig config_;
  GptForm form_ = GptForm::trainable;
  TensorArena params_, grads_;  // grads_ stays empty in an inference_only model
  TensorArena acts_, dacts_;  // dacts_: gradients of the activations (scratch for backward; trainable only)
  int B_ = 0, T_ = 0;
  TokenIds inputs_, targets_;
  bool have_targets_ = false;
};

// Names of the per-layer tensors, e.g. layer_name(2, "attn.c_attn.weight") == "h.2.attn.c_attn.weight".
std::string layer_name(int layer, const std::string& name);

}  // namespace minillm
