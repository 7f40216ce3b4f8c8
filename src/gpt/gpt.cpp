#include "gpt/gpt.hpp"

#include <cmath>
#include <algorithm>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "core/memory.hpp"
#include "gpt/lora.hpp"
#include "gpt/memory_estimate.hpp"
#include "nn/cross_entropy.hpp"
#include "nn/embedding.hpp"
#include "nn/layernorm.hpp"
#include "nn/kernels.hpp"

namespace minillm {

void GptConfig::validate() const {
  check_field_ranges(*this, "GPT config");
  require(n_embd % n_head == 0,
          "GPT config: n_embd ({}) must be a positive multiple of n_head ({}) so every head gets n_embd/n_head channels",
          n_embd, n_head);
}

int64_t gpt_parameter_count(const GptConfig& c) {
  const int64_t C = c.n_embd;
  return int64_t{c.vocab_size} * C + int64_t{c.context_length} * C + c.n_layer * (12 * C * C + 13 * C) + 2 * C;
}

double gpt_training_flops_per_token(const GptConfig& c, int T) {
  return 6.0 * double(gpt_parameter_count(c)) + 12.0 * c.n_layer * c.n_embd * double(T);
}

std::string layer_prefix(int layer) { return "h." + std::to_string(layer) + "."; }

std::vector<TensorSpec> gpt_parameter_table(const GptConfig& c, int layers) {
  const int64_t V = c.vocab_size, maxT = c.context_length, C = c.n_embd;
#define MINILLM_ROW(member, name, shape) TensorSpec{name, shape},
  std::vector<TensorSpec> table{MINILLM_GPT_EMBEDDINGS(MINILLM_ROW)};
  for (int l = 0; l < layers; ++l)
    for (TensorSpec row : block_parameter_table(c.n_embd)) {
      row.name = layer_prefix(l) + row.name;
      table.push_back(std::move(row));
    }
  for (TensorSpec row : {MINILLM_GPT_FINAL_NORM(MINILLM_ROW)}) table.push_back(std::move(row));
#undef MINILLM_ROW
  return table;
}

std::vector<TensorSpec> gpt_activation_table(const GptConfig& c, int B, int T) {
  const int64_t V = c.vocab_size, C = c.n_embd, N = int64_t{B} * T;
#define MINILLM_ROW(member, shape) TensorSpec{#member, shape},
  return {MINILLM_GPT_ACTIVATIONS(MINILLM_ROW)};
}

std::vector<TensorSpec> gpt_activation_grad_table(const GptConfig& c, int B, int T) {
  const int64_t V = c.vocab_size, C = c.n_embd, N = int64_t{B} * T;
  return {MINILLM_GPT_ACTIVATION_GRADS(MINILLM_ROW)};
#undef MINILLM_ROW
}

namespace {

void add_parameters(TensorArena& arena, const GptConfig& c) {
  add_tensors(arena, gpt_parameter_table(c, c.n_layer));
  arena.allocate();
}

GptWeights weight_pointers(TensorArena& arena, int n_layer) {
#define MINILLM_LOOKUP(member, name, shape) w.member = arena[name].data;
  GptWeights w;
  MINILLM_GPT_EMBEDDINGS(MINILLM_LOOKUP)
  MINILLM_GPT_FINAL_NORM(MINILLM_LOOKUP)
#undef MINILLM_LOOKUP
  for (int l = 0; l < n_layer; ++l) w.blocks.push_back(block_params(arena, layer_prefix(l)));
  return w;
}

}  // namespace

Gpt::Gpt(const GptConfig& config, GptForm form) : config_(config), form_(form) {
  config_.validate();
  require_gpt_fits_in_memory(config_);  // before allocating: a refusal with numbers, not std::bad_alloc
  add_parameters(param_arena_, config_);
  params_ = weight_pointers(param_arena_, config_.n_layer);
  grads_.blocks.resize(static_cast<size_t>(config_.n_layer));  // all nullptr: no gradients (frozen)
  if (form_ != GptForm::trainable) return;
  add_parameters(grad_arena_, config_);
  grads_ = weight_pointers(grad_arena_, config_.n_layer);
}

Gpt::Gpt(Gpt&&) noexcept = default;
Gpt& Gpt::operator=(Gpt&&) noexcept = default;
Gpt::~Gpt() = default;

void Gpt::require_trainable(const char* what) const {
  require(form_ != GptForm::inference_only, "GPT {}: this model was loaded for inference only (no gradients); "
          "load it with GptForm::trainable to train it", what);
}

TensorArena& Gpt::grads() {
  require(form_ == GptForm::trainable, "GPT grads: this model has no gradients of its own ({}); load it with "
          "GptForm::trainable to train every weight", form_ == GptForm::frozen ? "frozen" : "inference only");
  return grad_arena_;
}

TensorArena& Gpt::trainable_params() {
  if (lora_) return lora_->params();
  grads();  // the same check: a model without gradients has nothing to update
  return param_arena_;
}

TensorArena& Gpt::trainable_grads() { return lora_ ? lora_->grads() : grads(); }

void Gpt::attach_lora(std::unique_ptr<LoraAdapters> adapters) {
  require(form_ != GptForm::trainable, "GPT attach_lora: LoRA trains adapters on a frozen model; this one has "
          "gradients for every weight (load it with GptForm::frozen)");
  lora_ = std::move(adapters);
  B_ = T_ = 0;  // the next forward allocates the adapters' activations too
}

void Gpt::merge_lora() {
  require(lora_ != nullptr, "GPT merge_lora: the model has no LoRA adapters");
  lora_->merge_into(*this);
  lora_.reset();
}

BlockRoutes Gpt::block_routes(int layer) const { return lora_ ? lora_->routes(layer) : BlockRoutes{}; }

size_t Gpt::activation_floats() const {
  return act_arena_.size() + dact_arena_.size() + (lora_ ? lora_->activation_floats() : 0);
}

// lesson: init_weights
void Gpt::init_weights(Rng& rng) {
  const float residual_std = 0.02f / std::sqrt(2.0f * static_cast<float>(config_.n_layer));
  for (const auto& entry : param_arena_.entries()) {
    TensorView t = param_arena_[entry.name];
    const std::string& n = entry.name;
    if (n.find("ln_") != std::string::npos) {
      t.fill(n.ends_with(".weight") ? 1.0f : 0.0f);
    } else if (entry.shape.rank() == 1) {
      t.zero();  // biases
    } else if (n.find("c_proj.weight") != std::string::npos) {
      rng.fill_normal(t.span(), 0.0f, residual_std);
    } else {
      rng.fill_normal(t.span(), 0.0f, 0.02f);  // wte, wpe, c_attn, c_fc
    }
  }
}
// end lesson: init_weights

void Gpt::allocate_activations(int B, int T) {
  require_memory(estimate_gpt_memory(config_, B, T).activations,
                 fmt::format("running the model on {} x {} tokens", B, T), "use a smaller batch");
  const BlockShape shape{B, T, config_.n_embd, config_.n_head};
  TensorArena acts;
  add_tensors(acts, gpt_activation_table(config_, B, T));
  for (int l = 0; l < config_.n_layer; ++l) add_block_acts(acts, layer_prefix(l), shape);
  acts.allocate();
  act_arena_ = std::move(acts);
  acts_ = GptActivations{};
#define MINILLM_LOOKUP(member, shape) acts_.member = act_arena_[#member].data;
  MINILLM_GPT_ACTIVATIONS(MINILLM_LOOKUP)
#undef MINILLM_LOOKUP
  for (int l = 0; l < config_.n_layer; ++l) acts_.blocks.push_back(block_acts(act_arena_, layer_prefix(l)));
  if (lora_) lora_->allocate_activations(B, T);
  B_ = B;
  T_ = T;
  if (form_ == GptForm::inference_only) return;

  TensorArena dacts;
  add_block_acts(dacts, "block.", shape);
  add_tensors(dacts, gpt_activation_grad_table(config_, B, T));
  dacts.allocate();
  dact_arena_ = std::move(dacts);
  dacts_ = GptActivationGrads{.block = block_acts(dact_arena_, "block.")};
#define MINILLM_GRAD_LOOKUP(member, shape) dacts_.member = dact_arena_[#member].data;
  MINILLM_GPT_ACTIVATION_GRADS(MINILLM_GRAD_LOOKUP)
#undef MINILLM_GRAD_LOOKUP
}

const float* Gpt::logits() const {
  require(B_ > 0, "Gpt::logits: run forward first");
  return acts_.logits;
}

const float* Gpt::final_hidden() const {
  require(B_ > 0, "Gpt::final_hidden: run forward first");
  return acts_.ln_f;
}

const float* Gpt::losses() const {
  require(have_targets_, "Gpt::losses: the last forward had no targets");
  return acts_.losses;
}

// lesson: gpt_forward
float Gpt::forward(std::span<const TokenId> inputs, std::span<const TokenId> targets, int B, int T) {
  const int C = config_.n_embd, V = config_.vocab_size;
  require(B >= 1 && T >= 1, "GPT forward: batch {} and sequence length {} must be at least 1", B, T);
  require(T <= config_.context_length,
          "GPT forward: sequence length {} is longer than the model's context_length {}; crop the input", T,
          config_.context_length);
  require(static_cast<int64_t>(inputs.size()) == int64_t{B} * T, "GPT forward: {} inputs for B*T = {}*{}",
          inputs.size(), B, T);
  require(targets.empty() || targets.size() == inputs.size(), "GPT forward: {} targets for {} inputs",
          targets.size(), inputs.size());
  if (B != B_ || T != T_) allocate_activations(B, T);
  inputs_.assign(inputs.begin(), inputs.end());
  targets_.assign(targets.begin(), targets.end());
  have_targets_ = !targets.empty();
  const int N = B * T;
  const GptWeights& p = params_;
  const GptActivations& a = acts_;

  const BlockShape shape{B, T, C, config_.n_head};
  const Kernels& k = kernels();
  float* x = a.encoded;  // the residual stream [N,C]
  token_position_forward(x, inputs, p.wte, p.wpe, B, T, C, V);
  for (int l = 0; l < config_.n_layer; ++l) {
    block_forward(a.blocks[l], x, p.blocks[l], shape, block_routes(l));
    x = a.blocks[l].out;
  }
  k.layernorm_forward(a.ln_f, a.ln_f_mean, a.ln_f_rstd, x, p.ln_f_weight, p.ln_f_bias, N, C);
  // The tied head: logits[N,V] = ln_f[N,C] · wte[V,C]ᵀ, one big gemm.
  k.linear_forward(a.logits, a.ln_f, p.wte, nullptr, N, C, V);
  if (!have_targets_) return -1.0f;

  k.cross_entropy_forward(a.losses, a.probs, a.logits, targets, N, V);
  double sum = 0.0;
  for (int n = 0; n < N; ++n) sum += a.losses[n];
  return static_cast<float>(sum / N);
}
// end lesson: gpt_forward

void Gpt::forward_hidden(std::span<const TokenId> inputs, int B, int T) {
  require(B >= 1 && T >= 1 && T <= config_.context_length && static_cast<int64_t>(inputs.size()) == int64_t{B} * T,
          "GPT forward_hidden: {} inputs for B*T = {}*{} (T at most the context {})", inputs.size(), B, T,
          config_.context_length);
  if (B != B_ || T != T_) allocate_activations(B, T);
  inputs_.assign(inputs.begin(), inputs.end());
  targets_.clear();
  have_targets_ = false;
  const BlockShape shape{B, T, config_.n_embd, config_.n_head};
  const GptActivations& a = acts_;
  float* x = a.encoded;
  token_position_forward(x, inputs, params_.wte, params_.wpe, B, T, config_.n_embd, config_.vocab_size);
  for (int l = 0; l < config_.n_layer; ++l) {
    block_forward(a.blocks[l], x, params_.blocks[l], shape, block_routes(l));
    x = a.blocks[l].out;
  }
  kernels().layernorm_forward(a.ln_f, a.ln_f_mean, a.ln_f_rstd, x, params_.ln_f_weight, params_.ln_f_bias, B * T,
                              config_.n_embd);
}

// backward() from dln_f on, stopping below block first_layer: the blocks under it need no gradient when
// they are frozen, and neither does anything they would pass it on to.
void Gpt::backward_from_hidden(const float* dhidden, int first_layer) {
  require_trainable("backward_from_hidden");
  require(B_ > 0, "GPT backward_from_hidden: run forward first");
  const int L = config_.n_layer, C = config_.n_embd;
  require(first_layer >= 0 && first_layer <= L, "GPT backward_from_hidden: first layer {} is not in 0..{}",
          first_layer, L);
  const size_t nc = static_cast<size_t>(B_) * static_cast<size_t>(T_) * static_cast<size_t>(C);
  const GptActivations& a = acts_;
  const GptActivationGrads& d = dacts_;
  if (first_layer == L) return;  // ln_f sits on the last block's output: trained with it, frozen with it
  std::fill_n(d.dres_out, nc, 0.0f);
  kernels().layernorm_backward(d.dres_out, grads_.ln_f_weight, grads_.ln_f_bias, dhidden, a.blocks[L - 1].out,
                               params_.ln_f_weight, a.ln_f_mean, a.ln_f_rstd, B_ * T_, C);
  float* dres_out = d.dres_out;
  float* dres_in = d.dres_in;
  const BlockShape shape{B_, T_, C, config_.n_head};
  for (int l = L - 1; l >= first_layer; --l) {
    const float* x = l == 0 ? a.encoded : a.blocks[l - 1].out;
    std::fill(dres_in, dres_in + nc, 0.0f);
    block_backward(dres_in, grads_.blocks[l], d.block, dres_out, x, params_.blocks[l], a.blocks[l], shape,
                   block_routes(l));
    std::swap(dres_in, dres_out);
  }
  if (first_layer == 0 && grads_.wte != nullptr)  // (a frozen model's embeddings get no gradient)
    token_position_backward(grads_.wte, grads_.wpe, inputs_, dres_out, B_, T_, C, config_.vocab_size);
}

void Gpt::zero_grad() {
  require_trainable("zero_grad");
  grad_arena_.zero();  // empty when frozen
  if (lora_) lora_->grads().zero();
}

// lesson: gpt_backward
void Gpt::backward() {
  require_trainable("backward");
  require(have_targets_, "GPT backward: the last forward had no targets, so there is no loss to differentiate");
  const int B = B_, T = T_, C = config_.n_embd, V = config_.vocab_size, L = config_.n_layer;
  const int N = B * T;
  const size_t nc = static_cast<size_t>(N) * static_cast<size_t>(C);
  const GptWeights &p = params_, &g = grads_;
  const GptActivations& a = acts_;
  const GptActivationGrads& d = dacts_;
  const Kernels& k = kernels();
  // Backward functions accumulate, so the gradients they add into start at zero. (The block scratch is
  // zeroed by block_backward itself, layer by layer.)
  std::fill_n(d.dlogits, static_cast<size_t>(N) * static_cast<size_t>(V), 0.0f);
  std::fill_n(d.dln_f, nc, 0.0f);
  std::fill_n(d.dres_out, nc, 0.0f);

  // The loss is the mean over N positions, so each position's loss has gradient 1/N.
  std::fill_n(d.dlosses, N, 1.0f / static_cast<float>(N));
  k.cross_entropy_backward(d.dlogits, d.dlosses, a.probs, targets_, N, V);

  // Tied head: wte receives gradient from the output (here) and from the input embedding (at the end).
  k.linear_backward(d.dln_f, g.wte, nullptr, d.dlogits, a.ln_f, p.wte, N, C, V);
  float* dres_out = d.dres_out;  // gradient of the current block's output
  float* dres_in = d.dres_in;    // gradient of its input
  k.layernorm_backward(dres_out, g.ln_f_weight, g.ln_f_bias, d.dln_f, a.blocks[L - 1].out, p.ln_f_weight,
                     a.ln_f_mean, a.ln_f_rstd, N, C);

  const BlockShape shape{B, T, C, config_.n_head};
  for (int l = L - 1; l >= 0; --l) {
    const float* x = l == 0 ? a.encoded : a.blocks[l - 1].out;
    std::fill(dres_in, dres_in + nc, 0.0f);
    block_backward(dres_in, g.blocks[l], d.block, dres_out, x, p.blocks[l], a.blocks[l], shape, block_routes(l));
    if (gradients_ready_) gradients_ready_(l);  // block l's gradients are final
    std::swap(dres_in, dres_out);  // this block's input is the previous block's output
  }
  if (g.wte != nullptr) token_position_backward(g.wte, g.wpe, inputs_, dres_out, B, T, C, V);  // (not frozen)
  if (gradients_ready_) gradients_ready_(kEmbeddingsAndFinalNorm);
}
// end lesson: gpt_backward

}  // namespace minillm
