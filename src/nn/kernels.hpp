#pragma once
// The kernel table: every layer operation the course teaches, in two forms.
//   plain  the definition, llm.c style: loops over flat buffers, in the order the math is written. The
//          lessons quote it, the gradient checks trust it, and it is slow.
//   fast   the same result by a faster route (BLAS gemms, causal blocks, vectorised exp, threads). It is
//          what the model runs by default, and tests/unit/nn/test_kernels.cpp holds it equal to the plain
//          form within stated tolerances.
// One row per operation: its name, its signature, its plain form and its fast form. The block, the GPT and
// the trainer call the operations through kernels(), so a test, a benchmark or a learner's own kernels
// (the practice plug) change what runs in one place, for the whole model.
#include <span>
#include <string_view>
#include <vector>

#include "core/token_id.hpp"
#include "nn/attention.hpp"
#include "nn/attention_plain.hpp"
#include "nn/cross_entropy.hpp"
#include "nn/gelu.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/lora.hpp"
#include "quant/q8_matvec.hpp"

namespace minillm {

// The signatures (outputs first, as every layer in nn/).
using LinearForward = void (*)(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                               int OC);
using LinearBackward = void (*)(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                                const float* weight, int N, int C, int OC);
using LayerNormForward = void (*)(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                                  const float* bias, int N, int C);
using LayerNormBackward = void (*)(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                                   const float* weight, const float* mean, const float* rstd, int N, int C);
using GeluForward = void (*)(float* out, const float* inp, int n);
using GeluBackward = void (*)(float* dinp, const float* inp, const float* dout, int n);
using AttentionForward = void (*)(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C,
                                  int NH);
using AttentionBackward = void (*)(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                                   const float* att, int B, int T, int C, int NH);
using CrossEntropyForward = void (*)(float* losses, float* probs, const float* logits,
                                     std::span<const TokenId> targets, int N, int V);
using CrossEntropyBackward = void (*)(float* dlogits, const float* dlosses, const float* probs,
                                      std::span<const TokenId> targets, int N, int V);
// Chapter 09: a LoRA adapter beside a frozen linear layer (nn/lora.hpp). scale = alpha / R.
using LoraForward = void (*)(float* out, float* h, const float* inp, const float* A, const float* B, float scale,
                             int N, int C, int OC, int R);
using LoraBackward = void (*)(float* dinp, float* dA, float* dB, float* dh, const float* dout, const float* inp,
                              const float* h, const float* A, const float* B, float scale, int N, int C, int OC, int R);
// Chapter 10: one position through an int8 (Q8_0) linear layer, out[OC] = W · x + bias (quant/q8_matvec.hpp).
using Q8MatvecForward = void (*)(float* out, const float* x, const Q8Matrix& w, const float* bias);

// name, signature, plain form, fast form
#define MINILLM_KERNELS(X)                                                                      \
  X(linear_forward, LinearForward, linear_forward_plain, linear_forward)                        \
  X(linear_backward, LinearBackward, linear_backward_plain, linear_backward)                    \
  X(layernorm_forward, LayerNormForward, layernorm_forward, layernorm_forward)                  \
  X(layernorm_backward, LayerNormBackward, layernorm_backward_plain, layernorm_backward)        \
  X(gelu_forward, GeluForward, gelu_forward_plain, gelu_forward)                                \
  X(gelu_backward, GeluBackward, gelu_backward_plain, gelu_backward)                            \
  X(attention_forward, AttentionForward, attention_forward_plain, attention_forward)            \
  X(attention_backward, AttentionBackward, attention_backward_plain, attention_backward)        \
  X(cross_entropy_forward, CrossEntropyForward, cross_entropy_forward_plain, cross_entropy_forward) \
  X(cross_entropy_backward, CrossEntropyBackward, cross_entropy_backward_plain, cross_entropy_backward) \
  X(lora_forward, LoraForward, lora_forward_plain, lora_forward)                                \
  X(lora_backward, LoraBackward, lora_backward_plain, lora_backward)                            \
  X(q8_matvec_forward, Q8MatvecForward, q8_matvec_forward_plain, q8_matvec_forward)

struct Kernels {
#define MINILLM_KERNEL_MEMBER(name, type, plain, fast) type name = nullptr;
  MINILLM_KERNELS(MINILLM_KERNEL_MEMBER)
#undef MINILLM_KERNEL_MEMBER
};

enum class KernelForm { plain, fast };

const Kernels& plain_kernels();
const Kernels& fast_kernels();
const Kernels& kernels_of(KernelForm form);
std::string_view kernel_form_name(KernelForm form);  // "plain", "fast"

// The table the model runs: fast_kernels() unless a KernelScope says otherwise.
const Kernels& kernels();

// Runs the model with `table` for the scope's lifetime (tests, benchmarks, the practice plug), then puts
// back the table that was there. Not for use while another thread runs the model.
class KernelScope {
 public:
  explicit KernelScope(const Kernels& table);
  explicit KernelScope(KernelForm form) : KernelScope(kernels_of(form)) {}
  ~KernelScope();
  KernelScope(const KernelScope&) = delete;
  KernelScope& operator=(const KernelScope&) = delete;

 private:
  Kernels previous_;
};

// The operations' names in table order ("linear_forward", ...), for reports of which kernels ran.
std::vector<std::string_view> kernel_names();

}  // namespace minillm
