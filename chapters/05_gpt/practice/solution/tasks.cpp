// Chapter 05 practice: reference solutions.
#include "tasks.hpp"

#include <cstddef>

#include "core/token_id.hpp"
#include "nn/block.hpp"
#include "nn/embedding.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"

namespace ch05 {

std::vector<float> token_position_embedding(const std::vector<int>& ids, const std::vector<float>& wte,
                                            const std::vector<float>& wpe, int B, int T, int C) {
  std::vector<float> out(static_cast<size_t>(B) * T * C);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t row = static_cast<size_t>(b) * T + t, token = static_cast<size_t>(ids[row]);
      for (int c = 0; c < C; ++c) out[row * C + c] = wte[token * C + c] + wpe[static_cast<size_t>(t) * C + c];
    }
  return out;
}

std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V) {
  std::vector<float> logits(static_cast<size_t>(N) * V, 0.0f);
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      float dot = 0.0f;
      for (int c = 0; c < C; ++c) dot += x[static_cast<size_t>(n) * C + c] * wte[static_cast<size_t>(v) * C + c];
      logits[static_cast<size_t>(n) * V + v] = dot;
    }
  return logits;
}

int64_t parameter_count(const minillm::GptConfig& config) {
  const int64_t V = config.vocab_size, maxT = config.context_length, L = config.n_layer, C = config.n_embd;
  const int64_t layernorm = 2 * C;                  // weight and bias
  const int64_t block = 2 * layernorm +             // ln_1, ln_2
                        (3 * C * C + 3 * C) +       // attn.c_attn
                        (C * C + C) +               // attn.c_proj
                        (4 * C * C + 4 * C) +       // mlp.c_fc
                        (C * 4 * C + C);            // mlp.c_proj
  return V * C + maxT * C + L * block + layernorm;  // wte, wpe, blocks, ln_f; the head is wte
}

void token_position_backward(const std::vector<int>& ids, const std::vector<float>& dout, std::vector<float>& dwte,
                             std::vector<float>& dwpe, int B, int T, int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t row = static_cast<size_t>(b) * T + t, token = static_cast<size_t>(ids[row]);
      for (int c = 0; c < C; ++c) {
        dwte[token * C + c] += dout[row * C + c];
        dwpe[static_cast<size_t>(t) * C + c] += dout[row * C + c];
      }
    }
}

void tied_logits_backward(const std::vector<float>& x, const std::vector<float>& wte, const std::vector<float>& dlogits,
                          std::vector<float>& dx, std::vector<float>& dwte, int N, int C, int V) {
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      const float g = dlogits[static_cast<size_t>(n) * V + v];
      for (int c = 0; c < C; ++c) {
        dx[static_cast<size_t>(n) * C + c] += g * wte[static_cast<size_t>(v) * C + c];
        dwte[static_cast<size_t>(v) * C + c] += g * x[static_cast<size_t>(n) * C + c];
      }
    }
}

std::vector<float> gpt_forward(minillm::TensorArena& params, const minillm::GptConfig& config,
                               const std::vector<int>& ids, int B, int T) {
  const int C = config.n_embd, V = config.vocab_size, N = B * T;
  minillm::TokenIds tokens;
  for (int id : ids) tokens.push_back(minillm::token_id(id));
  std::vector<float> encoded(static_cast<size_t>(N) * C);
  minillm::token_position_forward(encoded.data(), tokens, params["wte"].data, params["wpe"].data, B, T, C, V);

  const minillm::BlockShape shape{B, T, C, config.n_head};
  minillm::TensorArena acts;
  for (int l = 0; l < config.n_layer; ++l) minillm::add_block_acts(acts, minillm::layer_prefix(l), shape);
  acts.allocate();
  const float* stream = encoded.data();  // the residual stream, block after block
  for (int l = 0; l < config.n_layer; ++l) {
    const minillm::BlockActs block = minillm::block_acts(acts, minillm::layer_prefix(l));
    minillm::block_forward(block, stream, minillm::block_params(params, minillm::layer_prefix(l)), shape);
    stream = block.out;
  }

  std::vector<float> ln_f(static_cast<size_t>(N) * C), mean(N), rstd(N);
  minillm::layernorm_forward(ln_f.data(), mean.data(), rstd.data(), stream, params["ln_f.weight"].data,
                             params["ln_f.bias"].data, N, C);
  std::vector<float> logits(static_cast<size_t>(N) * V);
  minillm::linear_forward(logits.data(), ln_f.data(), params["wte"].data, nullptr, N, C, V);
  return logits;
}

}  // namespace ch05
