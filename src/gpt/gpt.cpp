#include "gpt/gpt.hpp"

#include <cmath>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "core/matmul.hpp"
#include "gpt/kernels.hpp"
#include "nn/cross_entropy.hpp"

namespace minillm {

namespace k = gpt_kernels;  // switch to `minillm` once src/nn/*.cpp implement the layers

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
  for (int l = 0; l < c.n_layer; ++l) {
    arena.add(layer_name(l, "ln_1.weight"), {C});
    arena.add(layer_name(l, "ln_1.bias"), {C});
    arena.add(layer_name(l, "attn.c_attn.weight"), {3 * C, C});
    arena.add(layer_name(l, "attn.c_attn.bias"), {3 * C});
    arena.add(layer_name(l, "attn.c_proj.weight"), {C, C});
    arena.add(layer_name(l, "attn.c_proj.bias"), {C});
    arena.add(layer_name(l, "ln_2.weight"), {C});
    arena.add(layer_name(l, "ln_2.bias"), {C});
    arena.add(layer_name(l, "mlp.c_fc.weight"), {4 * C, C});
    arena.add(layer_name(l, "mlp.c_fc.bias"), {4 * C});
    arena.add(layer_name(l, "mlp.c_proj.weight"), {C, 4 * C});
    arena.add(layer_name(l, "mlp.c_proj.bias"), {C});
  }
  arena.add("ln_f.weight", {C});
  arena.add("ln_f.bias", {C});
  arena.allocate();
}

// Pointers into the parameter (or gradient) arena for one layer, looked up once per pass.
struct LayerParams {
  float *ln_1_w, *ln_1_b, *c_attn_w, *c_attn_b, *attn_proj_w, *attn_proj_b;
  float *ln_2_w, *ln_2_b, *c_fc_w, *c_fc_b, *mlp_proj_w, *mlp_proj_b;
};

LayerParams layer_params(const TensorArena& arena, int l) {
  auto p = [&](const char* name) { return arena[layer_name(l, name)].data; };
  return {p("ln_1.weight"),       p("ln_1.bias"),      p("attn.c_attn.weight"), p("attn.c_attn.bias"),
          p("attn.c_proj.weight"), p("attn.c_proj.bias"), p("ln_2.weight"),     p("ln_2.bias"),
          p("mlp.c_fc.weight"),    p("mlp.c_fc.bias"),   p("mlp.c_proj.weight"), p("mlp.c_proj.bias")};
}

// Saved activations of one layer (N = B*T rows).
struct LayerActs {
  float *ln_1, *ln_1_mean, *ln_1_rstd, *qkv, *atty, *preatt, *att, *attproj, *residual2;
  float *ln_2, *ln_2_mean, *ln_2_rstd, *fch, *fch_gelu, *fcproj, *residual3;
};

LayerActs layer_acts(const TensorArena& a, int l) {
  auto p = [&](const char* name) { return a[layer_name(l, name)].data; };
  return {p("ln_1"),     p("ln_1_mean"), p("ln_1_rstd"), p("qkv"),       p("atty"),   p("preatt"),
          p("att"),      p("attproj"),   p("residual2"), p("ln_2"),      p("ln_2_mean"), p("ln_2_rstd"),
          p("fch"),      p("fch_gelu"),  p("fcproj"),    p("residual3")};
}

}  // namespace

