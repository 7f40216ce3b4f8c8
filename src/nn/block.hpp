#pragma once
// One GPT-2 transformer block (pre-LayerNorm), forward and backward, for x[B,T,C]:
//   x = x + attn.c_proj(attention(attn.c_attn(ln_1(x))))     the attention sub-block
//   x = x + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))              the MLP sub-block (hidden width 4C)
//
// Parameters, gradients and activations are plain pointers into buffers someone else owns (usually one
// TensorArena each, llm.c style). The helpers below add a block's tensors to an arena under a prefix
// ("h.3." for layer 3; names as Hugging Face's GPT-2, linear weights stored [out, in] like torch.nn.Linear)
// and read the pointers back, so a whole model is L blocks with prefixes "h.0." .. "h.{L-1}.".
#include <string>

#include "core/tensor.hpp"
#include "nn/linear.hpp"

namespace minillm {

struct BlockShape {
  int B, T, C, NH;
  int rows() const { return B * T; }  // N = B*T positions, the rows of every [N, *] matrix
};

// The 12 parameter tensors of a block (or their gradients: same struct, same shapes).
struct BlockParams {
  float* ln_1_weight;        // [C]        "ln_1.weight"
  float* ln_1_bias;          // [C]        "ln_1.bias"
  float* attn_c_attn_weight; // [3C, C]    "attn.c_attn.weight"
  float* attn_c_attn_bias;   // [3C]       "attn.c_attn.bias"
  float* attn_c_proj_weight; // [C, C]     "attn.c_proj.weight"
  float* attn_c_proj_bias;   // [C]        "attn.c_proj.bias"
  float* ln_2_weight;        // [C]        "ln_2.weight"
  float* ln_2_bias;          // [C]        "ln_2.bias"
  float* mlp_c_fc_weight;    // [4C, C]    "mlp.c_fc.weight"
  float* mlp_c_fc_bias;      // [4C]       "mlp.c_fc.bias"
  float* mlp_c_proj_weight;  // [C, 4C]    "mlp.c_proj.weight"
  float* mlp_c_proj_bias;    // [C]        "mlp.c_proj.bias"
};

// Everything the forward pass computes that the backward pass needs (N = B*T). The same struct over a
// second buffer holds the gradients of these activations during backward (scratch).
struct BlockActs {
  float* ln_1;       // [N, C]          ln_1(x)
  float* ln_1_mean;  // [N]
  float* ln_1_rstd;  // [N]
  float* qkv;        // [N, 3C]         c_attn output: queries, keys, values
  float* preatt;     // [B, NH, T, T]   scaled scores (masked entries -inf)
  float* att;        // [B, NH, T, T]   attention probabilities
  float* atty;       // [N, C]          heads side by side, input of attn.c_proj
  float* attproj;    // [N, C]          attn.c_proj output
  float* residual2;  // [N, C]          x + attention branch
  float* ln_2;       // [N, C]
  float* ln_2_mean;  // [N]
  float* ln_2_rstd;  // [N]
  float* fch;        // [N, 4C]         mlp.c_fc output
  float* fch_gelu;   // [N, 4C]         after GELU
  float* fcproj;     // [N, C]          mlp.c_proj output
  float* out;        // [N, C]          residual2 + MLP branch: the block's output
};

// Adds the block's parameters as prefix + name (e.g. "h.0.ln_1.weight") to an arena not yet allocated.
void add_block_params(TensorArena& arena, const std::string& prefix, int C);
// Pointers into an allocated arena filled by add_block_params. Error naming a missing tensor. (A name lookup
// each: a model looks them up once, after allocating, and keeps the struct.)
BlockParams block_params(TensorArena& arena, const std::string& prefix);

// Same for the activations (prefix + "ln_1", ...), sized for one BlockShape.
void add_block_acts(TensorArena& arena, const std::string& prefix, const BlockShape& s);
BlockActs block_acts(TensorArena& arena, const std::string& prefix);

// The signature of linear_forward (nn/linear.hpp): out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias[OC].
using LinearForward = void (*)(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                               int OC);

// Fills acts (acts.out is the block's output) from inp[N,C]. `linear` computes the block's four linear
// layers: linear_forward unless the caller needs another way to run the same product (the decoder's
// prefill passes one whose results do not depend on the thread count).
void block_forward(const BlockActs& acts, const float* inp, const BlockParams& params, const BlockShape& s,
                   LinearForward linear = linear_forward);

// ACCUMULATES (+=) into dinp[N,C] and every gradient in grads. dacts is scratch with the layout of acts
// (overwritten, zeroed here); dout[N,C] is the gradient of the block's output. acts must be those of the
// forward pass on the same inp.
void block_backward(float* dinp, const BlockParams& grads, const BlockActs& dacts, const float* dout,
                    const float* inp, const BlockParams& params, const BlockActs& acts, const BlockShape& s);

}  // namespace minillm
