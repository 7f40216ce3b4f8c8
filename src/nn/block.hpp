#pragma once
// One GPT-2 transformer block (pre-LayerNorm), forward and backward, for x[B,T,C]:
//   x = x + attn.c_proj(attention(attn.c_attn(ln_1(x))))     the attention sub-block
//   x = x + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))              the MLP sub-block (hidden width 4C)
//
// Parameters, gradients and activations are plain pointers into buffers someone else owns (usually one
// TensorArena each, llm.c style). The helpers below add a block's tensors to an arena under a prefix
// ("h.3." for layer 3; names as Hugging Face's GPT-2, linear weights stored [out, in] like torch.nn.Linear)
// and read the pointers back, so a whole model is L blocks with prefixes "h.0." .. "h.{L-1}.".
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "nn/kernels.hpp"

namespace minillm {

struct BlockShape {
  int B, T, C, NH;
  int rows() const { return B * T; }  // N = B*T positions, the rows of every [N, *] matrix
};

// The block's tensor tables, declared once. Each row gives a tensor's name (Hugging Face's GPT-2 name,
// under a prefix such as "h.3."), its shape, and, for a parameter, whether Hugging Face stores it
// transposed (its Conv1D weights are [in, out]; minillm's linear weights are [out, in] like torch.nn.Linear).
// The pointer structs below, the arena helpers, the model files and the memory estimate are all made from
// these rows. Shapes are in C (parameters) and B, T, N = B*T, C, NH (activations).
#define MINILLM_BLOCK_PARAMETERS(X)                                                   \
  X(ln_1_weight, "ln_1.weight", (Shape{C}), false)                                    \
  X(ln_1_bias, "ln_1.bias", (Shape{C}), false)                                        \
  X(attn_c_attn_weight, "attn.c_attn.weight", (Shape{3 * C, C}), true)                \
  X(attn_c_attn_bias, "attn.c_attn.bias", (Shape{3 * C}), false)                      \
  X(attn_c_proj_weight, "attn.c_proj.weight", (Shape{C, C}), true)                    \
  X(attn_c_proj_bias, "attn.c_proj.bias", (Shape{C}), false)                          \
  X(ln_2_weight, "ln_2.weight", (Shape{C}), false)                                    \
  X(ln_2_bias, "ln_2.bias", (Shape{C}), false)                                        \
  X(mlp_c_fc_weight, "mlp.c_fc.weight", (Shape{4 * C, C}), true)                      \
  X(mlp_c_fc_bias, "mlp.c_fc.bias", (Shape{4 * C}), false)                            \
  X(mlp_c_proj_weight, "mlp.c_proj.weight", (Shape{C, 4 * C}), true)                  \
  X(mlp_c_proj_bias, "mlp.c_proj.bias", (Shape{C}), false)

// Everything the forward pass computes that the backward pass needs. The same rows over a second buffer
// hold the gradients of these activations during backward (scratch).
#define MINILLM_BLOCK_ACTIVATIONS(X)                                                  \
  X(ln_1, (Shape{N, C}))               /* ln_1(x) */                                  \
  X(ln_1_mean, (Shape{N}))                                                            \
  X(ln_1_rstd, (Shape{N}))                                                            \
  X(qkv, (Shape{N, 3 * C}))            /* c_attn output: queries, keys, values */     \
  X(preatt, (Shape{B, NH, T, T}))      /* scaled scores (masked entries -inf) */      \
  X(att, (Shape{B, NH, T, T}))         /* attention probabilities */                  \
  X(atty, (Shape{N, C}))               /* heads side by side, input of c_proj */      \
  X(attproj, (Shape{N, C}))            /* attn.c_proj output */                       \
  X(residual2, (Shape{N, C}))          /* x + attention branch */                     \
  X(ln_2, (Shape{N, C}))                                                              \
  X(ln_2_mean, (Shape{N}))                                                            \
  X(ln_2_rstd, (Shape{N}))                                                            \
  X(fch, (Shape{N, 4 * C}))            /* mlp.c_fc output */                          \
  X(fch_gelu, (Shape{N, 4 * C}))       /* after GELU */                               \
  X(fcproj, (Shape{N, C}))             /* mlp.c_proj output */                        \
  X(out, (Shape{N, C}))                /* residual2 + MLP branch: the block's output */

#define MINILLM_POINTER_MEMBER(member, ...) float* member = nullptr;

// The 12 parameter tensors of a block (or their gradients: same struct, same shapes).
struct BlockParams {
  MINILLM_BLOCK_PARAMETERS(MINILLM_POINTER_MEMBER)
};

// A block's activations (N = B*T rows), or their gradients.
struct BlockActs {
  MINILLM_BLOCK_ACTIVATIONS(MINILLM_POINTER_MEMBER)
};

// The tables as rows (names without a prefix).
std::vector<TensorSpec> block_parameter_table(int C);
std::vector<TensorSpec> block_activation_table(const BlockShape& s);

// Adds the block's parameters as prefix + name (e.g. "h.0.ln_1.weight") to an arena not yet allocated.
void add_block_params(TensorArena& arena, const std::string& prefix, int C);
// Pointers into an allocated arena filled by add_block_params. Error naming a missing tensor. (A name lookup
// each: a model looks them up once, after allocating, and keeps the struct.)
BlockParams block_params(TensorArena& arena, const std::string& prefix);

// Same for the activations (prefix + "ln_1", ...), sized for one BlockShape.
void add_block_acts(TensorArena& arena, const std::string& prefix, const BlockShape& s);
BlockActs block_acts(TensorArena& arena, const std::string& prefix);

// Which of the block's four linear layers a call computes (for a caller whose weights are not the float32
// ones of BlockParams: the decoder's int8 weights, chapter 10).
enum class BlockLinear { attn_c_attn, attn_c_proj, mlp_c_fc, mlp_c_proj };

// How block_forward and block_backward compute their linear layers and attention when the caller needs another
// way to compute the same thing; an empty member means the kernel table's (nn/kernels.hpp). This is the
// block's linear slot, and the kind of weight behind it is the route's business:
//   - float32, trained (no route): the kernel table's linear_forward and linear_backward;
//   - int8 (chapter 10): the KV-cache decoder (gpt/kv_cache.hpp) runs this same block at one position with
//     linear layers that read int8 weights or keep their results independent of the thread count, and with
//     attention over its cache;
//   - float32, frozen, with a LoRA adapter (chapter 09, gpt/lora.hpp): the base layer plus the adapter's
//     low-rank path forward; backward, the adapter's gradients and none for the frozen weight (the caller's
//     gradient pointers are nullptr: no gradient buffer, no AdamW state).
struct BlockRoutes {
  // out[N,OC] = inp[N,C] · weight[OC,C]ᵀ + bias[OC] for the layer `which` (weight as BlockParams has it).
  std::function<void(BlockLinear which, float* out, const float* inp, const float* weight, const float* bias, int N,
                     int C, int OC)>
      linear;
  // acts.atty[N,C] from acts.qkv[N,3C] (the kernel table's also fills acts.preatt and acts.att).
  std::function<void(const BlockActs& acts, const BlockShape& s)> attention;
  // The backward of `linear`: ACCUMULATES into dinp[N,C], and into dweight and dbias unless they are nullptr.
  std::function<void(BlockLinear which, float* dinp, float* dweight, float* dbias, const float* dout,
                     const float* inp, const float* weight, int N, int C, int OC)>
      linear_backward = {};  // (a default, so the decoder's forward-only routes need not name it)
};

// Fills acts (acts.out is the block's output) from inp[N,C], every layer through the kernel table unless
// `routes` says otherwise.
void block_forward(const BlockActs& acts, const float* inp, const BlockParams& params, const BlockShape& s,
                   const BlockRoutes& routes = {});

// ACCUMULATES (+=) into dinp[N,C] and every gradient in grads. dacts is scratch with the layout of acts
// (overwritten, zeroed here); dout[N,C] is the gradient of the block's output. acts must be those of the
// forward pass on the same inp (and the same routes). A frozen block's grads are all nullptr: then only dinp
// (and whatever the routes train) gets a gradient.
void block_backward(float* dinp, const BlockParams& grads, const BlockActs& dacts, const float* dout,
                    const float* inp, const BlockParams& params, const BlockActs& acts, const BlockShape& s,
                    const BlockRoutes& routes = {});

}  // namespace minillm
