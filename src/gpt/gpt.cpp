#include "gpt/gpt.hpp"

#include <cmath>
#include <algorithm>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "core/memory.hpp"
#include "gpt/memory_estimate.hpp"
#include "nn/block.hpp"
#include "nn/cross_entropy.hpp"
#include "nn/embedding.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"

namespace minillm {

void GptConfig::validate() const {
  require(vocab_size >= 2, "GPT config: vocab_size must be at least 2, got {}", vocab_size);
  require(context_length >= 1, "GPT config: context_length must be at least 1, got {}", context_length);
  require(n_layer >= 1, "GPT config: n_layer must be at least 1, got {}", n_layer);
  require(n_head >= 1, "GPT config: n_head must be at least 1, got {}", n_head);
  require(n_embd >= 1 && n_embd % n_head == 0,
          "GPT config: n_embd ({}) must be a positive multiple of n_head ({}) so every head gets n_embd/n_head "
          "channels",
          n_embd, n_head);
}

int64_t gpt_parameter_count(const GptConfig& c) {
  const int64_t C = c.n_embd;
  return int64_t{c.vocab_size} * C + int64_t{c.context_length} * C + c.n_layer * (12 * C * C + 13 * C) + 2 * C;
}

double gpt_training_flops_per_token(const GptConfig& c, int T) {
  return 6.0 * double(gpt_parameter_count(c)) + 12.0 * c.n_layer * c.n_embd * double(T);
}

std::string layer_name(int layer, const std::string& name) { return "h." + std::to_string(layer) + "." + name; }

namespace {

// The parameter list, in memory order. Same list for params and grads.
void add_parameters(TensorArena& arena, const GptConfig& c) {
  const int64_t V = c.vocab_size, C = c.n_embd;
  arena.add("wte", {V, C});
  arena.add("wpe", {int64_t{c.context_length}, C});
  for (int l = 0; l < c.n_layer; ++l) add_block_params(arena, layer_name(l, ""), c.n_embd);
  arena.add("ln_f.weight", {C});
  arena.add("ln_f.bias", {C});
  arena.allocate();
}

}  // namespace

Gpt::Gpt(const GptConfig& config, GptForm form) : config_(config), form_(form) {
  config_.validate();
  require_gpt_fits_in_memory(config_);  // before allocating: a refusal with numbers, not std::bad_alloc
  add_parameters(params_, config_);
  if (form_ == GptForm::trainable) add_parameters(grads_, config_);
}

void Gpt::require_trainable(const char* what) const {
  require(form_ == GptForm::trainable, "GPT {}: this model was loaded for inference only (no gradients); load it "
          "with GptForm::trainable to train it", what);
}

TensorArena& Gpt::grads() {
  require_trainable("grads");
  return grads_;
}

void Gpt::init_weights(Rng& rng) {
  const float residual_std = 0.02f / std::sqrt(2.0f * static_cast<float>(config_.n_layer));
  for (const auto& entry : params_.entries()) {
    TensorView t = params_[entry.name];
    const std::string& n = entry.name;
    const bool ends_weight = n.size() > 7 && n.compare(n.size() - 7, 7, ".weight") == 0;
    if (n.find("ln_") != std::string::npos) {
      t.fill(ends_weight ? 1.0f : 0.0f);
    } else if (entry.shape.rank() == 1) {
      t.zero();  // biases
    } else if (n.find("c_proj.weight") != std::string::npos) {
      rng.fill_normal(t.span(), 0.0f, residual_std);
    } else {
      rng.fill_normal(t.span(), 0.0f, 0.02f);  // wte, wpe, c_attn, c_fc
    }
  }
}

void Gpt::allocate_activations(int B, int T) {
  const int64_t C = config_.n_embd, V = config_.vocab_size;
  const int64_t N = int64_t{B} * T;
  require_memory(estimate_gpt_memory(config_, B, T).activations,
                 fmt::format("running the model on {} x {} tokens", B, T), "use a smaller batch");
  const BlockShape shape{B, T, config_.n_embd, config_.n_head};
  TensorArena acts, dacts;
  acts.add("encoded", {N, C});
  for (int l = 0; l < config_.n_layer; ++l) add_block_acts(acts, layer_name(l, ""), shape);
  acts.add("ln_f", {N, C});
  acts.add("ln_f_mean", {N});
  acts.add("ln_f_rstd", {N});
  acts.add("logits", {N, V});
  acts.add("probs", {N, V});
  acts.add("losses", {N});
  acts.allocate();
  acts_ = std::move(acts);
  B_ = B;
  T_ = T;
  if (form_ == GptForm::inference_only) return;
  // Gradients of the activations. The backward pass handles one block at a time, so one block's worth of
  // scratch ("block.*") serves all L blocks; only the residual stream's gradient travels between them.
  add_block_acts(dacts, "block.", shape);
  for (const char* name : {"dres_out", "dres_in", "dln_f"}) dacts.add(name, {N, C});
  dacts.add("dlogits", {N, V});
  dacts.add("dlosses", {N});
  dacts.allocate();
  dacts_ = std::move(dacts);
}

const float* Gpt::logits() const {
  require(B_ > 0, "Gpt::logits: run forward first");
  return acts_["logits"].data;
}

const float* Gpt::losses() const {
  require(have_targets_, "Gpt::losses: the last forward had no targets");
  return acts_["losses"].data;
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

  const BlockShape shape{B, T, C, config_.n_head};
  float* x = acts_["encoded"].data;  // the residual stream [N,C]
  token_position_forward(x, inputs, params_["wte"].data, params_["wpe"].data, B, T, C, V);
  for (int l = 0; l < config_.n_layer; ++l) {
    const BlockActs acts = block_acts(acts_, layer_name(l, ""));
    block_forward(acts, x, block_params(params_, layer_name(l, "")), shape);
    x = acts.out;
  }
  float* ln_f = acts_["ln_f"].data;
  layernorm_forward(ln_f, acts_["ln_f_mean"].data, acts_["ln_f_rstd"].data, x, params_["ln_f.weight"].data,
                       params_["ln_f.bias"].data, N, C);
  // The tied head: logits[N,V] = ln_f[N,C] · wte[V,C]ᵀ, one big gemm.
  float* logits = acts_["logits"].data;
  linear_forward(logits, ln_f, params_["wte"].data, nullptr, N, C, V);
  if (!have_targets_) return -1.0f;

  float* losses = acts_["losses"].data;
  cross_entropy_forward(losses, acts_["probs"].data, logits, targets, N, V, V);
  double sum = 0.0;
  for (int n = 0; n < N; ++n) sum += losses[n];
  return static_cast<float>(sum / N);
}
// end lesson: gpt_forward

void Gpt::zero_grad() {
  require_trainable("zero_grad");
  grads_.zero();
}

// lesson: gpt_backward
void Gpt::backward() {
  require_trainable("backward");
  require(have_targets_, "GPT backward: the last forward had no targets, so there is no loss to differentiate");
  const int B = B_, T = T_, C = config_.n_embd, V = config_.vocab_size;
  const int N = B * T;
  // Backward functions accumulate, so the gradients they add into start at zero. (The block scratch is
  // zeroed by block_backward itself, layer by layer.)
  for (const char* name : {"dlogits", "dln_f", "dres_out"}) dacts_[name].zero();

  // The loss is the mean over N positions, so each position's loss has gradient 1/N.
  float* dlosses = dacts_["dlosses"].data;
  for (int n = 0; n < N; ++n) dlosses[n] = 1.0f / static_cast<float>(N);
  float* dlogits = dacts_["dlogits"].data;
  cross_entropy_backward(dlogits, dlosses, acts_["probs"].data, targets_, N, V, V);

  // Tied head: wte receives gradient from the output (here) and from the input embedding (at the end).
  float* dln_f = dacts_["dln_f"].data;
  linear_backward(dln_f, grads_["wte"].data, nullptr, dlogits, acts_["ln_f"].data, params_["wte"].data, N, C, V);
  float* dres_out = dacts_["dres_out"].data;  // gradient of the current block's output
  float* dres_in = dacts_["dres_in"].data;    // gradient of its input
  const float* last = block_acts(acts_, layer_name(config_.n_layer - 1, "")).out;
  layernorm_backward(dres_out, grads_["ln_f.weight"].data, grads_["ln_f.bias"].data, dln_f, last,
                     params_["ln_f.weight"].data, acts_["ln_f_mean"].data, acts_["ln_f_rstd"].data, N, C);

  const BlockShape shape{B, T, C, config_.n_head};
  const BlockActs scratch = block_acts(dacts_, "block.");
  const size_t nc = static_cast<size_t>(N) * static_cast<size_t>(C);
  for (int l = config_.n_layer - 1; l >= 0; --l) {
    const float* x = l == 0 ? acts_["encoded"].data : block_acts(acts_, layer_name(l - 1, "")).out;
    std::fill(dres_in, dres_in + nc, 0.0f);
    block_backward(dres_in, block_params(grads_, layer_name(l, "")), scratch, dres_out, x,
                   block_params(params_, layer_name(l, "")), block_acts(acts_, layer_name(l, "")), shape);
    std::swap(dres_in, dres_out);  // this block's input is the previous block's output
  }
  token_position_backward(grads_["wte"].data, grads_["wpe"].data, inputs_, dres_out, B, T, C, V);
}
// end lesson: gpt_backward

}  // namespace minillm
