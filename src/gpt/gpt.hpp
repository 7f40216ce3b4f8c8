#pragma once
// GPT-2, exactly: token + learned position embeddings, L pre-LayerNorm transformer blocks, a final
// LayerNorm, and an output head tied to the token embedding (logits = ln_f(x) · wteᵀ).
//
// Following llm.c, the model is a few flat buffers (TensorArena) viewed through named tensors, and structs of
// pointers into them looked up once, when a buffer is allocated (GptWeights, GptActivations):
//   params  every weight, names and shapes as Hugging Face's GPT-2 ("wte", "h.0.attn.c_attn.weight", ...),
//           except that linear weights are stored [out, in] like torch.nn.Linear (HF's Conv1D stores the
//           transpose; nanoGPT transposes when it imports HF weights, and so would we)
//   grads   the same names and shapes, one gradient per parameter
//   acts    every activation the backward pass needs, sized from (B, T) on the first forward
//   dacts   the gradients of the activations: scratch for backward
// One block, for x[B,T,C]:
//   x = x + attn.c_proj(attention(attn.c_attn(ln_1(x))))
//   x = x + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "core/token_id.hpp"
#include "io/config_fields.hpp"
#include "nn/block.hpp"

namespace minillm {

// The model's shape, one row per setting: type, name (= JSON key), default, `minillm train` flag, range, help
// (io/config_fields.hpp). On disk it is config.json's GPT2Config keys (gpt/model_files.hpp).
#define MINILLM_GPT_CONFIG(X)                                                                                  \
  X(int, vocab_size, 4096, "", at_least(2), "V: token ids the model knows (training takes it from the tokenizer)") \
  X(int, context_length, 128, "--context", greater_than(0), "tokens per sequence, the rows of wpe (maxT)")   \
  X(int, n_layer, 4, "--layers", greater_than(0), "transformer blocks (L)")                                 \
  X(int, n_head, 4, "--heads", greater_than(0), "attention heads (NH)")                                     \
  X(int, n_embd, 256, "--width", greater_than(0), "embedding width C, a multiple of the heads")

struct GptConfig {
  using Self = GptConfig;
  MINILLM_GPT_CONFIG(MINILLM_CONFIG_MEMBER)

