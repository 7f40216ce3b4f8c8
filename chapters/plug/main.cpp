// ./run practice --plug NN: trains chapter 06's GPT for a few steps twice from the same start, once with the
// library's kernels and once with yours (the practice tasks of chapters 00..NN that have the library's
// signature), and prints the losses side by side. When a kernel of yours computes something else, it names
// the first one whose output differed, with the tensor and the size of the difference.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "gpt/gpt.hpp"
#include "plug_kernels.hpp"
#include "train/adamw.hpp"

namespace {

using namespace minillm;

struct Options {
  int up_to = 6;
  int layers = 4, width = 256, heads = 4, context = 64, batch = 4, steps = 5;
  float lr = 1e-3f;
  bool require_all = false;
};

// The losses of two runs agree when they differ by at most this fraction (kernels add in other orders).
constexpr double kLossTolerance = 1e-3;

// Byte-level tokens of one of the project's own texts: no tokenizer to train, 256 ids.
std::vector<TokenId> corpus_bytes() {
  const std::string path = std::string(MINILLM_SOURCE_DIR) + "/data/text/lighthouse_story.txt";
  std::ifstream in(path, std::ios::binary);
  require(in.good(), "cannot read {}: run this from a minillm checkout", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<TokenId> ids;
  for (const char c : text) ids.push_back(token_id(static_cast<unsigned char>(c)));
  return ids;
}

struct Batch {
  std::vector<TokenId> inputs, targets;
};

std::vector<Batch> draw_batches(const std::vector<TokenId>& ids, const Options& o) {
  require(static_cast<int64_t>(ids.size()) > o.context + 1, "the text is shorter than --context {}", o.context);
  Rng rng(1337);
  std::vector<Batch> batches(o.steps);
  for (Batch& b : batches)
    for (int row = 0; row < o.batch; ++row) {
      const auto start = static_cast<size_t>(rng.below(ids.size() - o.context - 1));
      b.inputs.insert(b.inputs.end(), ids.begin() + start, ids.begin() + start + o.context);
      b.targets.insert(b.targets.end(), ids.begin() + start + 1, ids.begin() + start + o.context + 1);
    }
  return batches;
}

// One AdamW step by the learner's ch06 adamw_step, tensor by tensor with the library's decay rule (2D
// tensors decay, the rest not); m and v are the learner's own state.
void learner_step(TensorArena& params, const TensorArena& grads, std::vector<float>& m, std::vector<float>& v, int t,
                  float lr, const AdamWConfig& c) {
  for (const auto& e : params.entries()) {
    const size_t n = static_cast<size_t>(e.shape.numel());
    std::vector<float> p(params.data() + e.offset, params.data() + e.offset + n);
    const std::vector<float> g(grads.data() + e.offset, grads.data() + e.offset + n);
    std::vector<float> mm(m.begin() + e.offset, m.begin() + e.offset + n), vv(v.begin() + e.offset, v.begin() + e.offset + n);
    plug::learner_adamw_step(p, g, mm, vv, t, lr, c.beta1, c.beta2, c.eps, e.shape.rank() == 2 ? c.weight_decay : 0.0f);
    std::copy(p.begin(), p.end(), params.data() + e.offset);
    std::copy(mm.begin(), mm.end(), m.begin() + e.offset);
    std::copy(vv.begin(), vv.end(), v.begin() + e.offset);
  }
}

// Trains from the seed-1337 start; with `plugged`, through the plugged kernel table and the learner's AdamW.
std::vector<float> train(const Options& o, const std::vector<Batch>& batches, bool plugged, bool learner_adamw) {
  GptConfig config{.vocab_size = 256, .context_length = o.context, .n_layer = o.layers, .n_head = o.heads,
                   .n_embd = o.width};
  config.validate();
  Gpt model(config);
  Rng rng(1337);
  model.init_weights(rng);
  const Kernels table = plugged ? plug::plugged_kernels() : fast_kernels();
  const KernelScope scope(table);
  const AdamWConfig adamw_config{};
  AdamW library_adamw(model.params(), adamw_config);
  std::vector<float> m(model.params().size()), v(model.params().size());
  std::vector<float> losses;
  for (int step = 0; step < o.steps; ++step) {
    const Batch& b = batches[step];
    losses.push_back(model.forward(b.inputs, b.targets, o.batch, o.context));
    model.zero_grad();
    model.backward();
    if (!learner_adamw) {
      library_adamw.step(model.params(), model.grads(), o.lr);
      continue;
    }
    TensorArena want = model.params();  // the library's step on a copy, to compare with the learner's
    library_adamw.step(want, model.grads(), o.lr);
    learner_step(model.params(), model.grads(), m, v, step + 1, o.lr, adamw_config);
    plug::compare("adamw_step", "params", step + 1, model.params().data(), want.data(), want.size());
  }
  return losses;
}

void print_plan(const std::vector<plug::KernelSlot>& slots) {
  fmt::print("{:<24} {:<8} {}\n", "kernel", "runs", "");
  for (const plug::KernelSlot& s : slots) {
    const std::string task = s.chapter < 0 ? "" : fmt::format("chapter {:02d} task {}", s.chapter, s.task);
    if (s.yours) fmt::print("{:<24} {:<8} {} ({} calls)\n", s.kernel, "yours", task, s.calls);
    else if (s.kernel == "q8_matvec_forward") fmt::print("{:<24} {:<8} decoding int8 weights only (chapter 10)\n", s.kernel, "-");
    else fmt::print("{:<24} {:<8} {}{}{}\n", s.kernel, "library", task, task.empty() ? "" : ": ", s.note);
  }
}

int run(const Options& o) {
  require(o.steps >= 1 && o.batch >= 1 && o.context >= 2, "--steps, --batch and --context must be positive");
  std::vector<plug::KernelSlot>& slots = plug::plan_kernels(o.up_to);
  bool learner_adamw = false;
  for (const plug::KernelSlot& s : slots) learner_adamw |= s.kernel == "adamw_step" && s.yours;
  fmt::print("The practice plug: a GPT of {} block(s), width {}, {} heads, context {}, batch {}, on byte tokens of\n"
             "data/text/lighthouse_story.txt, trained {} steps twice from the same start: once with the library's\n"
             "kernels, once with yours (the tasks of chapters 00 to {:02d} whose signature is the library's).\n\n",
             o.layers, o.width, o.heads, o.context, o.batch, o.steps, o.up_to);
  const std::vector<Batch> batches = draw_batches(corpus_bytes(), o);
  const std::vector<float> library = train(o, batches, false, false);
  const std::vector<float> yours = train(o, batches, true, learner_adamw);
  print_plan(slots);
  fmt::print("\n{:>4}  {:>12}  {:>12}  {:>10}\n", "step", "library", "yours", "difference");
  bool agree = true;
  for (int s = 0; s < o.steps; ++s) {
    const double diff = std::fabs(double(yours[s]) - double(library[s]));
    agree &= diff <= kLossTolerance * std::max(1.0, std::fabs(double(library[s])));
    fmt::print("{:>4}  {:>12.6f}  {:>12.6f}  {:>10.2e}\n", s + 1, library[s], yours[s], diff);
  }
  const auto& mismatch = plug::first_mismatch();
  int yours_count = 0;
  for (const plug::KernelSlot& s : slots) yours_count += s.yours ? 1 : 0;
  if (yours_count == 0) {
    fmt::print("\nNo kernel of yours ran: every task above is still a stub (or its chapter is after {:02d}), so both\n"
               "runs used the library's. Finish one (./run practice shows the next) and run the plug again.\n",
               o.up_to);
  } else if (mismatch) {
    fmt::print("\nThe first kernel of yours whose output differs: {}, tensor {}, at its call {}: max |yours - library| "
               "= {:.3g} where the library's values reach {:.3g}.\nRun ./run practice to see that task's tests.\n",
               mismatch->kernel, mismatch->tensor, mismatch->call, mismatch->max_abs_diff, mismatch->library_max);
  } else if (agree) {
    fmt::print("\nEvery kernel of yours agrees with the library's, and so do the losses (within {} of the loss).\n",
               kLossTolerance);
  }
  bool all_yours_ran = true;
  for (const plug::KernelSlot& s : slots)
    if (s.chapter >= 0 && s.chapter <= o.up_to && (!s.yours || s.calls == 0)) {
      all_yours_ran = false;
      if (o.require_all) fmt::print(stderr, "error: {} did not run the practice task {}: {}\n", s.kernel, s.task, s.note);
    }
  return agree && !mismatch && (all_yours_ran || !o.require_all) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Trains a small GPT with your practice kernels in place of the library's, and compares."};
  app.add_option("--up-to", o.up_to, "plug the tasks of chapters 00 to NN")->capture_default_str();
  app.add_option("--layers", o.layers, "transformer blocks")->capture_default_str();
  app.add_option("--width", o.width, "embedding width C")->capture_default_str();
  app.add_option("--heads", o.heads, "attention heads")->capture_default_str();
  app.add_option("--context", o.context, "tokens per sequence T")->capture_default_str();
  app.add_option("--batch", o.batch, "sequences per step B")->capture_default_str();
  app.add_option("--steps", o.steps, "training steps")->capture_default_str();
  app.add_flag("--require-all", o.require_all, "fail unless every task with the library's signature ran (CI)");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
