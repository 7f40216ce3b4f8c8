// Chapter 11 demo: data-parallel training, what it costs and where it stops paying. Everything runs in this
// one process (no mpirun needed):
//   1. a ring all-reduce over 4 simulated ranks, shown chunk by chunk: after reduce-scatter each rank holds
//      the sum of one chunk, after all-gather every rank holds every sum; then 8 ranks of a chapter 06-sized
//      gradient, checked against a plain sum, with the floats each rank sent;
//   2. the cost model: this machine's training FLOP rate (measured on chapter 06's model), then predicted
//      step time and scaling efficiency on 1 to 64 nodes at 10, 25 and 100 Gb/s, for chapter 06's model and
//      GPT-2 124M, as a table and as data/out/ch11_cost_model.png (the lesson's images/cost_model.png);
//   3. a real 2-rank run, when mpirun is installed and minillm was built with MPI: `mpirun -np 2 minillm train
//      ...` (else: how to run it).
//
//   ch11_demo [--gflops G] [--smoke]
// --smoke: a tiny model for the FLOP rate and no mpirun run, for the tests.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "dist/cost_model.hpp"
#include "dist/ring_allreduce.hpp"
#include "dist/shard.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "ui/usage.hpp"

namespace fs = std::filesystem;
using namespace minillm;
using namespace minillm::dist;

namespace {

struct Options {
  bool smoke = false;
  double gflops = 0;  // 0: measured here
};

void print_ranks(const RankBuffers& b, bool mark_owned) {
  const int N = int(b.size());
  fmt::print("          ");
  for (int c = 0; c < N; ++c) fmt::print(" chunk {} ", c);
  fmt::print("\n");
  for (int r = 0; r < N; ++r) {
    fmt::print("  rank {}: ", r);
    for (int c = 0; c < N; ++c) {
      const bool owned = mark_owned && c == owned_chunk(r, N);
      fmt::print(" {:>6g}{} ", b[size_t(r)][size_t(c)], owned ? "*" : " ");
    }
    fmt::print("\n");
  }
}

// Step 1: the ring, small enough to read, then big enough to count.
void show_ring(bool smoke) {
  const int N = 4;
  RankBuffers b(N, std::vector<float>(N));
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) b[size_t(r)][size_t(c)] = float(std::pow(10, r));  // rank r's gradient: 10^r
  fmt::print("4 ranks, a gradient of 4 floats each, cut into 4 chunks of one float. Rank r's gradient is 10^r "
             "everywhere, so a sum shows which ranks went into it (1111 = all four):\n");
  print_ranks(b, false);
  ring_reduce_scatter(b);
  fmt::print("After reduce-scatter (3 steps; each rank sent one chunk to its right neighbour per step, and the "
             "neighbour added it to its own): rank r holds the whole sum of chunk r+1 (marked *), and partial sums "
             "elsewhere:\n");
  print_ranks(b, true);
  ring_all_gather(b);
  fmt::print("After all-gather (3 more steps, each passing a finished chunk on): every rank holds every sum:\n");
  print_ranks(b, false);

  const int ranks = 8;
  const int64_t n = smoke ? 10'000 : gpt_parameter_count(GptConfig{});  // chapter 06's model: 4.24 M floats
  Rng rng(5);
  RankBuffers grads(ranks, std::vector<float>(size_t(n)));
  for (auto& g : grads) rng.fill_normal(g, 0.0f, 1.0f);
  std::vector<double> sum(size_t(n), 0.0);
  for (const auto& g : grads)
    for (int64_t i = 0; i < n; ++i) sum[size_t(i)] += g[size_t(i)];
  const Traffic traffic = ring_allreduce(grads);
  double worst = 0;
  for (const auto& g : grads)
    for (int64_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(g[size_t(i)] - sum[size_t(i)]));
  fmt::print("\n{} ranks, {} floats each (random gradients): the ring's result differs from a plain sum by at most "
             "{:.2g} (float32 rounding, summed in another order). Rank 0 sent {} floats = {:.3f} of its gradient; "
             "2 (N-1)/N = {:.3f}. Sending its whole gradient to every other rank would be N-1 = {} times it.\n",
             ranks, n, worst, traffic[0], double(traffic[0]) / double(n), 2.0 * (ranks - 1) / ranks, ranks - 1);
}