  static std::vector<ConfigField<Self>> fields() { return {MINILLM_GPT_CONFIG(MINILLM_CONFIG_FIELD)}; }
  void validate() const;  // Error saying which field is wrong (e.g. C not divisible by NH)
  bool operator==(const GptConfig&) const = default;
};

// Number of parameters (tied head counted once): V*C + maxT*C + L*(12*C*C + 13*C) + 2*C.
int64_t gpt_parameter_count(const GptConfig& config);

// Training FLOPs per token, forward + backward: 6N for the weights plus 12*L*C*T for attention's
// Q·Kᵀ and att·V (PaLM's appendix B estimate).
double gpt_training_flops_per_token(const GptConfig& config, int T);

// The model's tensor tables beside the blocks' (nn/block.hpp), declared once: member, name, shape (in V,
// maxT, C; and N = B*T for activations). In the parameter buffer the blocks ("h.0." .. "h.{L-1}.") sit
// between the embeddings and ln_f. On disk (Hugging Face) wte and wpe are "wte.weight" and "wpe.weight".
#define MINILLM_GPT_EMBEDDINGS(X)                                                     \
  X(wte, "wte", (Shape{V, C}))           /* token embeddings, also the output head */ \
  X(wpe, "wpe", (Shape{maxT, C}))        /* position embeddings */
#define MINILLM_GPT_FINAL_NORM(X)                                                     \
  X(ln_f_weight, "ln_f.weight", (Shape{C}))                                           \
  X(ln_f_bias, "ln_f.bias", (Shape{C}))
#define MINILLM_GPT_ACTIVATIONS(X)                                                    \
  X(encoded, (Shape{N, C}))              /* wte[id] + wpe[t], the residual stream's start */ \
  X(ln_f, (Shape{N, C}))                                                              \
  X(ln_f_mean, (Shape{N}))                                                            \
  X(ln_f_rstd, (Shape{N}))                                                            \
  X(logits, (Shape{N, V}))                                                            \
  X(probs, (Shape{N, V}))                                                             \
  X(losses, (Shape{N}))
// Backward handles one block at a time, so one block's activation gradients (prefix "block.") serve all
// L blocks; only the residual stream's gradient travels between them.
#define MINILLM_GPT_ACTIVATION_GRADS(X)                                               \
  X(dres_out, (Shape{N, C}))             /* gradient of the current block's output */ \
  X(dres_in, (Shape{N, C}))              /* gradient of its input */                  \
  X(dln_f, (Shape{N, C}))                                                             \
  X(dlogits, (Shape{N, V}))                                                           \
  X(dlosses, (Shape{N}))

// Pointers into the parameter buffer (or the gradient buffer: same layout), like llm.c's ParameterTensors.
struct GptWeights {
  MINILLM_GPT_EMBEDDINGS(MINILLM_POINTER_MEMBER)
  std::vector<BlockParams> blocks;  // L blocks: "h.<l>.*"
  MINILLM_GPT_FINAL_NORM(MINILLM_POINTER_MEMBER)
};

// Pointers into the activation buffer, N = B*T.
struct GptActivations {
  MINILLM_GPT_ACTIVATIONS(MINILLM_POINTER_MEMBER)
  std::vector<BlockActs> blocks;  // L blocks
};

// Pointers into the backward scratch buffer.
struct GptActivationGrads {
  BlockActs block{};
  MINILLM_GPT_ACTIVATION_GRADS(MINILLM_POINTER_MEMBER)
};

// The tables as rows: every parameter in memory order (with `layers` blocks: pass config.n_layer for the
// model, 0 for the rows outside the blocks); the activations outside the blocks; the backward scratch
// outside its one block.
std::vector<TensorSpec> gpt_parameter_table(const GptConfig& config, int layers);
std::vector<TensorSpec> gpt_activation_table(const GptConfig& config, int B, int T);
std::vector<TensorSpec> gpt_activation_grad_table(const GptConfig& config, int B, int T);

// "h.2." for layer 2: the prefix of a block's tensors, Hugging Face's names (layer_prefix(2) + "ln_1.weight").
std::string layer_prefix(int layer);

// A model to train has gradients and backward scratch; one that only generates or scores text does not
// need them (a third of the memory of the parameters' size, and the backward activations). A frozen model
// has the backward scratch but no gradients of its own: backward() carries the gradient down through it to
// what is trained on it (LoRA adapters, gpt/lora.hpp), and its weights get no gradient and no AdamW state.
enum class GptForm { trainable, frozen, inference_only };

class LoraAdapters;

class Gpt {
 public:
  explicit Gpt(const GptConfig& config, GptForm form = GptForm::trainable);
  Gpt(Gpt&&) noexcept;  // the buffers move, so the pointers into them stay valid
  Gpt& operator=(Gpt&&) noexcept;
  Gpt(const Gpt&) = delete;  // a copy's pointers would point into the original
  ~Gpt();

  // GPT-2's initialisation: weights N(0, 0.02), the residual projections (attn.c_proj, mlp.c_proj)
  // N(0, 0.02/sqrt(2L)) so the residual stream does not grow with depth, biases 0, LayerNorm weight 1.
  void init_weights(Rng& rng);

  // Runs the model on inputs[B*T]; fills the logits. With targets (B*T ids), also the per-position losses
  // and returns their mean; without, returns -1. T must be <= context_length.
  float forward(std::span<const TokenId> inputs, std::span<const TokenId> targets, int B, int T);
  float forward(std::span<const TokenId> inputs, int B, int T) { return forward(inputs, {}, B, T); }
  // Runs the model up to the final LayerNorm and stops: final_hidden() is filled, the logits are not (a
  // classifier reads ln_f's rows, and the V-wide head would be a fifth of the work for nothing).
  void forward_hidden(std::span<const TokenId> inputs, int B, int T);