Gpt::Gpt(const GptConfig& config) : config_(config) {
  config_.validate();
  add_parameters(params_, config_);
  add_parameters(grads_, config_);
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
  const int64_t C = config_.n_embd, V = config_.vocab_size, NH = config_.n_head;
  const int64_t N = int64_t{B} * T;
  TensorArena acts, dacts;
  acts.add("encoded", {N, C});
  for (int l = 0; l < config_.n_layer; ++l) {
    acts.add(layer_name(l, "ln_1"), {N, C});
    acts.add(layer_name(l, "ln_1_mean"), {N});
    acts.add(layer_name(l, "ln_1_rstd"), {N});
    acts.add(layer_name(l, "qkv"), {N, 3 * C});
    acts.add(layer_name(l, "atty"), {N, C});
    acts.add(layer_name(l, "preatt"), {B * NH, T, T});
    acts.add(layer_name(l, "att"), {B * NH, T, T});
    acts.add(layer_name(l, "attproj"), {N, C});
    acts.add(layer_name(l, "residual2"), {N, C});
    acts.add(layer_name(l, "ln_2"), {N, C});
    acts.add(layer_name(l, "ln_2_mean"), {N});
    acts.add(layer_name(l, "ln_2_rstd"), {N});
    acts.add(layer_name(l, "fch"), {N, 4 * C});
    acts.add(layer_name(l, "fch_gelu"), {N, 4 * C});
    acts.add(layer_name(l, "fcproj"), {N, C});
    acts.add(layer_name(l, "residual3"), {N, C});
  }
  acts.add("ln_f", {N, C});
  acts.add("ln_f_mean", {N});
  acts.add("ln_f_rstd", {N});
  acts.add("logits", {N, V});
  acts.add("probs", {N, V});
  acts.add("losses", {N});
  acts.allocate();
  // Gradients of the activations. The backward pass handles one layer at a time, so one layer's worth of
  // scratch is shared by all layers; only the residual-stream gradient travels between them.
  for (const char* name : {"dres_out", "dres_in", "dres2", "dln", "datty"}) dacts.add(name, {N, C});
  dacts.add("dqkv", {N, 3 * C});
  dacts.add("dfch", {N, 4 * C});
  dacts.add("dfch_gelu", {N, 4 * C});
  dacts.add("dpreatt", {B * NH, T, T});
  dacts.add("datt", {B * NH, T, T});
  dacts.add("dlogits", {N, V});
  dacts.add("dlosses", {N});
  dacts.allocate();
  acts_ = std::move(acts);
  dacts_ = std::move(dacts);
  B_ = B;
  T_ = T;
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
  const int C = config_.n_embd, V = config_.vocab_size, NH = config_.n_head;
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

  float* x = acts_["encoded"].data;  // the residual stream [N,C]
  k::token_position_forward(x, inputs, params_["wte"].data, params_["wpe"].data, B, T, C, V);
  for (int l = 0; l < config_.n_layer; ++l) {
    const LayerParams p = layer_params(params_, l);
    const LayerActs a = layer_acts(acts_, l);
    k::layernorm_forward(a.ln_1, a.ln_1_mean, a.ln_1_rstd, x, p.ln_1_w, p.ln_1_b, N, C);
    k::linear_forward(a.qkv, a.ln_1, p.c_attn_w, p.c_attn_b, N, C, 3 * C);
    k::attention_forward(a.atty, a.preatt, a.att, a.qkv, B, T, C, NH);
    k::linear_forward(a.attproj, a.atty, p.attn_proj_w, p.attn_proj_b, N, C, C);
    k::residual_forward(a.residual2, x, a.attproj, N * C);
    k::layernorm_forward(a.ln_2, a.ln_2_mean, a.ln_2_rstd, a.residual2, p.ln_2_w, p.ln_2_b, N, C);
    k::linear_forward(a.fch, a.ln_2, p.c_fc_w, p.c_fc_b, N, C, 4 * C);
    k::gelu_forward(a.fch_gelu, a.fch, N * 4 * C);
    k::linear_forward(a.fcproj, a.fch_gelu, p.mlp_proj_w, p.mlp_proj_b, N, 4 * C, C);
    k::residual_forward(a.residual3, a.residual2, a.fcproj, N * C);
    x = a.residual3;
  }
  float* ln_f = acts_["ln_f"].data;
  k::layernorm_forward(ln_f, acts_["ln_f_mean"].data, acts_["ln_f_rstd"].data, x, params_["ln_f.weight"].data,
                       params_["ln_f.bias"].data, N, C);
  // The tied head: logits[N,V] = ln_f[N,C] · wte[V,C]ᵀ, one big gemm.
  float* logits = acts_["logits"].data;
  k::linear_forward(logits, ln_f, params_["wte"].data, nullptr, N, C, V);
  if (!have_targets_) return -1.0f;

  float* losses = acts_["losses"].data;
  cross_entropy_forward(losses, acts_["probs"].data, logits, targets, N, V, V);
  double sum = 0.0;
  for (int n = 0; n < N; ++n) sum += losses[n];
  return static_cast<float>(sum / N);
}
// end lesson: gpt_forward

void Gpt::zero_grad() { grads_.zero(); }