// Step 2: the cost model, printed and drawn.
void show_cost_model(bool smoke, double given_gflops, const fs::path& png) {
  const std::vector<CostModelModel> models = cost_model_models();
  const GptConfig tiny{.vocab_size = 256, .context_length = 32, .n_layer = 2, .n_head = 2, .n_embd = 64};
  double flops = 0;
  if (given_gflops > 0) {
    flops = 1e9 * given_gflops;
    fmt::print("One node trains at {:.1f} GFLOP/s (given with --gflops).\n", flops / 1e9);
  } else {
    fmt::print("Timing this machine's training step{} ({} thread(s))...\n",
               smoke ? " on a tiny model (smoke test)" : " on chapter 06's model", num_threads());
    flops = smoke ? measure_training_flops(tiny, 2, 1)
                  : measure_training_flops(models[0].config, models[0].batch_per_rank, 3);
    fmt::print("One node trains at {:.1f} GFLOP/s (forward + backward, counted as 6N + 12 L C T a token).\n",
               flops / 1e9);
  }
  const CostModelConfig settings;  // the CLI's defaults: 20 us latency, no overlap
  plot::LineChartSpec spec;
  spec.title = fmt::format("Data-parallel scaling predicted at {:.0f} GFLOP/s a node (ring all-reduce, {:g} us)",
                           flops / 1e9, settings.latency_us);
  spec.x_label = "nodes";
  spec.y_label = "scaling efficiency, % (compute / step time)";
  spec.log_x = true;
  spec.x_ticks = {1, 2, 4, 8, 16, 32, 64};
  size_t colour = 0;
  for (const CostModelModel& m : models) {
    const Workload w = gpt_workload(m.name, m.config, m.batch_per_rank);
    fmt::print("\n{}: {:.1f} MB of gradients; {} sequences of {} tokens a rank: {:.0f} ms of compute a step.\n",
               m.name, w.gradient_bytes() / 1e6, m.batch_per_rank, m.config.context_length,
               1e3 * predict_step(w, flops, Link{}, 1).compute_seconds);
    fmt::print("  nodes |");
    for (double gbps : kDefaultLinkGbps) fmt::print("   {:>3g} Gb/s: all-reduce ms, efficiency |", gbps);
    fmt::print("\n");
    for (int n : kDefaultNodes) {
      fmt::print("  {:>5} |", n);
      for (double gbps : kDefaultLinkGbps) {
        const StepPrediction p = predict_step(w, flops, Link{gbps, settings.latency_us * 1e-6}, n, settings.overlap);
        fmt::print("   {:>20.1f} {:>10.1f}% |", 1e3 * p.allreduce_seconds, 100 * p.efficiency);
      }
      fmt::print("\n");
    }
    for (double gbps : kDefaultLinkGbps) {
      const Link link{gbps, settings.latency_us * 1e-6};
      plot::Series s{fmt::format("{}, {:g} Gb/s", m.name, gbps), {}, {}, plot::palette_color(colour++), 2.5, false};
      for (int n = 1; n <= 64; ++n) {
        s.x.push_back(n);
        s.y.push_back(100 * predict_step(w, flops, link, n, settings.overlap).efficiency);
      }
      spec.series.push_back(s);
    }
  }
  fmt::print("(`minillm cost-model` prints the step times and tokens/s too, for any node counts, links and batch.)\n");
  // Where it stops paying: chapter 06's model on a slow link (1 Gb/s), and with one sequence a rank at 10 Gb/s.
  const Link slow{1, settings.latency_us * 1e-6}, ten{10, settings.latency_us * 1e-6};
  const Workload ch06 = gpt_workload("ch06", models[0].config, models[0].batch_per_rank);
  const Workload small = gpt_workload("ch06", models[0].config, 1);
  plot::Series on_slow{"ch06, 1 Gb/s", {}, {}, plot::palette_color(colour++), 2.5, true};
  plot::Series one_row{"ch06, B=1, 10 Gb/s", {}, {}, plot::palette_color(colour), 2.5, true};
  for (int n : {1, 2, 4, 8, 16, 32, 64}) {
    on_slow.x.push_back(n);
    on_slow.y.push_back(100 * predict_step(ch06, flops, slow, n).efficiency);
    one_row.x.push_back(n);
    one_row.y.push_back(100 * predict_step(small, flops, ten, n).efficiency);
  }
  spec.series.push_back(on_slow);
  spec.series.push_back(one_row);
  plot::line_chart(png, spec);
  fmt::print("\nWhere it stops paying: on a 1 Gb/s link chapter 06's model reaches {:.0f}% at 64 nodes; with one "
             "sequence a rank instead of 16 it computes 16 times less per step but all-reduces the same 17 MB: "
             "{:.0f}% at 10 Gb/s.\nAs a picture: {}\n", on_slow.y.back(), one_row.y.back(), png.string());
}

