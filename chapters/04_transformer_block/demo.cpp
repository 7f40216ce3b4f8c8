// Chapter 04 demo: one GPT-2 transformer block, taken apart. What LayerNorm does to a row, what each
// branch adds to the residual stream, how the gradient flows back through the residual path, a live
// finite-difference check of the backward pass, and what a forward+backward costs.
//
//   ch04_demo           B=8 T=128 C=256 NH=4 (GPT-2-like shapes, scaled down)
//   ch04_demo --smoke   tiny sizes (used by the tests)
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "core/threads.hpp"
#include "io/data_dir.hpp"
#include "nn/gelu.hpp"
#include "nn/block.hpp"
#include "plot/charts.hpp"
#include "ui/usage.hpp"

namespace {

using minillm::BlockShape;

double rms(const float* x, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += double(x[i]) * x[i];
  return std::sqrt(sum / double(n));
}

double cosine(const float* a, const float* b, size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
  return ab / std::sqrt(aa * bb);
}

// lesson: using_a_block
struct Block {
  BlockShape s;
  minillm::TensorArena params, grads, acts, dacts;
  explicit Block(BlockShape shape) : s(shape) {
    minillm::add_block_params(params, "", s.C);
    minillm::add_block_params(grads, "", s.C);
    minillm::add_block_acts(acts, "", s);
    minillm::add_block_acts(dacts, "", s);
    for (auto* arena : {&params, &grads, &acts, &dacts}) arena->allocate();
  }
  // GPT-2's initialisation: weights with standard deviation 0.02, the two projections that write into the residual stream
  // smaller (0.02 / sqrt(2 * layers), one layer here), biases 0, LayerNorm weights 1.
  void init(minillm::Rng& rng) {
    for (const auto& e : params.entries()) {
      const minillm::TensorView t = params[e.name];
      if (e.name.find("ln_") == 0) {
        t.fill(e.name.ends_with("weight") ? 1.0f : 0.0f);
      } else if (e.name.ends_with("bias")) {
        t.zero();
      } else {
        const bool projection = e.name.find("c_proj") != std::string::npos;
        rng.fill_normal(t.span(), 0.0f, projection ? 0.02f / std::sqrt(2.0f) : 0.02f);
      }
    }
  }
  minillm::BlockParams p() { return minillm::block_params(params, ""); }
  minillm::BlockActs a() { return minillm::block_acts(acts, ""); }
  void forward(const float* x) { minillm::block_forward(a(), x, p(), s); }
  // Gradients start from zero each time (block_backward accumulates); x must be the last forward's input.
  void backward(float* dx, const float* dout, const float* x) {
    grads.zero();
    minillm::block_backward(dx, minillm::block_params(grads, ""), minillm::block_acts(dacts, ""), dout, x, p(),
                            a(), s);
  }
};
// end lesson: using_a_block

double loss(Block& b, const std::vector<float>& w) {  // L = sum(out * w), so dL/dout = w
  const float* out = b.a().out;
  double sum = 0;
  for (size_t i = 0; i < w.size(); ++i) sum += double(out[i]) * w[i];
  return sum;
}

// GELU against ReLU on [-4, 4], with their slopes: the lesson's picture (images/gelu_relu.png). The values and
// slopes come from the library's gelu_forward and gelu_backward.
std::filesystem::path draw_gelu_relu(bool smoke) {
  namespace plot = minillm::plot;
  plot::Series gelu{"GELU", {}, {}, std::nullopt, 3.0, false};
  plot::Series relu{"ReLU", {}, {}, std::nullopt, 2.0, false};
  plot::Series slope{"GELU's slope", {}, {}, std::nullopt, 1.5, false};
  for (int i = 0; i <= 160; ++i) {
    const float x = -4.0f + 0.05f * static_cast<float>(i), one = 1.0f;
    float y = 0, dy = 0;
    minillm::gelu_forward(&y, &x, 1);
    minillm::gelu_backward(&dy, &x, &one, 1);
    for (plot::Series* s : {&gelu, &relu, &slope}) s->x.push_back(x);
    gelu.y.push_back(y);
    relu.y.push_back(std::max(0.0f, x));
    slope.y.push_back(dy);
  }
  const auto path = minillm::output_dir() / (smoke ? "ch04_gelu_relu_smoke.png" : "ch04_gelu_relu.png");
  plot::line_chart(path, {"GELU (tanh approximation) against ReLU = max(0, x)", "x", "activation",
                          {relu, gelu, slope}, false, false, {}, 900, 560, {}});
  return path;
}

int run(int argc, char** argv) {
  bool smoke = false;
  minillm::ui::DemoOptions().flag("--smoke", smoke).parse(argc, argv);
  const BlockShape s = smoke ? BlockShape{1, 8, 32, 2} : BlockShape{8, 128, 256, 4};
  const size_t NC = static_cast<size_t>(s.rows()) * s.C;
  fmt::print("One transformer block, GPT-2 style: B={} sequences of T={} positions, C={} channels, {} heads.\n",
             s.B, s.T, s.C, s.NH);
  fmt::print("  x = x + attn(ln_1(x))      the attention branch: positions exchange information\n"
             "  x = x + mlp(ln_2(x))       the MLP branch: each position thinks on its own (hidden width {})\n\n",
             4 * s.C);

  minillm::Rng rng(4);
  Block block(s);
  block.init(rng);
  std::vector<float> x(NC);
  rng.fill_normal(x, 0.5f, 2.0f);  // a residual stream with an offset and a scale LayerNorm will remove
  block.forward(x.data());
  const minillm::BlockActs a = block.a();

  // LayerNorm on one row.
  double m = 0, v = 0, m2 = 0, v2 = 0;
  for (int c = 0; c < s.C; ++c) m += x[c], m2 += a.ln_1[c];
  m /= s.C, m2 /= s.C;
  for (int c = 0; c < s.C; ++c) v += (x[c] - m) * (x[c] - m), v2 += (a.ln_1[c] - m2) * (a.ln_1[c] - m2);
  fmt::print("LayerNorm (ln_1) on position 0: mean {:+.3f} -> {:+.3f}, std {:.3f} -> {:.3f}.\n", m, m2,
             std::sqrt(v / s.C), std::sqrt(v2 / s.C));
  fmt::print("  Whatever the scale of the residual stream, the layers inside a branch always see rows of mean 0\n"
             "  and std 1 (then ln's own weight and bias, learned, set the scale they prefer).\n\n");

  // The residual stream.
  fmt::print("The residual stream (RMS = typical size of a value):\n");
  fmt::print("  input x                        RMS {:.4f}\n", rms(x.data(), NC));
  fmt::print("  attention branch adds          RMS {:.4f}\n", rms(a.attproj, NC));
  fmt::print("  MLP branch adds                RMS {:.4f}\n", rms(a.fcproj, NC));
  fmt::print("  output                         RMS {:.4f}   cosine(output, input) = {:.4f}\n", rms(a.out, NC),
             cosine(a.out, x.data(), NC));
  fmt::print("  At initialisation each branch adds a small correction to x instead of replacing it, so a deep\n"
             "  stack starts close to the identity and training refines it step by step.\n\n");

  // GELU.
  const size_t hidden = NC * 4;
  size_t negative = 0;
  float lowest = 0;
  for (size_t i = 0; i < hidden; ++i) {
    negative += a.fch[i] < 0;
    lowest = std::min(lowest, a.fch_gelu[i]);
  }
  fmt::print("GELU in the MLP: {:.0f}% of the {} hidden values are negative before GELU; after it the smallest\n"
             "  is {:.4f} (GELU's minimum is about -0.17): negatives are squashed towards 0 but, unlike ReLU, not\n"
             "  cut to exactly 0, so they still pass a little gradient.\n\n",
             100.0 * double(negative) / double(hidden), hidden, lowest);

  fmt::print("The picture: GELU, ReLU and GELU's slope on [-4, 4] in {}.\n\n", draw_gelu_relu(smoke).string());

  // Backward: the residual path.
  std::vector<float> dout(NC), dx(NC, 0.0f);
  rng.fill_normal(dout, 0.0f, 1.0f);
  block.backward(dx.data(), dout.data(), x.data());
  fmt::print("Backward pass: gradient arriving at the output RMS {:.4f}, leaving at the input RMS {:.4f},\n"
             "  cosine(dx, dout) = {:.4f}. The residual connections hand dout straight to dx (their derivative is\n"
             "  1) and the branches add their corrections: the gradient reaches early layers undiminished.\n\n",
             rms(dout.data(), NC), rms(dx.data(), NC), cosine(dx.data(), dout.data(), NC));

  // A live finite-difference check of three parameters.
  fmt::print("Checking the backward pass by nudging single parameters (central differences, h = 1e-2,\n"
             "L = sum(output * dout)):\n");
  const char* names[] = {"ln_1.weight", "attn.c_attn.weight", "mlp.c_fc.bias"};
  for (const char* name : names) {
    float* param = block.params[name].data;
    const float analytic = block.grads[name].data[3];
    const float saved = param[3];
    const float h = 1e-2f;
    param[3] = saved + h;
    block.forward(x.data());
    const double plus = loss(block, dout);
    param[3] = saved - h;
    block.forward(x.data());
    const double minus = loss(block, dout);
    param[3] = saved;
    fmt::print("  {:<20}[3]: backward {:+.5f}   finite difference {:+.5f}\n", name, analytic, (plus - minus) / (2 * h));
  }
  fmt::print("  (Expect 2 to 3 matching digits: L adds up every output, each rounded to float32, and dividing the\n"
             "  small difference by 2h magnifies that rounding. tests/unit/nn checks every parameter of every\n"
             "  layer this way on tiny shapes, where the check is tighter, and against PyTorch in float64.)\n\n");

  // Cost.
  block.forward(x.data());
  const int reps = smoke ? 2 : 5;
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto start = std::chrono::steady_clock::now();
    block.forward(x.data());
    block.backward(dx.data(), dout.data(), x.data());
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double N = s.rows(), C = s.C;
  const double flops = 72 * N * C * C + 12.0 * s.B * s.T * s.T * C;
  fmt::print("Forward + backward takes {:.1f} ms for {:.2f} GFLOP of matmuls (72·N·C² in the linear layers +\n"
             "  12·B·T²·C in attention): {:.1f} GFLOP/s. Time not spent in matmuls goes to LayerNorm, GELU,\n"
             "  softmax and memory traffic. (A busy machine makes this number noisy.)\n",
             best * 1e3, flops / 1e9, flops / best / 1e9);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  minillm::ensure_passive_openmp_wait(argv);  // idle OpenMP threads must not spin on OpenBLAS's cores
  return minillm::ui::run_demo(argc, argv, R"(usage: ch04_demo [--smoke]
  (no option)   one GPT-2 block (B=8 T=128 C=256 NH=4) taken apart: LayerNorm, the residual stream, a
                gradient check and the cost of forward + backward
  --smoke       tiny sizes (used by the tests)
)", [&] {
    return run(argc, argv);
  });
}