// lesson: gpt_backward
void Gpt::backward() {
  require(have_targets_, "GPT backward: the last forward had no targets, so there is no loss to differentiate");
  const int B = B_, T = T_, C = config_.n_embd, V = config_.vocab_size, NH = config_.n_head;
  const int N = B * T;
  dacts_.zero();  // backward functions accumulate

  // The loss is the mean over N positions, so each position's loss has gradient 1/N.
  float* dlosses = dacts_["dlosses"].data;
  for (int n = 0; n < N; ++n) dlosses[n] = 1.0f / static_cast<float>(N);
  float* dlogits = dacts_["dlogits"].data;
  cross_entropy_backward(dlogits, dlosses, acts_["probs"].data, targets_, N, V, V);

  // Tied head: wte receives gradient from the output (here) and from the input embedding (at the end).
  float* dln = dacts_["dln"].data;
  k::linear_backward(dln, grads_["wte"].data, nullptr, dlogits, acts_["ln_f"].data, params_["wte"].data, N, C, V);
  float* dres_out = dacts_["dres_out"].data;  // gradient of the current layer's output
  float* dres_in = dacts_["dres_in"].data;    // gradient of its input
  const float* last = config_.n_layer > 0 ? layer_acts(acts_, config_.n_layer - 1).residual3 : nullptr;
  k::layernorm_backward(dres_out, grads_["ln_f.weight"].data, grads_["ln_f.bias"].data, dln, last,
                        params_["ln_f.weight"].data, acts_["ln_f_mean"].data, acts_["ln_f_rstd"].data, N, C);

  float* dres2 = dacts_["dres2"].data;
  float* datty = dacts_["datty"].data;
  float* dqkv = dacts_["dqkv"].data;
  float* dfch = dacts_["dfch"].data;
  float* dfch_gelu = dacts_["dfch_gelu"].data;
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(N) * static_cast<size_t>(C);
  for (int l = config_.n_layer - 1; l >= 0; --l) {
    const LayerParams p = layer_params(params_, l);
    const LayerParams g = layer_params(grads_, l);
    const LayerActs a = layer_acts(acts_, l);
    const float* x = l == 0 ? acts_["encoded"].data : layer_acts(acts_, l - 1).residual3;
    // Fresh scratch for this layer (the previous layer's backward left its sums here).
    std::memset(dln, 0, row_bytes);
    std::memset(datty, 0, row_bytes);
    std::memset(dqkv, 0, 3 * row_bytes);
    std::memset(dfch, 0, 4 * row_bytes);
    std::memset(dfch_gelu, 0, 4 * row_bytes);
    // residual3 = residual2 + fcproj: the gradient reaches both unchanged.
    std::memcpy(dres2, dres_out, row_bytes);
    k::linear_backward(dfch_gelu, g.mlp_proj_w, g.mlp_proj_b, dres_out, a.fch_gelu, p.mlp_proj_w, N, 4 * C, C);
    k::gelu_backward(dfch, a.fch, dfch_gelu, N * 4 * C);
    k::linear_backward(dln, g.c_fc_w, g.c_fc_b, dfch, a.ln_2, p.c_fc_w, N, C, 4 * C);
    k::layernorm_backward(dres2, g.ln_2_w, g.ln_2_b, dln, a.residual2, p.ln_2_w, a.ln_2_mean, a.ln_2_rstd, N, C);
    // residual2 = x + attproj.
    std::memcpy(dres_in, dres2, row_bytes);
    std::memset(dln, 0, row_bytes);
    k::linear_backward(datty, g.attn_proj_w, g.attn_proj_b, dres2, a.atty, p.attn_proj_w, N, C, C);
    k::attention_backward(dqkv, dacts_["dpreatt"].data, dacts_["datt"].data, datty, a.qkv, a.att, B, T, C, NH);
    k::linear_backward(dln, g.c_attn_w, g.c_attn_b, dqkv, a.ln_1, p.c_attn_w, N, C, 3 * C);
    k::layernorm_backward(dres_in, g.ln_1_w, g.ln_1_b, dln, x, p.ln_1_w, a.ln_1_mean, a.ln_1_rstd, N, C);
    std::swap(dres_in, dres_out);  // this layer's input is the previous layer's output
  }
  k::token_position_backward(grads_["wte"].data, grads_["wpe"].data, inputs_, dres_out, B, T, C, V);
}
// end lesson: gpt_backward

}  // namespace minillm
