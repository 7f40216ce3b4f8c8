// `minillm cost-model`: chapter 11's cost model for data-parallel training on N nodes, on paper: predicted
// step time, all-reduce time and scaling efficiency for chapter 06's model and GPT-2 124M, from a FLOP rate
// measured here (or given) and a ring all-reduce over links of the given speeds.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "cli/validators.hpp"
#include "core/error.hpp"
#include "dist/cost_model.hpp"

namespace minillm::cli {

namespace {

using namespace minillm::dist;

struct CostModelFlags {
  std::shared_ptr<ConfigFlags<CostModelConfig>> settings = std::make_shared<ConfigFlags<CostModelConfig>>();
  std::string model = "all";
  std::vector<int> nodes = kDefaultNodes;
  std::vector<double> link_gbps = kDefaultLinkGbps;
  bool json = false;
};

std::vector<CostModelModel> chosen_models(const std::string& name) {
  std::vector<CostModelModel> out;
  std::string names;
  for (const CostModelModel& m : cost_model_models()) {
    if (name == "all" || name == m.name) out.push_back(m);
    names += (names.empty() ? "" : ", ") + m.name;
  }
  require(!out.empty(), "unknown --model '{}': the cost model knows {} (or all)", name, names);
  return out;
}

void run_cost_model(const CostModelFlags& f) {
  CostModelConfig c;
  f.settings->apply(c);
  const std::vector<CostModelModel> models = chosen_models(f.model);
  for (int n : f.nodes) require(n >= 1, "--nodes: {} is not a node count; give whole numbers of 1 or more", n);
  for (double g : f.link_gbps) require(g > 0, "--link-gbps: {} carries nothing; give speeds above 0", g);
  double flops = c.gflops * 1e9;
  if (flops == 0) {
    const CostModelModel ch06 = cost_model_models().front();
    if (!f.json) fmt::print("Measuring this machine's training rate on chapter 06's model (3 steps)...\n");
    flops = measure_training_flops(ch06.config, ch06.batch_per_rank, 3);
  }
  if (!f.json)
    fmt::print("One node trains at {:.1f} GFLOP/s; latency {:g} us a message; overlap {:g} of the compute.\n",
               flops / 1e9, c.latency_us, c.overlap);
  nlohmann::json rows = nlohmann::json::array();
  for (const CostModelModel& m : models) {
    const Workload w = gpt_workload(m.name, m.config, c.batch > 0 ? c.batch : m.batch_per_rank);
    for (double gbps : f.link_gbps) {
      const Link link{gbps, c.latency_us * 1e-6};
      std::vector<StepPrediction> predictions;
      for (int n : f.nodes) predictions.push_back(predict_step(w, flops, link, n, c.overlap));
      if (!f.json) fmt::print("\n{}", prediction_table(w, link, predictions));
      for (const StepPrediction& p : predictions)
        rows.push_back({{"model", m.name}, {"link_gbps", gbps}, {"nodes", p.nodes},
                        {"tokens_per_rank", w.tokens_per_rank}, {"compute_seconds", p.compute_seconds},
                        {"allreduce_seconds", p.allreduce_seconds}, {"step_seconds", p.step_seconds},
                        {"tokens_per_second", p.tokens_per_second}, {"efficiency", p.efficiency}});
    }
  }
  if (f.json) fmt::print("{}\n", nlohmann::json{{"gflops", flops / 1e9}, {"latency_us", c.latency_us},
                                                {"overlap", c.overlap}, {"predictions", rows}}.dump());
  else
    fmt::print("\nEfficiency = compute / step: the share of a step spent computing (chapter 11).\n");
}

}  // namespace

static CommandRegistrar reg(80, [](CLI::App& app) {
  auto flags = std::make_shared<CostModelFlags>();
  auto* cmd = app.add_subcommand("cost-model", "Predict data-parallel step time and scaling on N nodes (chapter 11)");
  cmd->add_option("--model", flags->model, "ch06, gpt2-124m or all (default all)");
  cmd->add_option("--nodes", flags->nodes, fmt::format("node counts, comma-separated (default {})", fmt::join(kDefaultNodes, ",")))
      ->delimiter(',');
  cmd->add_option("--link-gbps", flags->link_gbps, fmt::format("link speeds in Gb/s, comma-separated (default {})", fmt::join(kDefaultLinkGbps, ",")))
      ->delimiter(',');
  add_config_flags<CostModelConfig, CostModelConfig>(*cmd, flags->settings,
                                                     [](CostModelConfig& c) -> CostModelConfig& { return c; });
  cmd->add_flag("--json", flags->json, "print one JSON line instead of the tables");
  cmd->callback([flags] { run_cost_model(*flags); });
});

}  // namespace minillm::cli