// Step 3: a real run over MPI, or how to start one. The run needs mpirun and a minillm built with MPI (its
// `train --help` then offers --zero); without either, the demo shows the commands instead.
std::string shell_quote(const std::string& s) { return "'" + s + "'"; }

bool minillm_has_mpi(const fs::path& minillm) {
  const std::string probe = shell_quote(minillm.string()) + " train --help 2>/dev/null | grep -q -- --zero";
  return fs::exists(minillm) && std::system(probe.c_str()) == 0;
}

void show_mpi_run(bool smoke) {
  const fs::path minillm = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "minillm";
  const fs::path out = output_dir() / "ch11", text = data_dir() / "text" / "lighthouse_story.txt";
  const std::string tokenizer = fmt::format("{} train-tokenizer --vocab-size 300 --input {} --out {}",
                                            shell_quote(minillm.string()), shell_quote(text.string()),
                                            shell_quote((out / "tok.bpe").string()));
  const std::string command = fmt::format(
      "mpirun -np 2 --oversubscribe --bind-to none{} {} --threads 1 train --input {} --tokenizer {} --out {} "
      "--steps 20 --batch 4 --layers 2 --width 64 --context 64 --sample-tokens 0",
      geteuid() == 0 ? " --allow-run-as-root" : "", shell_quote(minillm.string()), shell_quote(text.string()),
      shell_quote((out / "tok.bpe").string()), shell_quote((out / "run").string()));
  fmt::print("Two processes training one model: every rank takes 2 of the 4 sequences of each batch, the gradients "
             "are averaged, and rank 0 alone prints and saves.\n  {}\n  {}\n(docs/scaling_out.md has the command "
             "for a cluster.)\n", tokenizer, command);
  const bool have_mpirun = std::system("command -v mpirun >/dev/null 2>&1") == 0;
  if (smoke) return fmt::print("The smoke test does not start it.\n");
  if (!have_mpirun) return fmt::print("mpirun is not installed here: apt-get install openmpi-bin libopenmpi-dev.\n");
  if (!minillm_has_mpi(minillm))
    return fmt::print("This build of minillm has no MPI trainer (CMake builds it when it finds OpenMPI: install it, then ./run build).\n");
  fs::create_directories(out);
  fs::remove_all(out / "run");
  require(std::system((tokenizer + " >/dev/null").c_str()) == 0, "training the demo's tokenizer failed (see above)");
  fmt::print("Running it:\n");
  std::fflush(stdout);
  const int status = std::system(command.c_str());
  require(status == 0, "the 2-rank run failed (exit status {}); its messages are above", status);
}

int run(const Options& o) {
  fmt::print("Chapter 11: scaling out{}.\n\n", o.smoke ? " (smoke test: tiny sizes)" : "");
  fmt::print("Step 1/3: the ring all-reduce, simulated in this process.\n");
  show_ring(o.smoke);
  fmt::print("\nStep 2/3: the cost model: how a step's time splits into compute and all-reduce on N nodes.\n");
  show_cost_model(o.smoke, o.gflops, output_dir() / (o.smoke ? "ch11_cost_model_smoke.png" : "ch11_cost_model.png"));
  fmt::print("\nStep 3/3: a real data-parallel run.\n");
  show_mpi_run(o.smoke);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch11_demo [--gflops G] [--smoke]
  (no option)  simulate a ring all-reduce over 4 and 8 ranks in this process, measure this machine's training
               FLOP rate, predict data-parallel step time and efficiency on 1 to 64 nodes at 10, 25 and 100 Gb/s
               (data/out/ch11_cost_model.png), and, if mpirun is installed, train with 2 processes
  --gflops G   predict with this training rate for a node instead of measuring it (the lesson's picture:
               --gflops 192, measured on a quiet machine)
  --smoke      a tiny model for the FLOP rate and no mpirun run (used by the tests)
)", [&] {
    Options o;
    minillm::ui::DemoOptions().flag("--smoke", o.smoke).number("--gflops", o.gflops, 1e-3, 1e9, "a training rate in GFLOP/s above 0, e.g. 192").parse(argc, argv);
    return run(o);
  });
}