  // LoRA (chapter 09, gpt/lora.hpp): adapters on every block's linear layers, which forward and backward then
  // run through. Only a model without gradients of its own takes them (frozen, or inference_only to run).
  void attach_lora(std::unique_ptr<LoraAdapters> adapters);
  LoraAdapters* lora() { return lora_.get(); }
  const LoraAdapters* lora() const { return lora_.get(); }
  // Folds the adapters into the weights (W += (alpha/R)·B·A) and drops them: an ordinary model again.
  void merge_lora();

  // Training only (an Error on an inference_only model):
  void zero_grad();
  // ACCUMULATES into grads the gradient of the mean loss of the last forward (which needed targets).
  void backward();
  // ACCUMULATES into grads the gradient of a loss of final_hidden() (of the last forward, with or without
  // targets), given dhidden[B,T,C] = dloss/d final_hidden: back through ln_f and blocks L-1 .. first_layer.
  // The blocks below first_layer and the embeddings get no gradient (a classifier that trains only its top
  // blocks stops there); first_layer = 0 goes on into wte and wpe, first_layer = L adds nothing (ln_f is
  // trained with the top block or not at all). Needs 0 <= first_layer <= L.
  void backward_from_hidden(const float* dhidden, int first_layer);
  // A hook backward() calls as each part's gradients become final, so a caller can use them while the rest
  // of the backward runs (data-parallel training can start averaging a layer's gradients early): with
  // layer = L-1, ..., 0 as block `layer`'s are complete, then once with kEmbeddingsAndFinalNorm (wte, wpe
  // and ln_f: wte's gradient comes from both the head and the input embedding, so it is final only at the end).
  static constexpr int kEmbeddingsAndFinalNorm = -1;
  void on_gradients_ready(std::function<void(int layer)> hook) { gradients_ready_ = std::move(hook); }
  TensorArena& grads();
  // What an optimizer step updates: the adapters' parameters and gradients when the model has them, else the
  // model's own (an Error for a frozen model without adapters).
  TensorArena& trainable_params();
  TensorArena& trainable_grads();

  const GptConfig& config() const { return config_; }
  GptForm form() const { return form_; }
  // Every parameter by name ("wte", "h.0.ln_1.weight", ...), in one buffer.
  TensorArena& params() { return param_arena_; }
  const TensorArena& params() const { return param_arena_; }
  // The parameters' pointers, resolved once (for code that runs the layers itself, like the KV-cache
  // decoder). Through a const Gpt they are for reading: the layers take them as const float*.
  const GptWeights& weights() const { return params_; }
  // logits[B,T,V] of the last forward; losses[B,T] of the last forward with targets.
  const float* logits() const;
  const float* losses() const;
  // ln_f[B,T,C] of the last forward: the final LayerNorm's output, what the head turns into logits. Each row
  // is the model's summary of the text up to that token (GPT-state search pools them, src/search).
  const float* final_hidden() const;
  // Floats of the activation buffers allocated by the last forward (and backward scratch, when trainable):
  // what gpt/memory_estimate.hpp's formula must match.
  size_t activation_floats() const;

 private:
  void allocate_activations(int B, int T);
  void require_trainable(const char* what) const;
  BlockRoutes block_routes(int layer) const;  // the adapters' linear slot, or the kernel table's

  GptConfig config_;
  GptForm form_ = GptForm::trainable;
  TensorArena param_arena_, grad_arena_;  // grad_arena_ stays empty in an inference_only model
  TensorArena act_arena_, dact_arena_;    // dact_arena_: backward scratch (trainable only)
  GptWeights params_, grads_;
  GptActivations acts_;
  GptActivationGrads dacts_;
  int B_ = 0, T_ = 0;
  TokenIds inputs_, targets_;
  bool have_targets_ = false;
  std::function<void(int)> gradients_ready_;
  std::unique_ptr<LoraAdapters> lora_;
};

}  // namespace minillm
