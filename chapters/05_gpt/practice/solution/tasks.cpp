// Chapter 05 practice: reference solutions.
#include "tasks.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

#include "core/token_id.hpp"
#include "nn/block.hpp"
#include "nn/cross_entropy.hpp"
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

float gpt_backward(minillm::TensorArena& params, minillm::TensorArena& grads, const minillm::GptConfig& config,
                   const std::vector<int>& ids, const std::vector<int>& targets, int B, int T) {
  const int C = config.n_embd, V = config.vocab_size, L = config.n_layer, N = B * T;
  const size_t nc = static_cast<size_t>(N) * C, nv = static_cast<size_t>(N) * V;
  minillm::TokenIds tokens, wanted;
  for (int id : ids) tokens.push_back(minillm::token_id(id));
  for (int id : targets) wanted.push_back(minillm::token_id(id));
  float* wte = params["wte"].data;

  // Forward, keeping every activation: one arena for the L blocks, one block's worth of scratch gradients.
  std::vector<float> encoded(nc);
  minillm::token_position_forward(encoded.data(), tokens, wte, params["wpe"].data, B, T, C, V);
  const minillm::BlockShape shape{B, T, C, config.n_head};
  minillm::TensorArena acts, dacts;
  for (int l = 0; l < L; ++l) minillm::add_block_acts(acts, minillm::layer_prefix(l), shape);
  minillm::add_block_acts(dacts, "", shape);
  acts.allocate();
  dacts.allocate();
  std::vector<const float*> block_input(static_cast<size_t>(L));
  const float* stream = encoded.data();
  for (int l = 0; l < L; ++l) {
    const minillm::BlockActs a = minillm::block_acts(acts, minillm::layer_prefix(l));
    block_input[static_cast<size_t>(l)] = stream;
    minillm::block_forward(a, stream, minillm::block_params(params, minillm::layer_prefix(l)), shape);
    stream = a.out;
  }
  std::vector<float> ln_f(nc), mean(static_cast<size_t>(N)), rstd(static_cast<size_t>(N));
  minillm::layernorm_forward(ln_f.data(), mean.data(), rstd.data(), stream, params["ln_f.weight"].data,
                             params["ln_f.bias"].data, N, C);
  std::vector<float> logits(nv), probs(nv), losses(static_cast<size_t>(N));
  minillm::linear_forward(logits.data(), ln_f.data(), wte, nullptr, N, C, V);
  minillm::cross_entropy_forward(losses.data(), probs.data(), logits.data(), wanted, N, V);
  double loss = 0;
  for (float x : losses) loss += x;

  // Backward: the loss is a mean, so each position's loss has gradient 1/N.
  std::vector<float> dlosses(static_cast<size_t>(N), 1.0f / static_cast<float>(N)), dlogits(nv, 0.0f);
  minillm::cross_entropy_backward(dlogits.data(), dlosses.data(), probs.data(), wanted, N, V);
  std::vector<float> dln_f(nc, 0.0f), dstream(nc, 0.0f), dinp(nc);
  minillm::linear_backward(dln_f.data(), grads["wte"].data, nullptr, dlogits.data(), ln_f.data(), wte, N, C, V);
  minillm::layernorm_backward(dstream.data(), grads["ln_f.weight"].data, grads["ln_f.bias"].data, dln_f.data(),
                              stream, params["ln_f.weight"].data, mean.data(), rstd.data(), N, C);
  for (int l = L - 1; l >= 0; --l) {
    const std::string prefix = minillm::layer_prefix(l);
    std::fill(dinp.begin(), dinp.end(), 0.0f);
    minillm::block_backward(dinp.data(), minillm::block_params(grads, prefix), minillm::block_acts(dacts, ""),
                            dstream.data(), block_input[static_cast<size_t>(l)], minillm::block_params(params, prefix),
                            minillm::block_acts(acts, prefix), shape);
    dstream.swap(dinp);
  }
  minillm::token_position_backward(grads["wte"].data, grads["wpe"].data, tokens, dstream.data(), B, T, C, V);
  return static_cast<float>(loss / N);
}

}  // namespace ch05
