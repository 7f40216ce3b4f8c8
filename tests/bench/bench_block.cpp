// One GPT-2 transformer block, forward + backward, at B=16 T=128 C=256 NH=4 (src/nn/block.cpp), with 1
// and 2 threads; the median time, GFLOP/s, and the fraction of this machine's sgemm peak measured in the
// same run (1024³ cblas_sgemm, best of 5). tests/bench/block.sh compares it with PyTorch (block_torch.py).
//
// FLOPs counted (N = B*T rows, each gemm of [m,k]·[k,n] = 2mkn):
//   forward   linears 2N·C·(3C + C + 4C + 4C) = 24·N·C²,  attention Q·Kᵀ and att·V 2·2·B·T²·C = 4·B·T²·C
//   backward  twice the forward (every gemm becomes two gemms of the same size)
//   total     72·N·C² + 12·B·T²·C   (the full T×T score matrix is counted, the work PyTorch's masked_fill
//             attention does; elementwise work is not counted). minillm's attention skips the masked blocks
//             (causal row blocks of 32: 10/16 of T×T at T = 128), so "gflops" counts some FLOPs minillm never
//             does; "computed_gflops" counts only the attention work it really does.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/matmul.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "nn/attention.hpp"
#include "nn/block.hpp"
#include "nn/kernels.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
double median_seconds(int iters, F&& f) {
  std::vector<double> times;
  for (int i = 0; i < iters; ++i) {
    const auto start = Clock::now();
    f();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The fraction of the T×T score matrix that src/nn/attention.cpp computes: query rows r0..r1-1 (blocks of
// 32) against keys 0..r1-1 only. Every gemm of attention's forward and backward has this shape.
double causal_block_fraction(int T) {
  constexpr int kBlock = 32;  // kCausalBlock in src/nn/attention.cpp
  double computed = 0;
  for (int r0 = 0; r0 < T; r0 += kBlock) {
    const int r1 = std::min(T, r0 + kBlock);
    computed += double(r1 - r0) * r1;
  }
  return computed / (double(T) * T);
}

double sgemm_peak_gflops() {
  const int n = 1024;
  std::vector<float> a(size_t{n} * n, 0.5f), b(a), c(a);
  double best = 1e30;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    minillm::matmul_ab(c.data(), a.data(), b.data(), n, n, n);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return minillm::matmul_flops(n, n, n) / best / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace minillm;
  ensure_passive_openmp_wait(argv);  // idle OpenMP threads must not spin on OpenBLAS's cores
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const BlockShape s{16, 128, 256, 4};
  const int iters = quick ? 5 : 15;
  const double N = s.rows(), C = s.C, B = s.B, T = s.T;
  const double flops = 72 * N * C * C + 12 * B * T * T * C;
  const double computed_flops = 72 * N * C * C + 12 * B * T * T * C * causal_block_fraction(s.T);

  TensorArena params, grads, acts, dacts;
  add_block_params(params, "", s.C);
  add_block_params(grads, "", s.C);
  add_block_acts(acts, "", s);
  add_block_acts(dacts, "", s);
  for (TensorArena* arena : {&params, &grads, &acts, &dacts}) arena->allocate();
  Rng rng(42);
  rng.fill_normal({params.data(), params.size()}, 0.0f, 0.02f);
  std::vector<float> inp(static_cast<size_t>(N * C)), dout(inp.size()), dinp(inp.size());
  rng.fill_normal(inp, 0.0f, 1.0f);
  rng.fill_normal(dout, 0.0f, 1.0f);
  const BlockParams p = block_params(params, ""), g = block_params(grads, "");
  const BlockActs a = block_acts(acts, ""), d = block_acts(dacts, "");

  fmt::print("block forward+backward, B={} T={} C={} NH={}, {:.2f} GFLOP per step (72NC² + 12BT²C), median of {}\n",
             s.B, s.T, s.C, s.NH, flops / 1e9, iters);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const double peak = sgemm_peak_gflops();
    auto step = [&] {
      block_forward(a, inp.data(), p, s);
      block_backward(dinp.data(), g, d, dout.data(), inp.data(), p, a, s);
    };
    step();  // warm-up: first touch of every buffer, BLAS thread start
    const double sec = median_seconds(iters, step);
    const double gflops = flops / sec / 1e9;
    fmt::print("minillm threads={} ms={:.2f} gflops={:.1f} sgemm_peak={:.1f} fraction_of_peak={:.2f}\n", threads,
               sec * 1e3, gflops, peak, gflops / peak);
    fmt::print("  counting only the attention blocks minillm computes ({:.0f}% of T×T): computed_gflops={:.1f}\n",
               100 * causal_block_fraction(s.T), computed_flops / sec / 1e9);
    // Attention's own share (its forward and backward on the block's saved activations).
    const double att_sec = median_seconds(iters, [&] {
      attention_forward(a.atty, a.preatt, a.att, a.qkv, s.B, s.T, s.C, s.NH);
      attention_backward(d.qkv, d.preatt, d.att, d.atty, a.qkv, a.att, s.B, s.T, s.C, s.NH);
    });
    fmt::print("  attention forward+backward alone: {:.2f} ms = {:.0f}% of the step ({:.0f}% of the counted FLOPs)\n",
               att_sec * 1e3, 100 * att_sec / sec, 100 * 12 * B * T * T * C / flops);
  }
  // What the fast forms buy: the same block under the plain kernel table (nn/kernels.hpp), on 1 thread (the
  // plain forms are single loops), operation by operation.
  set_num_threads(1);
  const int plain_iters = quick ? 1 : 3;
  auto per_form = [&](const char* what, auto&& work) {
    double ms[2];
    for (KernelForm form : {KernelForm::plain, KernelForm::fast}) {
      const KernelScope scope(form);
      ms[form == KernelForm::fast] = 1e3 * median_seconds(form == KernelForm::plain ? plain_iters : iters, work);
    }
    fmt::print("kernels {}: plain {:.1f} ms, fast {:.2f} ms on 1 thread: the fast form is {:.1f}x faster\n", what,
               ms[0], ms[1], ms[0] / ms[1]);
  };
  per_form("block fwd+bwd", [&] {
    block_forward(a, inp.data(), p, s);
    block_backward(dinp.data(), g, d, dout.data(), inp.data(), p, a, s);
  });
  per_form("attention fwd+bwd", [&] {
    kernels().attention_forward(a.atty, a.preatt, a.att, a.qkv, s.B, s.T, s.C, s.NH);
    kernels().attention_backward(d.qkv, d.preatt, d.att, d.atty, a.qkv, a.att, s.B, s.T, s.C, s.NH);
  });
  per_form("linear c_fc fwd+bwd", [&] {
    kernels().linear_forward(a.fch, a.ln_2, p.mlp_c_fc_weight, p.mlp_c_fc_bias, s.rows(), s.C, 4 * s.C);
    kernels().linear_backward(d.ln_2, g.mlp_c_fc_weight, g.mlp_c_fc_bias, d.fch, a.ln_2, p.mlp_c_fc_weight, s.rows(),
                              s.C, 4 * s.C);
  });
  per_form("gelu fwd+bwd", [&] {
    kernels().gelu_forward(a.fch_gelu, a.fch, s.rows() * 4 * s.C);
    kernels().gelu_backward(d.fch, a.fch, d.fch_gelu, s.rows() * 4 * s.C);
  });
  per_form("layernorm bwd", [&] {
    kernels().layernorm_backward(d.residual2, g.ln_2_weight, g.ln_2_bias, d.ln_2, a.residual2, p.ln_2_weight,
                                 a.ln_2_mean, a.ln_2_rstd, s.rows(), s.C);
  });
}
