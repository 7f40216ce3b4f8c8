#include "gpt/kv_cache.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/attention_decode.hpp"
#include "nn/kernels.hpp"
#include "nn/linear.hpp"
#include "nn/matvec.hpp"

namespace minillm {

int64_t kv_cache_bytes(const GptConfig& c, int T) {
  return 2 * int64_t{c.n_layer} * T * c.n_embd * int64_t{sizeof(float)};
}

Decoder::Decoder(const Gpt& model) : config_(model.config()) {
  const GptWeights& p = model.weights();
  layers_ = p.blocks;
  wte_ = p.wte;
  wpe_ = p.wpe;
  ln_f_weight_ = p.ln_f_weight;
  ln_f_bias_ = p.ln_f_bias;
  q8_layers_.resize(layers_.size());
  allocate();
}

Decoder::Decoder(const QuantizedGpt& model) : config_(model.config) {
  layers_ = model.params;
  wte_q8_ = &model.wte;
  wpe_ = model.wpe;
  ln_f_weight_ = model.ln_f_weight;
  ln_f_bias_ = model.ln_f_bias;
  for (const QuantizedBlock& b : model.blocks)
    q8_layers_.push_back({&b.attn_c_attn, &b.attn_c_proj, &b.mlp_c_fc, &b.mlp_c_proj});
  const size_t C = static_cast<size_t>(config_.n_embd);
  dequantized_.resize(12 * C * C);  // c_attn 3C², c_proj C², c_fc 4C², mlp c_proj 4C²
  allocate();
}

void Decoder::allocate() {
  const size_t C = static_cast<size_t>(config_.n_embd), maxT = static_cast<size_t>(config_.context_length);
  const size_t L = static_cast<size_t>(config_.n_layer);
  k_.resize(L * maxT * C);
  v_.resize(L * maxT * C);
  add_block_acts(step_scratch_, "", BlockShape{1, 1, config_.n_embd, config_.n_head});
  step_scratch_.allocate();
  step_acts_ = block_acts(step_scratch_, "");
  x_.resize(C);
  ln_.resize(C);
  scores_.resize(static_cast<size_t>(config_.n_head) * maxT);
  logits_.resize(static_cast<size_t>(config_.vocab_size));
}

void Decoder::check_token(TokenId token) const {
  require(to_int(token) >= 0 && to_int(token) < config_.vocab_size,
          "token {} is outside the model's vocabulary of {}", to_int(token), config_.vocab_size);
}

namespace {

// A linear layer over many rows whose result does not depend on the thread count. OpenBLAS's threaded gemm
// splits the work differently for 1 and 2 threads, and the split changes the last bits of some outputs
// (measured: ~10% of them). Here the rows are cut into fixed blocks of 64, whatever the thread count, and
// each block is one single-threaded gemm, so every output is computed the same way every time.
void linear_forward_reproducible(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                                 int OC) {
  constexpr int kBlock = 64;
  const BlasOnCallingThread one_blas_thread;
  const int blocks = (N + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static)
  for (int b = 0; b < blocks; ++b) {
    const int r0 = b * kBlock, rows = std::min(kBlock, N - r0);
    linear_forward(out + static_cast<size_t>(r0) * OC, inp + static_cast<size_t>(r0) * C, weight, bias, rows, C, OC);
  }
}

}  // namespace

void Decoder::embed(float* x, TokenId token, int position) const {
  const size_t C = static_cast<size_t>(config_.n_embd);
  if (wte_q8_ != nullptr) dequantize_row_q8_0(x, *wte_q8_, to_int(token));
  else std::memcpy(x, wte_ + static_cast<size_t>(to_int(token)) * C, C * sizeof(float));
  const float* p = wpe_ + static_cast<size_t>(position) * C;
  for (size_t i = 0; i < C; ++i) x[i] += p[i];
}

const Q8Matrix* Decoder::Q8Layer::of(BlockLinear which) const {
  switch (which) {
    case BlockLinear::attn_c_attn: return attn_c_attn;
    case BlockLinear::attn_c_proj: return attn_c_proj;
    case BlockLinear::mlp_c_fc: return mlp_c_fc;
    case BlockLinear::mlp_c_proj: return mlp_c_proj;
  }
  return nullptr;
}

void Decoder::linear(float* out, const float* inp, const float* w, const Q8Matrix* q, const float* bias, int C,
                     int OC) {
  if (q != nullptr) kernels().q8_matvec_forward(out, inp, *q, bias);
  else matvec_forward(out, inp, w, bias, C, OC);
}

const BlockParams& Decoder::prefill_weights(int layer) {
  const BlockParams& p = layers_[static_cast<size_t>(layer)];
  const Q8Layer& q = q8_layers_[static_cast<size_t>(layer)];
  if (q.attn_c_attn == nullptr) return p;  // a float model
  dequantized_params_ = p;
  float* w = dequantized_.data();
  for (auto [matrix, slot] : {std::pair{q.attn_c_attn, &dequantized_params_.attn_c_attn_weight},
                              {q.attn_c_proj, &dequantized_params_.attn_c_proj_weight},
                              {q.mlp_c_fc, &dequantized_params_.mlp_c_fc_weight},
                              {q.mlp_c_proj, &dequantized_params_.mlp_c_proj_weight}}) {
    dequantize_q8_0(w, *matrix);
    *slot = w;
    w += static_cast<size_t>(matrix->rows) * static_cast<size_t>(matrix->cols);
  }
  return dequantized_params_;
}

std::span<const float> Decoder::head(const float* x) {
  const int C = config_.n_embd, V = config_.vocab_size;
  kernels().layernorm_forward(ln_.data(), &mean_, &rstd_, x, ln_f_weight_, ln_f_bias_, 1, C);
  linear(logits_.data(), ln_.data(), wte_, wte_q8_, nullptr, C, V);  // tied head: logits = wte · ln_f(x)
  return logits_;
}

// lesson: decoder_prefill
std::span<const float> Decoder::prefill(std::span<const TokenId> tokens) {
  const int T = static_cast<int>(tokens.size()), C = config_.n_embd, maxT = config_.context_length;
  require(T >= 1 && T <= maxT, "prefill: {} tokens, but the model takes 1 to {} (its context length)", T, maxT);
  for (TokenId t : tokens) check_token(t);
  // The whole prompt goes through chapter 04's block (matrix-matrix products), one layer after the
  // other, reusing one layer's activations: nothing is kept for a backward pass.
  const BlockShape shape{1, T, C, config_.n_head};
  TensorArena scratch;
  add_block_acts(scratch, "", shape);
  scratch.add("x", {int64_t{T}, int64_t{C}});
  scratch.allocate();
  const BlockActs acts = block_acts(scratch, "");
  const BlockRoutes reproducible{.linear = [](BlockLinear, float* out, const float* inp, const float* w,
                                              const float* b, int N, int C_in, int OC) {
    linear_forward_reproducible(out, inp, w, b, N, C_in, OC);
  }, .attention = {}};  // the kernel table's attention over the whole prompt
  float* x = scratch["x"].data;
  const size_t row = static_cast<size_t>(C);
  for (int t = 0; t < T; ++t) embed(x + t * row, tokens[static_cast<size_t>(t)], t);  // wte[token] + wpe[t]
  for (int l = 0; l < config_.n_layer; ++l) {
    block_forward(acts, x, prefill_weights(l), shape, reproducible);
    float* k = k_.data() + static_cast<size_t>(l) * maxT * row;
    float* v = v_.data() + static_cast<size_t>(l) * maxT * row;
    for (int t = 0; t < T; ++t) {  // qkv rows are [q | k | v]: keep k and v of every position
      const float* qkv = acts.qkv + static_cast<size_t>(t) * 3 * row;
      std::memcpy(k + t * row, qkv + row, row * sizeof(float));
      std::memcpy(v + t * row, qkv + 2 * row, row * sizeof(float));
    }
    std::memcpy(x, acts.out, static_cast<size_t>(T) * row * sizeof(float));
  }
  tokens_.assign(tokens.begin(), tokens.end());
  return head(x + static_cast<size_t>(T - 1) * row);  // logits for the last position only
}
// end lesson: decoder_prefill

// lesson: decoder_step
// Chapter 04's block at one position, through every layer, with two routes of its own: the linear layers
// as matrix-vector products (int8 ones for a quantized model), and attention over the cache, where this
// position's key and value are appended first.
std::span<const float> Decoder::step(TokenId token) {
  const int C = config_.n_embd, t = length(), maxT = config_.context_length;
  require(t >= 1, "step: prefill the prompt first");
  require(t < maxT, "step: the cache is full ({} positions, the model's context length); prefill a shorter window",
          maxT);
  check_token(token);
  const size_t row = static_cast<size_t>(C);
  float* x = x_.data();  // the residual stream of the new position [C]
  embed(x, token, t);     // wte[token] + wpe[t]
  int l = 0;              // the layer the routes serve
  const BlockRoutes routes{
      .linear = [&](BlockLinear which, float* out, const float* inp, const float* w, const float* b, int, int C_in,
                    int OC) { linear(out, inp, w, q8_layers_[static_cast<size_t>(l)].of(which), b, C_in, OC); },
      .attention = [&](const BlockActs& a, const BlockShape&) {
        float* k = k_.data() + static_cast<size_t>(l) * maxT * row;  // this layer's cache [maxT, C]
        float* v = v_.data() + static_cast<size_t>(l) * maxT * row;
        std::memcpy(k + t * row, a.qkv + row, row * sizeof(float));  // qkv is [q | k | v]
        std::memcpy(v + t * row, a.qkv + 2 * row, row * sizeof(float));
        attention_decode_forward(a.atty, scores_.data(), a.qkv, k, v, t + 1, C, config_.n_head);
      }};
  for (l = 0; l < config_.n_layer; ++l) {
    block_forward(step_acts_, x, layers_[static_cast<size_t>(l)], BlockShape{1, 1, C, config_.n_head}, routes);
    std::memcpy(x, step_acts_.out, row * sizeof(float));
  }
  tokens_.push_back(token);
  return head(x);
}
// end lesson: decoder_step

std::span<const float> Decoder::advance(TokenId token) {
  if (!full()) return step(token);
  const int keep = std::max(1, config_.context_length / 2);
  TokenIds recent(tokens_.end() - (keep - 1), tokens_.end());
  recent.push_back(token);
  return prefill(recent);
}

}  // namespace minillm
